/**
 * Bulk writes of the prediction log, the store's heaviest write. On SQLite they run in a worker thread with
 * its own connection (WAL lets it write beside the main connection): better-sqlite3 executes synchronously,
 * and thousands of inserts a second on the server's event loop would cost request throughput. On PostgreSQL
 * the driver is asynchronous already, so rows go through the shared pool.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import type { PredictionBatchTable, PredictionRequestIdTable } from './schema-monitoring.js';

export interface PredictionWriter {
  /**
   * Writes batches and the times of their requests whose ids do not carry them (a caller's ids), in one
   * transaction: a request is never findable by a row of one without the other.
   */
  insert(rows: PredictionBatchTable[], requestIds?: PredictionRequestIdTable[]): Promise<void>;
  close(): Promise<void>;
}

const COLUMNS = [
  'batch_id',
  'deployment',
  'revision',
  'model',
  'model_version',
  'route',
  'status',
  'ts_min',
  'ts_max',
  'request_count',
  'row_count',
  'requests',
  'payload',
] as const;
const ID_COLUMNS = ['request_id', 'deployment', 'ts'] as const;
/** Request id rows per INSERT on the pool (three parameters each). */
const ID_CHUNK = 1_000;
/** Batches per INSERT on the pool (each row can be large). */
const CHUNK = 50;

/** Through the Kysely pool (PostgreSQL; SQLite in memory, which a second connection cannot share). */
export function poolWriter(db: Kysely<Database>): PredictionWriter {
  return {
    async insert(rows, requestIds = []) {
      if (rows.length === 0 && requestIds.length === 0) return;
      await db.transaction().execute(async (trx) => {
        // A batch id holds a fresh UUID, so a conflict only comes from a retried flush: keep the first copy.
        for (let i = 0; i < rows.length; i += CHUNK)
          await trx
            .insertInto('prediction_batches')
            .values(rows.slice(i, i + CHUNK))
            .onConflict((oc) => oc.doNothing())
            .execute();
        for (let i = 0; i < requestIds.length; i += ID_CHUNK)
          await trx
            .insertInto('prediction_request_ids')
            .values(requestIds.slice(i, i + ID_CHUNK))
            .onConflict((oc) => oc.doNothing())
            .execute();
      });
    },
    close: async () => {},
  };
}

const WORKER_SOURCE = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('busy_timeout = 5000');
const cols = workerData.columns;
const insert = db.prepare('insert or ignore into prediction_batches (' + cols.join(', ') + ') values (' + cols.map(() => '?').join(', ') + ')');
const insertId = db.prepare('insert or ignore into prediction_request_ids (' + workerData.idColumns.join(', ') + ') values (?, ?, ?)');
const width = cols.length;
// Rows arrive as one JSON array of values, row after row (cheaper to pass between threads than objects).
const insertAll = db.transaction((flat, ids) => {
  for (let i = 0; i < flat.length; i += width) insert.run(flat.slice(i, i + width));
  for (let i = 0; i < ids.length; i += 3) insertId.run(ids[i], ids[i + 1], ids[i + 2]);
});
parentPort.on('message', (msg) => {
  // Closing the port after the answer ends the thread (a thread left waiting on it would outlive the store).
  if (msg.kind === 'close') { db.close(); parentPort.postMessage({ kind: 'closed' }); parentPort.close(); return; }
  try {
    insertAll(JSON.parse(msg.rows), msg.ids ? JSON.parse(msg.ids) : []);
    parentPort.postMessage({ kind: 'done', id: msg.id });
  } catch (err) {
    parentPort.postMessage({ kind: 'failed', id: msg.id, error: String(err && err.message ? err.message : err) });
  }
});
`;

/**
 * A connection of its own to the SQLite file, written synchronously with one prepared statement: for a thread
 * that exists to write (the monitoring thread), where blocking is fine and Kysely's per-batch query building is not.
 */
export function sqliteDirectWriter(path: string): PredictionWriter {
  const db = new BetterSqlite3(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  const insert = db.prepare(`insert or ignore into prediction_batches (${COLUMNS.join(', ')}) values (${COLUMNS.map(() => '?').join(', ')})`);
  const insertId = db.prepare(`insert or ignore into prediction_request_ids (${ID_COLUMNS.join(', ')}) values (?, ?, ?)`);
  const insertAll = db.transaction((rows: PredictionBatchTable[], ids: PredictionRequestIdTable[]) => {
    for (const r of rows)
      insert.run(
        r.batch_id,
        r.deployment,
        r.revision,
        r.model,
        r.model_version,
        r.route,
        r.status,
        r.ts_min,
        r.ts_max,
        r.request_count,
        r.row_count,
        r.requests,
        r.payload,
      );
    for (const r of ids) insertId.run(r.request_id, r.deployment, r.ts);
  });
  return {
    insert: async (rows, requestIds = []) => void ((rows.length || requestIds.length) && insertAll(rows, requestIds)),
    close: async () => void db.close(),
  };
}

/** A worker thread with its own connection to the SQLite file. */
export function sqliteWorkerWriter(path: string): PredictionWriter {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, path, columns: COLUMNS, idColumns: ID_COLUMNS } });
  worker.unref();
  const pending = new Map<number, { resolve(): void; reject(e: Error): void }>();
  let nextId = 1;
  let dead: Error | null = null;
  let closed: (() => void) | null = null;
  const failAll = (err: Error) => {
    dead = err;
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  worker.on('error', failAll);
  worker.on('exit', (code) => {
    failAll(new Error(`The prediction writer stopped (exit ${code}).`));
    closed?.();
  });
  worker.on('message', (msg: { kind: string; id?: number; error?: string }) => {
    if (msg.kind === 'closed') return closed?.();
    const p = pending.get(msg.id!);
    if (!p) return;
    pending.delete(msg.id!);
    if (msg.kind === 'done') p.resolve();
    else p.reject(new Error(`Writing predictions failed: ${msg.error}`));
  });
  return {
    insert(rows, requestIds = []) {
      if (rows.length === 0 && requestIds.length === 0) return Promise.resolve();
      if (dead) return Promise.reject(dead);
      const id = nextId++;
      // One flat JSON array of values in column order: one string crosses to the thread, not many objects.
      const flat: unknown[] = [];
      for (const r of rows) for (const c of COLUMNS) flat.push(r[c]);
      const values = JSON.stringify(flat);
      let ids: string | undefined;
      if (requestIds.length) {
        const idFlat: unknown[] = [];
        for (const r of requestIds) idFlat.push(r.request_id, r.deployment, r.ts);
        ids = JSON.stringify(idFlat);
      }
      return new Promise<void>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({ kind: 'write', id, rows: values, ...(ids ? { ids } : {}) });
      });
    },
    close() {
      if (dead) return Promise.resolve();
      return new Promise<void>((resolve) => {
        closed = resolve;
        worker.postMessage({ kind: 'close' });
      });
    },
  };
}
