/**
 * Queries of the prediction log and feedback. The log is stored in batches of requests (prediction-batch.ts);
 * these answer per request, as if it were a table of them.
 */
import type { Kysely } from 'kysely';
import type { Database, PredictionBatchTable, PredictionTable } from '../store/index.js';
import { outputRowsOf } from './flat-rows.js';
import { ID_SLACK_MS, MAX_BATCH_SPAN_MS, type RequestsJson, batchRequests, batchValues, expandBatch, idAtOrAfter, requestIdTime } from './prediction-batch.js';

type Db = Kysely<Database>;

/** A request's row with feedback, and the request's outputs: what live performance scores. */
export interface JoinedRow {
  request_id: string;
  model_version: string;
  ts: number;
  /** JSON of the request's logged outputs (flat: names, widths, values row after row). */
  outputs: string;
  /** Rows in the request. */
  rows: number;
  /** The row of the request the feedback is about. */
  row: number;
  kind: string;
  /** JSON of the feedback value. */
  value: string;
  /** JSON of the request's logged inputs (flat: names and values row after row), when asked for. */
  inputs?: string;
}

const CHUNK = 400;
/** Request ids per lookup of their mapped times. */
const ID_LOOKUP_CHUNK = 500;
/** Batches read per step when paging through a deployment's log. */
const BATCH_PAGE = 20;
/** Ids whose times are this close make one time range to look up. */
const ID_CLUSTER_MS = 1_000;
/** Time ranges asked for in one query. */
const RANGES_PER_QUERY = 50;

export interface PredictionFilter {
  deployment: string;
  from?: number;
  to?: number;
  modelVersion?: string;
  status?: string;
  route?: string;
}

/** Where a page ended: the last logged request's sort key (requests are unique by id, route and version). */
export interface Cursor {
  ts: number;
  request_id: string;
  route: string;
  model_version: string;
}

/** Newest first: by timestamp, then request id, route and model version (all descending). */
function compareDesc(a: Cursor, b: Cursor): number {
  if (a.ts !== b.ts) return b.ts - a.ts;
  if (a.request_id !== b.request_id) return a.request_id < b.request_id ? 1 : -1;
  if (a.route !== b.route) return a.route < b.route ? 1 : -1;
  return a.model_version === b.model_version ? 0 : a.model_version < b.model_version ? 1 : -1;
}

/** Logged requests newest first; `after` continues from the last one of the previous page. */
export async function queryPredictions(db: Db, f: PredictionFilter, limit: number, after?: Cursor): Promise<PredictionTable[]> {
  // Requests newer than this bound (or at it) cannot be on the page.
  const upper = Math.min(f.to ?? Infinity, after ? after.ts + 1 : Infinity);
  const found: PredictionTable[] = [];
  let last: { ts_max: number; batch_id: string } | null = null;
  for (;;) {
    let q = db.selectFrom('prediction_batches').selectAll().where('deployment', '=', f.deployment);
    if (Number.isFinite(upper)) q = q.where('ts_min', '<', upper);
    if (f.from !== undefined) q = q.where('ts_max', '>=', f.from);
    if (f.modelVersion !== undefined) q = q.where('model_version', '=', f.modelVersion);
    if (f.status !== undefined) q = q.where('status', '=', f.status);
    if (f.route !== undefined) q = q.where('route', '=', f.route);
    if (last) {
      const l = last;
      q = q.where((eb) => eb.or([eb('ts_max', '<', l.ts_max), eb.and([eb('ts_max', '=', l.ts_max), eb('batch_id', '<', l.batch_id)])]));
    }
    const batches = await q.orderBy('ts_max', 'desc').orderBy('batch_id', 'desc').limit(BATCH_PAGE).execute();
    for (const b of batches) {
      for (const r of expandBatch(b)) {
        if (f.from !== undefined && r.ts < f.from) continue;
        if (f.to !== undefined && r.ts >= f.to) continue;
        if (after && compareDesc(r, after) <= 0) continue;
        found.push(r);
      }
    }
    found.sort(compareDesc);
    if (batches.length < BATCH_PAGE) return found.slice(0, limit);
    const end = batches[batches.length - 1]!;
    last = { ts_max: Number(end.ts_max), batch_id: end.batch_id };
    // Batches not read yet hold requests at or before `last.ts_max`: what is newer is final.
    let final = 0;
    while (final < found.length && found[final]!.ts > last.ts_max) final++;
    if (final >= limit) return found.slice(0, limit);
  }
}

/**
 * Deletes a deployment's batches whose newest request is before `before`, and the mapped times of the caller ids
 * they held; answers the requests deleted.
 */
export async function deletePredictionsBefore(db: Db, deployment: string, before: number): Promise<number> {
  const old = db.selectFrom('prediction_batches').where('deployment', '=', deployment).where('ts_max', '<', before);
  const counted = await old.select((eb) => eb.fn.sum<number | string | null>('request_count').as('n')).executeTakeFirst();
  await db.deleteFrom('prediction_batches').where('deployment', '=', deployment).where('ts_max', '<', before).execute();
  // A batch spans at most MAX_BATCH_SPAN_MS: a request older than this was in a batch just deleted (a younger one
  // may still be in a kept batch, and goes at the next pass).
  await db
    .deleteFrom('prediction_request_ids')
    .where('deployment', '=', deployment)
    .where('ts', '<', before - MAX_BATCH_SPAN_MS)
    .execute();
  return Number(counted?.n ?? 0);
}

interface Located {
  batch: Pick<PredictionBatchTable, 'deployment' | 'model_version' | 'status' | 'requests'> & Partial<Pick<PredictionBatchTable, 'payload'>>;
  requests: RequestsJson;
  index: number;
  ts: number;
  rows: number;
}

/**
 * Where answered (main-route) requests are: Ferry's ids (UUIDv7) from the time in them; with `mapped`, the others
 * (a caller's X-Request-Id) and v7 ids not found so, from the time stored for them (prediction_request_ids).
 */
async function locate(db: Db, ids: string[], withPayload: boolean, deployment: string | undefined, mapped: boolean): Promise<Map<string, Located>> {
  const timed = ids.map((id) => ({ id, t: requestIdTime(id) })).filter((x): x is { id: string; t: number } => x.t !== null);
  const out = await locateAt(db, timed, withPayload, deployment);
  if (!mapped) return out;
  const rest = ids.filter((id) => !out.has(id));
  if (rest.length > 0) for (const [id, l] of await locateAt(db, await mappedTimes(db, rest, deployment), withPayload, deployment)) out.set(id, l);
  return out;
}

/** The stored times of caller ids (one per logged request: an id a caller sent twice has two). */
async function mappedTimes(db: Db, ids: string[], deployment: string | undefined): Promise<{ id: string; t: number }[]> {
  const out: { id: string; t: number }[] = [];
  for (let i = 0; i < ids.length; i += ID_LOOKUP_CHUNK) {
    let q = db
      .selectFrom('prediction_request_ids')
      .select(['request_id', 'ts'])
      .where('request_id', 'in', ids.slice(i, i + ID_LOOKUP_CHUNK));
    if (deployment !== undefined) q = q.where('deployment', '=', deployment);
    for (const r of await q.execute()) out.push({ id: r.request_id, t: Number(r.ts) });
  }
  return out;
}

/** Requests by the time they were logged near: the batches whose time range covers it (through the ts_min index). */
async function locateAt(db: Db, timed: { id: string; t: number }[], withPayload: boolean, deployment?: string): Promise<Map<string, Located>> {
  timed.sort((a, b) => a.t - b.t);
  const wanted = new Set(timed.map((x) => x.id));
  // Close times make one range; ranges are asked for RANGES_PER_QUERY at a time (feedback for a day's
  // traffic can name ids from thousands of moments).
  const ranges: { lo: number; hi: number }[] = [];
  for (let i = 0; i < timed.length;) {
    let j = i + 1;
    while (j < timed.length && timed[j]!.t - timed[i]!.t <= ID_CLUSTER_MS) j++;
    ranges.push({ lo: timed[i]!.t - ID_SLACK_MS, hi: timed[j - 1]!.t + ID_SLACK_MS });
    i = j;
  }
  const out = new Map<string, Located>();
  for (let k = 0; k < ranges.length; k += RANGES_PER_QUERY) {
    const part = ranges.slice(k, k + RANGES_PER_QUERY);
    let q = db
      .selectFrom('prediction_batches')
      .select(withPayload ? ['deployment', 'model_version', 'status', 'requests', 'payload'] : ['deployment', 'model_version', 'status', 'requests'])
      .where('route', '=', 'main')
      .where((eb) => eb.or(part.map(({ lo, hi }) => eb.and([eb('ts_min', '>=', lo - MAX_BATCH_SPAN_MS), eb('ts_min', '<=', hi), eb('ts_max', '>=', lo)]))));
    if (deployment !== undefined) q = q.where('deployment', '=', deployment);
    for (const batch of await q.execute()) {
      const reqs = batchRequests(batch);
      reqs.ids.forEach((id, index) => {
        if (wanted.has(id)) out.set(id, { batch, requests: reqs, index, ts: reqs.ts[index]!, rows: reqs.rows[index]! });
      });
    }
  }
  return out;
}

/** Answered (main-route) requests among these ids (of one deployment, if given), with their row counts: what feedback may refer to. */
export async function findAnswered(db: Db, requestIds: string[], deployment?: string): Promise<{ request_id: string; rows: number }[]> {
  const found = await locate(db, requestIds, false, deployment, true);
  return [...found].map(([request_id, l]) => ({ request_id, rows: l.rows }));
}

/** A logged answered request as the A/B tests see it: where and when it was served, and its unit there. */
export interface RequestUnit {
  deployment: string;
  /** As stored (keyed when PII rules cover the sticky key's field); null when no A/B test counted the request. */
  unit: string | null;
  abtest: string | null;
  modelVersion: string;
  ts: number;
}

/** Answered (main-route) requests among these ids, with their A/B test units (ids not found are absent). */
export async function findRequestUnits(db: Db, requestIds: string[]): Promise<Map<string, RequestUnit>> {
  const out = new Map<string, RequestUnit>();
  for (const [id, l] of await locate(db, requestIds, false, undefined, true)) {
    const unit = l.requests.units?.[l.index] ?? null;
    out.set(id, {
      deployment: l.batch.deployment,
      unit,
      abtest: unit === null ? null : (l.requests.abtests?.[l.index] ?? null),
      modelVersion: l.batch.model_version,
      ts: l.ts,
    });
  }
  return out;
}

/** A logged answered request's outputs, one object per row (keyed by output name), with its A/B test unit. */
export interface RequestOutputs extends RequestUnit {
  outputs: Record<string, unknown>[];
}

/**
 * Answered (main-route) requests among these ids that succeeded, with their outputs: what model-quality metrics
 * of A/B tests score feedback against. Ids not found, and requests that failed, are absent.
 */
export async function findRequestOutputs(db: Db, requestIds: string[]): Promise<Map<string, RequestOutputs>> {
  const out = new Map<string, RequestOutputs>();
  // A batch's outputs are decoded once, however many of its requests are asked for.
  const decoded = new Map<Located['batch'], ReturnType<typeof batchValues>['outputs']>();
  for (const [id, l] of await locate(db, requestIds, true, undefined, true)) {
    if (l.batch.status !== 'ok') continue;
    let all = decoded.get(l.batch);
    if (!all) decoded.set(l.batch, (all = batchValues(l.batch.payload!, l.requests).outputs));
    const o = all[l.index]!;
    const unit = l.requests.units?.[l.index] ?? null;
    out.set(id, {
      deployment: l.batch.deployment,
      unit,
      abtest: unit === null ? null : (l.requests.abtests?.[l.index] ?? null),
      modelVersion: l.batch.model_version,
      ts: l.ts,
      outputs: outputRowsOf({ names: o.names, widths: o.widths, values: o.values }, l.rows),
    });
  }
  return out;
}

export async function upsertFeedback(db: Db, rows: Database['feedback'][]): Promise<void> {
  if (rows.length === 0) return;
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < rows.length; i += CHUNK) {
      await trx
        .insertInto('feedback')
        .values(rows.slice(i, i + CHUNK))
        .onConflict((oc) =>
          oc.columns(['request_id', 'row']).doUpdateSet((eb) => ({
            kind: eb.ref('excluded.kind'),
            value: eb.ref('excluded.value'),
            ts: eb.ref('excluded.ts'),
            received_at: eb.ref('excluded.received_at'),
          })),
        )
        .execute();
    }
  });
}

/**
 * Feedback rows read per step. Each step is one synchronous stretch on SQLite (its driver blocks), so the join of a
 * busy window yields to the event loop between steps: a short step keeps other requests' latency flat.
 */
const FEEDBACK_PAGE = 1_000;
const yieldToIo = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Answered requests of a deployment in [from, to) that have feedback, a row per feedback row, with the
 * request's outputs (for live performance). Feedback on Ferry's ids is read by id range (UUIDv7 ids sort by the
 * time they were made); feedback on a caller's ids, which do not, through the times stored for them.
 */
export async function predictionsWithFeedback(
  db: Db,
  deployment: string,
  from: number,
  to: number,
  limit: number,
  o: { inputs?: boolean } = {},
): Promise<JoinedRow[]> {
  const out: JoinedRow[] = [];
  // A caller's UUIDv7 can be both in the id range and mapped: each feedback row counts once.
  const seen = new Set<string>();
  const start = idAtOrAfter(from - ID_SLACK_MS);
  const end = idAtOrAfter(to + ID_SLACK_MS);
  await pageFeedback(
    (q) => q.where('request_id', '>=', start).where('request_id', '<', end),
    (fb) => locate(db, [...new Set(fb.map((r) => r.request_id))], true, deployment, false),
  );
  if (out.length < limit) {
    const mappedIds = db
      .selectFrom('prediction_request_ids')
      .select('request_id')
      .where('deployment', '=', deployment)
      .where('ts', '>=', from)
      .where('ts', '<', to);
    await pageFeedback(
      (q) => q.where('request_id', 'in', mappedIds),
      async (fb) => {
        const ids = [...new Set(fb.map((r) => r.request_id))];
        return locateAt(db, await mappedTimes(db, ids, deployment), true, deployment);
      },
    );
  }
  return out;

  async function pageFeedback(
    which: (q: ReturnType<typeof feedbackFrom>) => ReturnType<typeof feedbackFrom>,
    locateAll: (fb: Database['feedback'][]) => Promise<Map<string, Located>>,
  ): Promise<void> {
    let after: { request_id: string; row: number } | null = null;
    while (out.length < limit) {
      let q = which(feedbackFrom(db));
      if (after) {
        const a = after;
        q = q.where((eb) => eb.or([eb('request_id', '>', a.request_id), eb.and([eb('request_id', '=', a.request_id), eb('row', '>', a.row)])]));
      }
      const fb = await q.orderBy('request_id').orderBy('row').limit(FEEDBACK_PAGE).execute();
      if (fb.length === 0) break;
      const located = await locateAll(fb);
      // A batch's outputs are decoded once, however many of its requests have feedback.
      const decoded = new Map<Located['batch'], ReturnType<typeof batchValues>>();
      const outputsOf = new Map<Located, { outputs: string; inputs?: string }>();
      for (const r of fb) {
        const l = located.get(r.request_id);
        if (!l || l.batch.status !== 'ok' || l.ts < from || l.ts >= to) continue;
        const key = `${r.request_id}\0${r.row}`;
        if (seen.has(key)) continue;
        seen.add(key);
        let sides = outputsOf.get(l);
        if (sides === undefined) {
          let all = decoded.get(l.batch);
          if (!all) decoded.set(l.batch, (all = batchValues(l.batch.payload!, l.requests)));
          const res = all.outputs[l.index]!;
          const inp = all.inputs[l.index]!;
          sides = {
            outputs: JSON.stringify({ names: res.names, widths: res.widths, values: res.values }),
            ...(o.inputs ? { inputs: JSON.stringify({ names: inp.names, values: inp.values }) } : {}),
          };
          outputsOf.set(l, sides);
        }
        out.push({
          request_id: r.request_id,
          model_version: l.batch.model_version,
          ts: l.ts,
          ...sides,
          rows: l.rows,
          row: Number(r.row),
          kind: r.kind,
          value: r.value,
        });
        if (out.length >= limit) break;
      }
      if (fb.length < FEEDBACK_PAGE) break;
      const lastRow = fb[fb.length - 1]!;
      after = { request_id: lastRow.request_id, row: Number(lastRow.row) };
      await yieldToIo();
    }
  }
}

function feedbackFrom(db: Db) {
  return db.selectFrom('feedback').selectAll();
}
