/** Queries of the prediction log and feedback. */
import type { Kysely } from 'kysely';
import type { Database } from '../store/index.js';

type Db = Kysely<Database>;

const CHUNK = 400;

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

/** Logged requests newest first; `after` continues from the last one of the previous page. */
export function queryPredictions(db: Db, f: PredictionFilter, limit: number, after?: Cursor) {
  let q = db.selectFrom('predictions').selectAll().where('deployment', '=', f.deployment);
  if (f.from !== undefined) q = q.where('ts', '>=', f.from);
  if (f.to !== undefined) q = q.where('ts', '<', f.to);
  if (f.modelVersion !== undefined) q = q.where('model_version', '=', f.modelVersion);
  if (f.status !== undefined) q = q.where('status', '=', f.status);
  if (f.route !== undefined) q = q.where('route', '=', f.route);
  if (after) {
    q = q.where((eb) =>
      eb.or([
        eb('ts', '<', after.ts),
        eb.and([eb('ts', '=', after.ts), eb('request_id', '<', after.request_id)]),
        eb.and([eb('ts', '=', after.ts), eb('request_id', '=', after.request_id), eb('route', '<', after.route)]),
        eb.and([eb('ts', '=', after.ts), eb('request_id', '=', after.request_id), eb('route', '=', after.route), eb('model_version', '<', after.model_version)]),
      ]),
    );
  }
  return q.orderBy('ts', 'desc').orderBy('request_id', 'desc').orderBy('route', 'desc').orderBy('model_version', 'desc').limit(limit).execute();
}

export async function deletePredictionsBefore(db: Db, deployment: string, before: number): Promise<number> {
  const res = await db.deleteFrom('predictions').where('deployment', '=', deployment).where('ts', '<', before).executeTakeFirst();
  return Number(res.numDeletedRows ?? 0);
}

/** Answered (main-route) requests among these ids, with their row counts: what feedback may refer to. */
export function findAnswered(db: Db, requestIds: string[]) {
  return db.selectFrom('predictions').select(['request_id', 'rows']).where('request_id', 'in', requestIds).where('route', '=', 'main').execute();
}

export async function upsertFeedback(db: Db, rows: Database['feedback'][]): Promise<void> {
  if (rows.length === 0) return;
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < rows.length; i += CHUNK) {
      await trx
        .insertInto('feedback')
        .values(rows.slice(i, i + CHUNK))
        .onConflict((oc) => oc.columns(['request_id', 'row']).doUpdateSet((eb) => ({ kind: eb.ref('excluded.kind'), value: eb.ref('excluded.value'), ts: eb.ref('excluded.ts'), received_at: eb.ref('excluded.received_at') })))
        .execute();
    }
  });
}

/** Predictions of a deployment in [from, to) joined with their feedback (for live performance). */
export function predictionsWithFeedback(db: Db, deployment: string, from: number, to: number, limit: number) {
  return db
    .selectFrom('predictions as p')
    .innerJoin('feedback as f', (j) => j.onRef('f.request_id', '=', 'p.request_id'))
    .select(['p.model_version', 'p.ts', 'p.outputs', 'p.rows', 'f.row', 'f.kind', 'f.value'])
    .where('p.deployment', '=', deployment)
    .where('p.route', '=', 'main')
    .where('p.status', '=', 'ok')
    .where('p.ts', '>=', from)
    .where('p.ts', '<', to)
    .limit(limit)
    .execute();
}
