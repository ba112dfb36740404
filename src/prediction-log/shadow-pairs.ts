/**
 * Requests both models scored: the champion answered them on a main route and the candidate scored them as a
 * shadow (the same request id), with label or value feedback — what the loop's judge compares on, per feedback
 * row, as paired losses on the same request.
 */
import type { Kysely } from 'kysely';
import { InvalidParameterError } from '../errors.js';
import type { Database, PredictionBatchTable } from '../store/index.js';
import { outputRowsOf } from './flat-rows.js';
import { type RequestsJson, batchRequests, batchValues } from './prediction-batch.js';

type Db = Kysely<Database>;

export interface ShadowPair {
  requestId: string;
  /** The row of the request the feedback is about. */
  row: number;
  /** When the champion answered the request. */
  ts: number;
  kind: 'label' | 'value';
  /** The feedback's ground truth (parsed JSON). */
  truth: unknown;
  /** The row's outputs, keyed by output name (a list for a vector output). */
  champion: Record<string, unknown>;
  candidate: Record<string, unknown>;
}

export interface ShadowPairsOptions {
  champion: string;
  candidate: string;
  /** The champion's answers in [from, to) (epoch ms). */
  from: number;
  to: number;
  /** At most this many pairs, the earliest requests first. */
  limit: number;
}

/**
 * A shadow is logged with the time it started, after the champion answered: a request's shadow is looked for
 * up to this long after its answer (a shadow later than that is not paired).
 */
export const SHADOW_LAG_MS = 60_000;
const PAGE = 100;
const ID_CHUNK = 500;

type Batch = Pick<PredictionBatchTable, 'batch_id' | 'ts_min' | 'requests'>;
interface At {
  batch: Batch;
  reqs: RequestsJson;
  index: number;
  ts: number;
  rows: number;
}

/** Pairs per feedback row, ordered by request time, then id, then row. */
export async function shadowPairs(db: Db, deployment: string, o: ShadowPairsOptions): Promise<ShadowPair[]> {
  if (!(Number.isFinite(o.from) && Number.isFinite(o.to) && o.from < o.to)) throw new InvalidParameterError('from', 'The window needs from < to (epoch ms).');
  if (!(Number.isInteger(o.limit) && o.limit > 0)) throw new InvalidParameterError('limit', 'The limit must be a positive integer.');
  if (o.champion === o.candidate) throw new InvalidParameterError('candidate', 'The candidate must be another version than the champion.');
  const out: ShadowPair[] = [];
  let last: { ts_min: number; batch_id: string } | null = null;
  for (;;) {
    let q = db
      .selectFrom('prediction_batches')
      .select(['batch_id', 'ts_min', 'requests'])
      .where('deployment', '=', deployment)
      .where('route', '=', 'main')
      .where('model_version', '=', o.champion)
      .where('status', '=', 'ok')
      .where('ts_max', '>=', o.from)
      .where('ts_min', '<', o.to);
    if (last) {
      const l = last;
      q = q.where((eb) => eb.or([eb('ts_min', '>', l.ts_min), eb.and([eb('ts_min', '=', l.ts_min), eb('batch_id', '>', l.batch_id)])]));
    }
    const page = await q.orderBy('ts_min').orderBy('batch_id').limit(PAGE).execute();
    // A caller's request id may repeat (a retry): such an id cannot be told apart, so it is left out.
    const answered = new Map<string, At | null>();
    for (const batch of page) {
      const reqs = batchRequests(batch);
      reqs.ids.forEach((id, index) => {
        const ts = Number(reqs.ts[index]);
        if (ts < o.from || ts >= o.to) return;
        answered.set(id, answered.has(id) ? null : { batch, reqs, index, ts, rows: Number(reqs.rows[index]) });
      });
    }
    const ids = [...answered].filter(([, at]) => at !== null).map(([id]) => id);
    const feedback = await feedbackOf(db, ids);
    if (feedback.length > 0) {
      const times = feedback.map((f) => answered.get(f.request_id)!.ts);
      const shadows = await shadowsOf(db, deployment, o.candidate, Math.min(...times), Math.max(...times), new Set(feedback.map((f) => f.request_id)));
      const matched: { f: Database['feedback']; main: At; shadow: At; row: number }[] = [];
      for (const f of feedback) {
        const main = answered.get(f.request_id)!;
        const shadow = shadows.get(f.request_id);
        const row = Number(f.row);
        if (!shadow || shadow.ts > main.ts + SHADOW_LAG_MS || row >= main.rows || row >= shadow.rows) continue;
        matched.push({ f, main, shadow, row });
      }
      // Only the batches that hold a pair are read whole (their payloads), each once.
      const rowsOf = await outputsReader(db, [...new Set(matched.flatMap((m) => [m.main.batch.batch_id, m.shadow.batch.batch_id]))]);
      for (const { f, main, shadow, row } of matched) {
        out.push({
          requestId: f.request_id,
          row,
          ts: main.ts,
          kind: f.kind as 'label' | 'value',
          truth: JSON.parse(f.value) as unknown,
          champion: rowsOf(main)[row] ?? {},
          candidate: rowsOf(shadow)[row] ?? {},
        });
      }
    }
    out.sort(byTime);
    // Pairs past the limit stay past it whatever later pages add.
    if (out.length > o.limit) out.length = o.limit;
    if (page.length < PAGE) break;
    const end = page[page.length - 1]!;
    last = { ts_min: Number(end.ts_min), batch_id: end.batch_id };
    // Batches not read yet start at or after `last.ts_min`: the first `limit` pairs are final once they are earlier.
    if (out.length >= o.limit && out[o.limit - 1]!.ts < last.ts_min) break;
  }
  return out;
}

/** Reads these batches' payloads; answers a function giving a logged request's output rows (each request decoded once). */
async function outputsReader(db: Db, batchIds: string[]): Promise<(at: At) => Record<string, unknown>[]> {
  const payloads = new Map<string, string>();
  for (let i = 0; i < batchIds.length; i += ID_CHUNK) {
    const part = await db
      .selectFrom('prediction_batches')
      .select(['batch_id', 'payload'])
      .where('batch_id', 'in', batchIds.slice(i, i + ID_CHUNK))
      .execute();
    for (const r of part) payloads.set(r.batch_id, r.payload);
  }
  const decoded = new Map<string, ReturnType<typeof batchValues>['outputs']>();
  const rows = new Map<At, Record<string, unknown>[]>();
  return (at) => {
    let r = rows.get(at);
    if (r) return r;
    let all = decoded.get(at.batch.batch_id);
    if (!all) decoded.set(at.batch.batch_id, (all = batchValues(payloads.get(at.batch.batch_id)!, at.reqs).outputs));
    const v = all[at.index]!;
    rows.set(at, (r = outputRowsOf({ names: v.names, widths: v.widths, values: v.values }, at.rows)));
    return r;
  };
}

function byTime(a: ShadowPair, b: ShadowPair): number {
  return a.ts - b.ts || (a.requestId < b.requestId ? -1 : a.requestId > b.requestId ? 1 : 0) || a.row - b.row;
}

async function feedbackOf(db: Db, ids: string[]): Promise<Database['feedback'][]> {
  const out: Database['feedback'][] = [];
  for (let i = 0; i < ids.length; i += ID_CHUNK) {
    const part = await db
      .selectFrom('feedback')
      .selectAll()
      .where('request_id', 'in', ids.slice(i, i + ID_CHUNK))
      .where('kind', 'in', ['label', 'value'])
      .execute();
    out.push(...part);
  }
  return out;
}

/** The candidate's successful shadows of these requests, logged from `lo` to `hi` + SHADOW_LAG_MS (ids seen twice left out). */
async function shadowsOf(db: Db, deployment: string, candidate: string, lo: number, hi: number, wanted: Set<string>): Promise<Map<string, At>> {
  const batches = await db
    .selectFrom('prediction_batches')
    .select(['batch_id', 'ts_min', 'requests'])
    .where('deployment', '=', deployment)
    .where('route', '=', 'shadow')
    .where('model_version', '=', candidate)
    .where('status', '=', 'ok')
    .where('ts_max', '>=', lo)
    .where('ts_min', '<=', hi + SHADOW_LAG_MS)
    .execute();
  const found = new Map<string, At | null>();
  for (const batch of batches) {
    const reqs = batchRequests(batch);
    reqs.ids.forEach((id, index) => {
      if (!wanted.has(id)) return;
      found.set(id, found.has(id) ? null : { batch, reqs, index, ts: Number(reqs.ts[index]), rows: Number(reqs.rows[index]) });
    });
  }
  const out = new Map<string, At>();
  for (const [id, at] of found) if (at) out.set(id, at);
  return out;
}
