import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { StoreDialect } from './dialect.js';
import type { Database } from './schema.js';
import { postgresMatch } from './text-match.js';

// Any fixed number works; it only has to be the same for every Ferry replica.
const MIGRATION_LOCK_KEY = 0x46455259; // "FERY"

export const postgresDialect: StoreDialect = {
  name: 'postgres',
  supportsReturning: true,
  supportsSkipLocked: true,
  serialType: 'serial',
  serialPrimaryKey: (col) => col.primaryKey(),
  exclusively: (db, fn) =>
    db.transaction().execute(async (trx) => {
      // An advisory lock held until this transaction ends: a second replica waits here, then sees the new version.
      await sql`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`.execute(trx);
      return fn(trx);
    }),
  serialized: (db, lock, fn) =>
    db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(hashtext(${lock}))`.execute(trx);
      return fn(trx);
    }),
  ping: async (db) => {
    await sql`select 1`.execute(db);
  },
  match: postgresMatch,
};

/** How long a query waits for a pooled connection (opening one included) before it fails as STORE_UNAVAILABLE. */
const CONNECT_TIMEOUT_MS = 10_000;
const INT8_OID = 20;
const NUMERIC_OID = 1700;

export function openPostgres(url: string): Kysely<Database> {
  // Timestamps are bigint (epoch ms), well inside Number's exact range, so read them as numbers.
  const types = {
    getTypeParser: (oid: number, format?: 'text' | 'binary') => {
      if (oid === INT8_OID || oid === NUMERIC_OID) return (v: string) => Number(v);
      return pg.types.getTypeParser(oid, format as 'text');
    },
  };
  // A bounded wait for a connection: with PostgreSQL unreachable (a partition, not a refusal), a request answers
  // STORE_UNAVAILABLE after this long instead of waiting for the pool forever.
  const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, types: types as pg.CustomTypesConfig });
  // An idle client that loses its server must not crash the process; the next query reports the error.
  pool.on('error', () => {});
  // Nor one checked out between two queries (a transaction awaiting its caller) when PostgreSQL stops: pg emits
  // 'error' on the client, which without a listener ends the process. Its next query fails (STORE_UNAVAILABLE),
  // and the pool drops it on release, since it is no longer queryable.
  pool.on('connect', (client) => client.on('error', () => {}));
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
