/**
 * What differs between the two SQL engines, as yes/no settings and small hooks, so repos never branch on
 * the dialect's name. Raw SQL lives here and in the dialect files only.
 */
import type { ColumnDefinitionBuilder, Kysely } from 'kysely';
import type { Database } from './schema.js';
import type { TextMatch } from './text-match.js';

export interface StoreDialect {
  readonly name: 'sqlite' | 'postgres';
  /** INSERT ... RETURNING (both engines we support have it; kept as a setting for future ones). */
  readonly supportsReturning: boolean;
  /**
   * SELECT … FOR UPDATE SKIP LOCKED, so concurrent claimers of a queue pass over each other's rows. SQLite has one
   * writer at a time, so a single UPDATE … RETURNING is already atomic there and needs no row locks.
   */
  readonly supportsSkipLocked: boolean;
  /** SQL type for an auto-incrementing integer primary key. */
  readonly serialType: 'integer' | 'serial';
  /** Adds what an auto-incrementing primary key needs on this engine. */
  serialPrimaryKey(col: ColumnDefinitionBuilder): ColumnDefinitionBuilder;
  /**
   * Runs the migration step in one transaction that no other process can interleave with
   * (replicas starting at once): the first applies, the others wait and then see the new version.
   */
  exclusively<T>(db: Kysely<Database>, fn: (trx: Kysely<Database>) => Promise<T>): Promise<T>;
  /**
   * Runs fn in one transaction that no other transaction holding the same named lock interleaves with, on any
   * replica (PostgreSQL: a transaction-scoped advisory lock; SQLite: its one writer and Kysely's one connection
   * already serialize transactions). For read-modify-write of aggregates that several writers update.
   */
  serialized<T>(db: Kysely<Database>, lock: string, fn: (trx: Kysely<Database>) => Promise<T>): Promise<T>;
  /** Cheap round trip for /ready. */
  ping(db: Kysely<Database>): Promise<void>;
  /** LIKE / NOT LIKE / ILIKE with the same semantics on every engine (see text-match.ts). */
  readonly match: TextMatch;
}
