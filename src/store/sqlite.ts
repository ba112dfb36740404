import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { CompiledQuery, type DatabaseConnection, type Driver, Kysely, SqliteDialect, SqliteDriver, sql } from 'kysely';
import type { StoreDialect } from './dialect.js';
import type { Database } from './schema.js';
import { SQLITE_LOWER, sqliteMatch } from './text-match.js';

export const sqliteDialect: StoreDialect = {
  name: 'sqlite',
  supportsReturning: true,
  supportsSkipLocked: false,
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
  serialized: (db, _lock, fn) => db.transaction().execute(fn),
  ping: async (db) => {
    await sql`select 1`.execute(db);
  },
  match: sqliteMatch,
};

/**
 * Transactions take the write lock when they begin (BEGIN IMMEDIATE, waiting up to busy_timeout). A deferred
 * transaction that reads and then writes while another connection (the prediction writer's thread) holds the
 * lock fails at once with SQLITE_BUSY instead of waiting: SQLite cannot let it upgrade without a deadlock.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  constructor(private readonly options: ConstructorParameters<typeof SqliteDialect>[0]) {
    super(options);
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.options);
  }
}

/** Prepared statements kept per SQL text (the most recently used), and the longest SQL text kept. */
export const STATEMENT_CACHE_SIZE = 64;
export const STATEMENT_CACHE_MAX_SQL = 1_024;

/**
 * Kysely's SQLite driver prepares every query it runs, and most of Ferry's queries repeat with new parameters:
 * preparing (parsing the SQL, resolving the schema) was a fifth of a tracking write's time on the event loop in the
 * soak's profile. Only short statements are kept: a long one is a bulk insert or an IN list whose text changes with
 * its length and whose preparing is shared by its many rows, and kept it costs memory (256 statements with IN lists of
 * ~800 ids held 36 MiB: the 30-minute soak's RSS grew 10% with them). A statement iterating (busy) is never handed out
 * twice: a fresh one is prepared instead.
 */
export function cacheStatements(database: BetterSqlite3.Database, size = STATEMENT_CACHE_SIZE, maxSql = STATEMENT_CACHE_MAX_SQL): void {
  const prepare = database.prepare.bind(database);
  const cache = new Map<string, BetterSqlite3.Statement>();
  database.prepare = ((source: string) => {
    if (source.length > maxSql) return prepare(source);
    const hit = cache.get(source);
    cache.delete(source);
    const stmt = hit && !hit.busy ? hit : prepare(source);
    cache.set(source, stmt);
    if (cache.size > size) cache.delete(cache.keys().next().value!);
    return stmt;
  }) as typeof database.prepare;
}

export function openSqlite(path: string): Kysely<Database> {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const database = new BetterSqlite3(path);
  // 16 KiB pages for a new file (an existing one keeps its size): the prediction log, the heaviest writer,
  // stores a request's rows as one record, and larger pages cut its overflow chains and B-tree splits
  // (measured: ~20% less CPU per logged request's insert). Only takes effect before the first table exists.
  database.pragma('page_size = 16384');
  database.pragma('journal_mode = WAL');
  // NORMAL is durable across application crashes in WAL mode and much faster than FULL.
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  // MLflow's LIKE is case-sensitive (ILIKE is not); SQLite's LIKE is insensitive unless told.
  database.pragma('case_sensitive_like = ON');
  // SQLite's lower() folds ASCII only; ILIKE must fold 'Ä' as PostgreSQL does.
  database.function(SQLITE_LOWER, { deterministic: true }, (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : v));
  cacheStatements(database);
  return new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database }) });
}
