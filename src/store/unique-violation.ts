/**
 * Whether a database error is a unique/primary-key violation — what two concurrent creates of the same
 * thing end in on PostgreSQL (SQLite serialises writers, so it rarely sees one). Services turn it into
 * RESOURCE_ALREADY_EXISTS or retry; it must never surface as a 500.
 */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
