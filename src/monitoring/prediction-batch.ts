/**
 * The stored form of the prediction log: batches of requests (see PredictionBatchTable). BatchBuilder gathers
 * a flush's stored requests into batch rows; expandBatch turns a row back into one PredictionTable per request,
 * as the log's readers (query, export, feedback, live performance) see them.
 *
 * A batch holds requests that share deployment, revision, model, version, route and status, at most
 * MAX_BATCH_REQUESTS requests and MAX_BATCH_ROWS rows (so that reading one request parses a bounded row),
 * spanning at most MAX_BATCH_SPAN_MS (so that a request is found from the time in its id; see below).
 */
import type { PredictionBatchTable, PredictionTable } from '../store/index.js';

export const MAX_BATCH_REQUESTS = 500;
export const MAX_BATCH_ROWS = 4_096;
export const MAX_BATCH_SPAN_MS = 1_000;

/** What a batch row's `requests` holds. */
interface RequestsJson {
  ids: string[];
  ts: number[];
  rows: number[];
  latency_us: number[];
  /** Present when some request of the batch has an error message. */
  errors?: (string | null)[];
}

interface SideJson {
  /** Distinct name lists; `of[i]` is request i's. */
  names: string[][];
  /** Outputs: distinct width lists, in step with names. */
  widths?: number[][];
  of: number[];
  values: unknown[][];
}

/** The head of a stored request: what it shares with its batch and what is its own. */
export interface LoggedRequest {
  requestId: string;
  deployment: string;
  revision: number;
  model: string;
  modelVersion: string;
  route: string;
  status: string;
  ts: number;
  rows: number;
  latencyUs: number;
  error?: string;
}

class Side {
  readonly json: SideJson;
  private layouts = new Map<string[], Map<number[] | undefined, number>>();
  constructor(withWidths: boolean) {
    this.json = withWidths ? { names: [], widths: [], of: [], values: [] } : { names: [], of: [], values: [] };
  }
  add(names: string[], values: unknown[], widths?: number[]): void {
    let byWidths = this.layouts.get(names);
    if (!byWidths) this.layouts.set(names, (byWidths = new Map()));
    let i = byWidths.get(widths);
    if (i === undefined) {
      i = this.json.names.push(names) - 1;
      this.json.widths?.push(widths ?? []);
      byWidths.set(widths, i);
    }
    this.json.of.push(i);
    this.json.values.push(values);
  }
}

class Acc {
  readonly req: RequestsJson = { ids: [], ts: [], rows: [], latency_us: [] };
  readonly inputs = new Side(false);
  readonly outputs = new Side(true);
  rowCount = 0;
  tsMin = Infinity;
  tsMax = -Infinity;
  constructor(readonly head: LoggedRequest) {}

  fits(r: LoggedRequest): boolean {
    const n = this.req.ids.length;
    return n < MAX_BATCH_REQUESTS && (n === 0 || this.rowCount + r.rows <= MAX_BATCH_ROWS) && Math.max(this.tsMax, r.ts) - Math.min(this.tsMin, r.ts) <= MAX_BATCH_SPAN_MS;
  }

  add(r: LoggedRequest, inNames: string[], inValues: unknown[], outNames: string[], outWidths: number[], outValues: unknown[]): void {
    const q = this.req;
    if (r.error !== undefined && !q.errors) q.errors = q.ids.map(() => null);
    q.ids.push(r.requestId);
    q.ts.push(r.ts);
    q.rows.push(r.rows);
    q.latency_us.push(r.latencyUs);
    q.errors?.push(r.error ?? null);
    this.inputs.add(inNames, inValues);
    this.outputs.add(outNames, outValues, outWidths);
    this.rowCount += r.rows;
    if (r.ts < this.tsMin) this.tsMin = r.ts;
    if (r.ts > this.tsMax) this.tsMax = r.ts;
  }

  row(): PredictionBatchTable {
    const h = this.head;
    return {
      batch_id: `${h.route}:${h.requestId}:${h.modelVersion}`, deployment: h.deployment, revision: h.revision, model: h.model, model_version: h.modelVersion,
      route: h.route, status: h.status, ts_min: this.tsMin, ts_max: this.tsMax, request_count: this.req.ids.length, row_count: this.rowCount,
      requests: JSON.stringify(this.req), payload: JSON.stringify({ inputs: this.inputs.json, outputs: this.outputs.json }),
    };
  }
}

/** Gathers stored requests into batch rows (requests of interleaved groups each go to their group's batch). */
export class BatchBuilder {
  private open = new Map<string, Acc>();
  private done: Acc[] = [];
  private last: Acc | null = null;

  add(r: LoggedRequest, inNames: string[], inValues: unknown[], outNames: string[], outWidths: number[], outValues: unknown[]): void {
    let acc = this.last;
    if (!acc || !sameGroup(acc.head, r)) {
      const key = `${r.deployment}\0${r.revision}\0${r.model}\0${r.modelVersion}\0${r.route}\0${r.status}`;
      acc = this.open.get(key) ?? null;
      if (!acc) this.open.set(key, (acc = new Acc(r)));
    }
    if (!acc.fits(r)) {
      this.done.push(acc);
      const key = `${r.deployment}\0${r.revision}\0${r.model}\0${r.modelVersion}\0${r.route}\0${r.status}`;
      this.open.set(key, (acc = new Acc(r)));
    }
    this.last = acc;
    acc.add(r, inNames, inValues, outNames, outWidths, outValues);
  }

  /** The batch rows of everything added; the builder starts afresh. */
  finish(): PredictionBatchTable[] {
    const rows = [...this.done, ...this.open.values()].map((a) => a.row());
    this.open.clear();
    this.done = [];
    this.last = null;
    return rows;
  }
}

function sameGroup(a: LoggedRequest, b: LoggedRequest): boolean {
  return a.deployment === b.deployment && a.modelVersion === b.modelVersion && a.route === b.route && a.status === b.status && a.revision === b.revision && a.model === b.model;
}

/** The ids, timestamps and row counts of a batch's requests (without reading its values). */
export function batchRequests(row: Pick<PredictionBatchTable, 'requests'>): RequestsJson {
  return JSON.parse(row.requests) as RequestsJson;
}

/** A batch row as one PredictionTable per request, in the order they were logged. */
export function expandBatch(row: PredictionBatchTable): PredictionTable[] {
  const q = batchRequests(row);
  const p = JSON.parse(row.payload) as { inputs: SideJson; outputs: SideJson };
  const out: PredictionTable[] = new Array(q.ids.length);
  for (let i = 0; i < q.ids.length; i++) {
    const inAt = p.inputs.of[i]!;
    const outAt = p.outputs.of[i]!;
    out[i] = {
      request_id: q.ids[i]!, rows: q.rows[i]!, deployment: row.deployment, revision: Number(row.revision), model: row.model, model_version: row.model_version,
      route: row.route, ts: q.ts[i]!, inputs: JSON.stringify({ names: p.inputs.names[inAt], values: p.inputs.values[i] }),
      outputs: JSON.stringify({ names: p.outputs.names[outAt], widths: p.outputs.widths![outAt], values: p.outputs.values[i] }),
      latency_us: q.latency_us[i]!, status: row.status, error: q.errors?.[i] ?? null,
    };
  }
  return out;
}

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * The millisecond a request id was made at: Ferry's ids are UUIDv7 (serving/request-id.ts), whose first 48 bits
 * are the time, taken just before the request's timestamp. Null for anything else (an id Ferry never issued).
 */
export function requestIdTime(id: string): number | null {
  if (!UUID_V7.test(id)) return null;
  return parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}

/** The smallest UUIDv7 made at or after `ms` (ids sort by time: id >= idAtOrAfter(t) ⇔ made at t or later). */
export function idAtOrAfter(ms: number): string {
  const hex = Math.max(0, Math.floor(ms)).toString(16).padStart(12, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8)}-`;
}
