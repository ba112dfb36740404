import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import type { StoreDialect } from './dialect.js';
import type { Database } from './schema.js';
import { SQLITE_LOWER, sqliteMatch } from './text-match.js';

export const sqliteDialect: StoreDialect = {
  name: 'sqlite',
  supportsReturning: true,
  serialType: 'integer',
  serialPrimaryKey: (col) => col.primaryKey().autoIncrement(),
  // BEGIN IMMEDIATE takes SQLite's write lock up front (waiting busy_timeout for another process), so two
  // processes never both read "not applied" and then deadlock upgrading a deferred transaction.
  exclusively: async (db, fn) => {
    await sql`begin immediate`.execute(db);
    try {
      const out = await fn(db);
      await sql`commit`.execute(db);
      return out;
    } catch (err) {
      await sql`rollback`.execute(db).catch(() => {});
      throw err;
    }
  },
  ping: async (db) => {
    await sql`select 1`.execute(db);
  },
  match: sqliteMatch,
};

export function openSqlite(path: string): Kysely<Database> {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const database = new BetterSqlite3(path);
  database.pragma('journal_mode = WAL');
  // NORMAL is durable across application crashes in WAL mode and much faster than FULL.
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  // MLflow's LIKE is case-sensitive (ILIKE is not); SQLite's LIKE is insensitive unless told.
  database.pragma('case_sensitive_like = ON');
  // SQLite's lower() folds ASCII only; ILIKE must fold 'Ä' as PostgreSQL does.
  database.function(SQLITE_LOWER, { deterministic: true }, (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : v));
  return new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
}
