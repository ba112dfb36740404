import { resolve } from 'node:path';
import { type Kysely, sql } from 'kysely';
import { InvalidParameterError } from '../errors.js';
import type { StoreDialect } from './dialect.js';
import { poolWriter, type PredictionWriter, sqliteDirectWriter, sqliteWorkerWriter } from './prediction-writer.js';
import { migrate } from './migrator.js';
import { openPostgres, postgresDialect } from './postgres.js';
import type { Database } from './schema.js';
import { openSqlite, sqliteDialect } from './sqlite.js';
import { localChannel } from './local-channel.js';
import { PgListener } from './pg-listener.js';

export interface Store {
  readonly db: Kysely<Database>;
  readonly dialect: StoreDialect;
  /** Where the store lives, with any password removed (safe to log). */
  readonly displayUrl: string;
  ping(): Promise<void>;
  /**
   * The prediction log's bulk writer: off the event loop on SQLite (its own thread), or — `sameThread`, for a
   * thread that exists to write — a synchronous connection of its own.
   */
  predictionWriter(opts?: { sameThread?: boolean }): PredictionWriter;
  /**
   * Cluster messages: PostgreSQL NOTIFY (every replica on the database hears it, the sender too); on SQLite,
   * within this process. Payloads are short (PostgreSQL's limit is 8000 bytes); say what changed, not the data.
   */
  notify(channel: string, payload: string): Promise<void>;
  /**
   * Calls `onMessage` for each message on `channel` until the returned function is called. `onReconnect` runs after
   * a lost connection came back: messages sent meanwhile were missed, so reload what is followed.
   */
  listen(channel: string, onMessage: (payload: string) => void, onReconnect?: () => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** Opens the store named by URL (backend chosen by scheme) and brings its schema up to date. */
export async function openStore(url: string): Promise<Store> {
  let db: Kysely<Database>;
  let dialect: StoreDialect;
  let displayUrl = url;
  let sqliteFile: string | null = null;
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    db = openPostgres(url);
    dialect = postgresDialect;
    displayUrl = redactPassword(url);
  } else if (url.startsWith('sqlite:')) {
    const path = sqlitePath(url);
    db = openSqlite(path);
    if (path !== ':memory:') sqliteFile = path;
    dialect = sqliteDialect;
    displayUrl = `sqlite:${path}`;
  } else {
    throw new InvalidParameterError('store', `Unsupported store URL '${redactPassword(url)}': use sqlite:PATH or postgres://...`);
  }
  try {
    await migrate(db, dialect);
  } catch (err) {
    await db.destroy();
    throw err;
  }
  const writers: PredictionWriter[] = [];
  const pgListener = dialect.name === 'postgres' ? new PgListener(url) : null;
  const local = localChannel(sqliteFile ?? `memory:${Math.random()}`);
  return {
    db,
    dialect,
    displayUrl,
    ping: () => dialect.ping(db),
    predictionWriter(opts = {}) {
      const w = !sqliteFile ? poolWriter(db) : opts.sameThread ? sqliteDirectWriter(sqliteFile) : sqliteWorkerWriter(sqliteFile);
      writers.push(w);
      return w;
    },
    notify: async (channel, payload) => {
      if (!pgListener) return local.notify(channel, payload);
      await sql`select pg_notify(${channel}, ${payload})`.execute(db);
    },
    listen: (channel, onMessage, onReconnect) => (pgListener ? pgListener.listen(channel, onMessage, onReconnect) : local.listen(channel, onMessage)),
    close: async () => {
      await pgListener?.close();
      await Promise.all(writers.map((w) => w.close()));
      await db.destroy();
    },
  };
}

function sqlitePath(url: string): string {
  const rest = url.slice('sqlite:'.length);
  if (rest === ':memory:' || rest === '//:memory:') return ':memory:';
  // sqlite:///abs/path, sqlite://rel/path and sqlite:path all work.
  const path = rest.startsWith('//') ? rest.slice(2) : rest;
  return resolve(path);
}

export function redactPassword(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
  }
}
