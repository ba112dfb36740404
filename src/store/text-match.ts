/**
 * LIKE / ILIKE with MLflow's semantics on both engines: LIKE case-sensitive, ILIKE case-insensitive for
 * any script (not just ASCII), and backslash as the escape character (`a\_b` matches `a_b` literally).
 * SQLite needs an explicit ESCAPE and a Unicode-aware lower() (registered per connection in sqlite.ts).
 */
import { type Expression, type RawBuilder, type SqlBool, sql } from 'kysely';

export type MatchOp = 'like' | 'ilike' | 'not like';
export type TextMatch = (column: string | Expression<unknown>, op: MatchOp, pattern: string) => RawBuilder<SqlBool>;

const ref = (c: string | Expression<unknown>) => (typeof c === 'string' ? sql.ref(c) : c);

export const postgresMatch: TextMatch = (column, op, pattern) => {
  if (op === 'ilike') return sql<SqlBool>`${ref(column)} ilike ${pattern} escape '\\'`;
  if (op === 'not like') return sql<SqlBool>`${ref(column)} not like ${pattern} escape '\\'`;
  return sql<SqlBool>`${ref(column)} like ${pattern} escape '\\'`;
};

export const SQLITE_LOWER = 'ferry_lower';

export const sqliteMatch: TextMatch = (column, op, pattern) => {
  if (op === 'ilike') return sql<SqlBool>`${sql.raw(SQLITE_LOWER)}(${ref(column)}) like ${pattern.toLowerCase()} escape '\\'`;
  if (op === 'not like') return sql<SqlBool>`${ref(column)} not like ${pattern} escape '\\'`;
  return sql<SqlBool>`${ref(column)} like ${pattern} escape '\\'`;
};
