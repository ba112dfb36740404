/** Table types of model cards' authored fields (migration 0017). */
// Filled in by the migration's author; an empty record until then.
export type CardTables = Record<never, never>;
