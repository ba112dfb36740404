/** Table types of stored fairness reports (migration 0016). */
// Filled in by the migration's author; an empty record until then.
export type FairnessTables = Record<never, never>;
