/** Table types of approval gates (migration 0015). */
// Filled in by the migration's author; an empty record until then.
export type ApprovalTables = Record<never, never>;
