/**
 * The stored form of the prediction log: batches of requests (see PredictionBatchTable). BatchBuilder gathers
 * a flush's stored requests into batch rows; expandBatch turns a row back into one PredictionTable per request,
 * as the log's readers (query, export, feedback, live performance) see them.
 *
 * A batch holds requests that share deployment, revision, model, version, route and status, at most
 * MAX_BATCH_REQUESTS requests and MAX_BATCH_ROWS rows (so that reading one request parses a bounded row),
 * spanning at most MAX_BATCH_SPAN_MS (so that a request is found from the time in its id; see below).
 */
import { randomUUID } from 'node:crypto';
import type { PredictionBatchTable, PredictionRequestIdTable, PredictionTable } from '../store/index.js';
import { ColumnAcc, type EncodedColumn, decodeColumn, encodeColumn } from './column-acc.js';

export const MAX_BATCH_REQUESTS = 500;
export const MAX_BATCH_ROWS = 4_096;
export const MAX_BATCH_SPAN_MS = 1_000;
/**
 * How far a request's timestamp may be from the time in its id for the log to find it by that time: serving
 * takes both from one clock reading for ids it makes during the request (serving/deployments/request-id.ts);
 * requests logged by earlier versions took the timestamp just after the id. An id made when the request arrived
 * (server/request-id.ts) is a little older than the timestamp; one farther off is mapped (`requestIds` below).
 */
export const ID_SLACK_MS = 1_000;

/** A flush's batch rows, and the times of its answered requests whose ids do not carry them (written together). */
export interface BatchWrite {
  batches: PredictionBatchTable[];
  requestIds: PredictionRequestIdTable[];
}

/** What a batch row's `requests` holds. */
export interface RequestsJson {
  ids: string[];
  ts: number[];
  rows: number[];
  latency_us: number[];
  /** Present when some request of the batch has an error message. */
  errors?: (string | null)[];
  /**
   * Present when some request of the batch was counted by an A/B test: its unit (keyed when PII rules cover the
   * sticky key's field) and the test's id; null for the others.
   */
  units?: (string | null)[];
  abtests?: (string | null)[];
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
  /** The A/B test's unit (as stored) and the test, when one counted the request. */
  unit?: string;
  abtest?: string;
}

/** A logged request as one PredictionTable, with its A/B test's unit when it has one. */
export type LoggedRow = PredictionTable & { unit?: string; abtest?: string };

/** One side of a request as the builder takes it (the caller reuses one object per side, request after request). */
export interface StoredSide {
  /** Inputs: a name per column. Outputs: a name per output, of `widths[k]` columns each. */
  names: string[];
  widths: number[];
  /** The values row after row as they came, stored as they are; null: the side is `columns` columns that `fill` appends. */
  flat: unknown[] | null;
  columns: number;
  /** Appends the request's rows of each column to `accs` (one per column). */
  fill(accs: ColumnAcc[]): void;
}

interface GroupJson {
  names: string[];
  widths?: number[];
  /** The batch's requests of this layout (indexes into its lists), their rows one after another in each column. */
  at: number[];
  columns: EncodedColumn[];
}

interface RawJson {
  at: number;
  names: string[];
  widths?: number[];
  values: unknown[];
}

interface SideJson {
  groups: GroupJson[];
  raw: RawJson[];
}

interface PayloadJson {
  v: 2;
  inputs: SideJson;
  outputs: SideJson;
}

/** A batch's requests of one side layout, as columns. */
class Group {
  readonly at: number[] = [];
  readonly cols: ColumnAcc[];
  constructor(
    readonly names: string[],
    readonly widths: number[] | undefined,
    columns: number,
  ) {
    this.cols = Array.from({ length: columns }, () => new ColumnAcc());
  }
  json(): GroupJson {
    return { names: this.names, ...(this.widths ? { widths: this.widths } : {}), at: this.at, columns: this.cols.map((c) => encodeColumn(c.result())) };
  }
}

class SideAcc {
  private groups = new Map<string[], Map<number[] | undefined, Group>>();
  private raw: RawJson[] = [];
  constructor(private readonly withWidths: boolean) {}

  add(i: number, side: StoredSide): void {
    const widths = this.withWidths ? side.widths : undefined;
    if (side.flat) {
      this.raw.push({ at: i, names: side.names, ...(widths ? { widths } : {}), values: side.flat });
      return;
    }
    let byWidths = this.groups.get(side.names);
    if (!byWidths) this.groups.set(side.names, (byWidths = new Map()));
    let g = byWidths.get(widths);
    if (!g || g.cols.length !== side.columns) byWidths.set(widths, (g = new Group(side.names, widths, side.columns)));
    g.at.push(i);
    side.fill(g.cols);
  }

  json(): SideJson {
    const groups: GroupJson[] = [];
    for (const byWidths of this.groups.values()) for (const g of byWidths.values()) groups.push(g.json());
    return { groups, raw: this.raw };
  }
}

class Acc {
  readonly req: RequestsJson = { ids: [], ts: [], rows: [], latency_us: [] };
  readonly inputs = new SideAcc(false);
  readonly outputs = new SideAcc(true);
  rowCount = 0;
  tsMin = Infinity;
  tsMax = -Infinity;
  constructor(
    readonly head: LoggedRequest,
    /** The group's key in the builder. */
    readonly key: string,
  ) {}

  fits(r: LoggedRequest): boolean {
    const n = this.req.ids.length;
    return (
      n < MAX_BATCH_REQUESTS &&
      (n === 0 || this.rowCount + r.rows <= MAX_BATCH_ROWS) &&
      Math.max(this.tsMax, r.ts) - Math.min(this.tsMin, r.ts) <= MAX_BATCH_SPAN_MS
    );
  }

  add(r: LoggedRequest, inputs: StoredSide, outputs: StoredSide): void {
    const q = this.req;
    const i = q.ids.length;
    if (r.error !== undefined && !q.errors) q.errors = q.ids.map(() => null);
    if (r.unit !== undefined && !q.units) {
      q.units = q.ids.map(() => null);
      q.abtests = q.ids.map(() => null);
    }
    q.ids.push(r.requestId);
    q.ts.push(r.ts);
    q.rows.push(r.rows);
    q.latency_us.push(r.latencyUs);
    q.errors?.push(r.error ?? null);
    q.units?.push(r.unit ?? null);
    q.abtests?.push(r.unit !== undefined ? (r.abtest ?? null) : null);
    this.inputs.add(i, inputs);
    this.outputs.add(i, outputs);
    this.rowCount += r.rows;
    if (r.ts < this.tsMin) this.tsMin = r.ts;
    if (r.ts > this.tsMax) this.tsMax = r.ts;
  }

  /** `suffix`: what tells apart batches headed by one caller id, lasting when the batch has a key (else random). */
  row(suffix?: string): PredictionBatchTable {
    const h = this.head;
    const payload: PayloadJson = { v: 2, inputs: this.inputs.json(), outputs: this.outputs.json() };
    // Ferry's ids are unique; a caller's may repeat (a retry sending its id again), and a batch named after
    // one would then be taken for a copy of an earlier batch and not written.
    // A journalled batch names its rows after its key instead, so that replaying it after a crash finds the rows
    // stored before the crash (the same ids) rather than writing them again.
    const head = idCarriesTime(h.requestId, h.ts) ? h.requestId : `${h.requestId}:${suffix ?? randomUUID()}`;
    return {
      batch_id: `${h.route}:${head}:${h.modelVersion}`,
      deployment: h.deployment,
      revision: h.revision,
      model: h.model,
      model_version: h.modelVersion,
      route: h.route,
      status: h.status,
      ts_min: this.tsMin,
      ts_max: this.tsMax,
      request_count: this.req.ids.length,
      row_count: this.rowCount,
      requests: JSON.stringify(this.req),
      payload: JSON.stringify(payload),
    };
  }
}

/**
 * A side given as row-major values (`rows` rows of `columns` values), to be stored as columns: a column of
 * numbers and nulls as numbers, any other as a list. For callers that hold plain lists (tests, tools).
 */
export function listSide(names: string[], widths: number[], rows: number, values: unknown[]): StoredSide {
  const columns = widths.length ? widths.reduce((a, b) => a + b, 0) : names.length;
  return {
    names,
    widths,
    flat: null,
    columns,
    fill(accs) {
      for (let c = 0; c < columns; c++) {
        const col = Array.from({ length: rows }, (_, r) => values[r * columns + c] ?? null);
        if (col.every((v) => v === null || typeof v === 'number'))
          accs[c]!.addNums(
            Float64Array.from(col, (v) => (v === null ? NaN : (v as number))),
            0,
            rows,
          );
        else accs[c]!.addList(col, rows);
      }
    },
  };
}

/** Gathers stored requests into batch rows (requests of interleaved groups each go to their group's batch). */
export class BatchBuilder {
  private open = new Map<string, Acc>();
  private done: Acc[] = [];
  private last: Acc | null = null;
  private requestIds: PredictionRequestIdTable[] = [];

  /** `key`: the packed batch's lasting name (a journal segment), when it has one. */
  constructor(private readonly key?: string) {}

  add(r: LoggedRequest, inputs: StoredSide, outputs: StoredSide): void {
    // Answered requests whose id does not tell their time (a caller's X-Request-Id): feedback finds them by this
    // row. Ferry's own ids cost only the check.
    if (r.route === 'main' && !idCarriesTime(r.requestId, r.ts)) this.requestIds.push({ request_id: r.requestId, deployment: r.deployment, ts: r.ts });
    let acc = this.last;
    if (!acc || !sameGroup(acc.head, r)) {
      const key = `${r.deployment}\0${r.revision}\0${r.model}\0${r.modelVersion}\0${r.route}\0${r.status}`;
      acc = this.open.get(key) ?? null;
      if (!acc) this.open.set(key, (acc = new Acc(r, key)));
    }
    if (!acc.fits(r)) {
      // The group's batch is full: it is done, and the group goes on in a new one.
      this.done.push(acc);
      this.open.set(acc.key, (acc = new Acc(r, acc.key)));
    }
    this.last = acc;
    acc.add(r, inputs, outputs);
  }

  /** The batch rows of everything added; the builder starts afresh. */
  finish(): PredictionBatchTable[] {
    return this.finishWrite().batches;
  }

  /** The batch rows and the request id rows of everything added (to be written in one transaction); the builder starts afresh. */
  finishWrite(): BatchWrite {
    // Groups come out in the same order for the same requests, so a key and the group's place name it for good.
    const batches = [...this.done, ...this.open.values()].map((a, i) => a.row(this.key === undefined ? undefined : `${this.key}.${i}`));
    const requestIds = this.requestIds;
    this.open.clear();
    this.done = [];
    this.last = null;
    this.requestIds = [];
    return { batches, requestIds };
  }
}

function sameGroup(a: LoggedRequest, b: LoggedRequest): boolean {
  return (
    a.deployment === b.deployment &&
    a.modelVersion === b.modelVersion &&
    a.route === b.route &&
    a.status === b.status &&
    a.revision === b.revision &&
    a.model === b.model
  );
}

/** The ids, timestamps and row counts of a batch's requests (without reading its values). */
export function batchRequests(row: Pick<PredictionBatchTable, 'requests'>): RequestsJson {
  return JSON.parse(row.requests) as RequestsJson;
}

/** Each request's values of one side, row after row (and its names, widths). */
interface SideValues {
  names: string[];
  widths: number[];
  values: unknown[];
}

/** Older stores' batches (converted from a row per request): each request's lists as they were. */
interface PayloadV1 {
  inputs: { names: string[][]; of: number[]; values: unknown[][] };
  outputs: { names: string[][]; widths: number[][]; of: number[]; values: unknown[][] };
}

function sideValues(side: SideJson, rows: number[]): SideValues[] {
  const out: SideValues[] = new Array(rows.length);
  for (const g of side.groups) {
    const cols = g.columns.map(decodeColumn);
    let off = 0;
    for (const i of g.at) {
      const n = rows[i]!;
      const values = new Array<unknown>(n * cols.length);
      for (let r = 0, k = 0; r < n; r++) for (let c = 0; c < cols.length; c++) values[k++] = cols[c]![off + r];
      off += n;
      out[i] = { names: g.names, widths: g.widths ?? [], values };
    }
  }
  for (const r of side.raw) out[r.at] = { names: r.names, widths: r.widths ?? [], values: r.values };
  return out;
}

/** Every request's inputs and outputs in a batch's payload, in request order. */
export function batchValues(payload: string, requests: RequestsJson): { inputs: SideValues[]; outputs: SideValues[] } {
  const p = JSON.parse(payload) as PayloadJson | PayloadV1;
  if ('v' in p && p.v === 2) return { inputs: sideValues(p.inputs, requests.rows), outputs: sideValues(p.outputs, requests.rows) };
  const v1 = p as PayloadV1;
  return {
    inputs: requests.ids.map((_, i) => ({ names: v1.inputs.names[v1.inputs.of[i]!]!, widths: [], values: v1.inputs.values[i]! })),
    outputs: requests.ids.map((_, i) => ({
      names: v1.outputs.names[v1.outputs.of[i]!]!,
      widths: v1.outputs.widths[v1.outputs.of[i]!]!,
      values: v1.outputs.values[i]!,
    })),
  };
}

/** A batch row as one PredictionTable per request, in the order they were logged. */
export function expandBatch(row: PredictionBatchTable): LoggedRow[] {
  const q = batchRequests(row);
  const v = batchValues(row.payload, q);
  const out: LoggedRow[] = new Array(q.ids.length);
  for (let i = 0; i < q.ids.length; i++) {
    const inp = v.inputs[i]!;
    const o = v.outputs[i]!;
    out[i] = {
      request_id: q.ids[i]!,
      rows: q.rows[i]!,
      deployment: row.deployment,
      revision: Number(row.revision),
      model: row.model,
      model_version: row.model_version,
      route: row.route,
      ts: q.ts[i]!,
      inputs: JSON.stringify({ names: inp.names, values: inp.values }),
      outputs: JSON.stringify({ names: o.names, widths: o.widths, values: o.values }),
      latency_us: q.latency_us[i]!,
      status: row.status,
      error: q.errors?.[i] ?? null,
    };
    const unit = q.units?.[i] ?? null;
    if (unit !== null) {
      out[i]!.unit = unit;
      const abtest = q.abtests?.[i] ?? null;
      if (abtest !== null) out[i]!.abtest = abtest;
    }
  }
  return out;
}

/** Hex digit values by character code (lowercase, as Ferry writes ids); -1 for anything else. */
const HEX = new Int8Array(128).fill(-1);
for (let d = 0; d < 16; d++) HEX['0123456789abcdef'.charCodeAt(d)] = d;

/**
 * The millisecond a request id says it was made at: Ferry's ids are UUIDv7 (serving/deployments/request-id.ts),
 * whose first 48 bits are the time. Null for an id of another form (a caller's nginx or UUIDv4 id). Read by hand
 * rather than by a regular expression: the log asks this of every request it stores (idCarriesTime), and only the
 * parts that say the time (the version digit, the 12 hex digits) matter to finding it.
 */
export function requestIdTime(id: string): number | null {
  if (id.length !== 36 || id.charCodeAt(8) !== 0x2d || id.charCodeAt(13) !== 0x2d || id.charCodeAt(14) !== 0x37) return null;
  let t = 0;
  for (let i = 0; i < 13; i++) {
    if (i === 8) continue;
    const c = id.charCodeAt(i);
    const v = c < 128 ? HEX[c]! : -1;
    if (v < 0) return null;
    t = t * 16 + v;
  }
  return t;
}

/**
 * Whether the log finds a request logged at `ts` from the time in its id: a UUIDv7 within ID_SLACK_MS of it. Ferry's
 * ids always are; a caller's UUIDv7 usually is (a skewed clock or an id made long before is not).
 */
export function idCarriesTime(id: string, ts: number): boolean {
  const t = requestIdTime(id);
  return t !== null && Math.abs(t - ts) <= ID_SLACK_MS;
}

/** The smallest UUIDv7 made at or after `ms` (ids sort by time: id >= idAtOrAfter(t) ⇔ made at t or later). */
export function idAtOrAfter(ms: number): string {
  const hex = Math.max(0, Math.floor(ms)).toString(16).padStart(12, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8)}-`;
}
