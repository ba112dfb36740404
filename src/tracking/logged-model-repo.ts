/** Queries for MLflow 3 logged models and their params, tags and metrics. No HTTP here. */
import type { ExpressionBuilder, Kysely } from 'kysely';
import type { Database, LoggedModelTable, MetricTable, TextMatch } from '../store/index.js';
import { ACTIVE } from './lifecycle.js';
import { compareText } from './simple-filter-sql.js';
import type { KV } from './shapes.js';
import type { SimpleClause } from './simple-filter.js';

type Db = Kysely<Database>;

/** What a logged model carries besides its row, for many models in three queries. */
export interface LoggedModelDetails {
  params: (KV & { model_id: string })[];
  tags: (KV & { model_id: string })[];
  metrics: Pick<MetricTable, 'model_id' | 'key' | 'value' | 'is_nan' | 'timestamp' | 'step' | 'run_uuid' | 'dataset_name' | 'dataset_digest'>[];
}

/** Columns a search may order by. */
export type LoggedModelOrderColumn = 'name' | 'creation_timestamp' | 'last_updated_timestamp' | 'model_id';

export interface LoggedModelQuery {
  experimentIds: number[];
  clauses: SimpleClause[];
  orderBy: { column: LoggedModelOrderColumn; ascending: boolean }[];
  offset: number;
  limit: number;
}

export async function insertLoggedModel(db: Db, row: LoggedModelTable): Promise<void> {
  await db.insertInto('logged_models').values(row).execute();
}

export async function findLoggedModel(db: Db, modelId: string): Promise<LoggedModelTable | undefined> {
  return db.selectFrom('logged_models').selectAll().where('model_id', '=', modelId).executeTakeFirst();
}

/** Whether the id names a logged model, deleted ones included (a run output may point at one). */
export async function loggedModelExists(db: Db, modelId: string): Promise<boolean> {
  const row = await db.selectFrom('logged_models').select('model_id').where('model_id', '=', modelId).executeTakeFirst();
  return row !== undefined;
}

export async function updateLoggedModelRow(db: Db, modelId: string, patch: Partial<Omit<LoggedModelTable, 'model_id'>>): Promise<void> {
  await db.updateTable('logged_models').set(patch).where('model_id', '=', modelId).execute();
}

/** Params of a new model: plain inserts (the caller passes distinct keys). */
export async function insertLoggedModelParams(db: Db, modelId: string, params: KV[]): Promise<void> {
  await db
    .insertInto('logged_model_params')
    .values(params.map((p) => ({ model_id: modelId, ...p })))
    .execute();
}

/** Params logged later: a key already logged keeps its first value. */
export async function insertLoggedModelParamsKeepingFirst(db: Db, modelId: string, params: KV[]): Promise<void> {
  await db
    .insertInto('logged_model_params')
    .values(params.map((p) => ({ model_id: modelId, ...p })))
    .onConflict((oc) => oc.columns(['model_id', 'key']).doNothing())
    .execute();
}

/** Tags of a new model: plain inserts (the caller passes distinct keys). */
export async function insertLoggedModelTags(db: Db, modelId: string, tags: KV[]): Promise<void> {
  await db
    .insertInto('logged_model_tags')
    .values(tags.map((t) => ({ model_id: modelId, ...t })))
    .execute();
}

/** Tags set later: a key already set takes the new value. */
export async function upsertLoggedModelTags(db: Db, modelId: string, tags: KV[]): Promise<void> {
  await db
    .insertInto('logged_model_tags')
    .values(tags.map((t) => ({ model_id: modelId, ...t })))
    .onConflict((oc) => oc.columns(['model_id', 'key']).doUpdateSet((eb) => ({ value: eb.ref('excluded.value') })))
    .execute();
}

/** Returns whether a tag was there to delete. */
export async function deleteLoggedModelTag(db: Db, modelId: string, key: string): Promise<boolean> {
  const res = await db.deleteFrom('logged_model_tags').where('model_id', '=', modelId).where('key', '=', key).executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

export async function loggedModelDetails(db: Db, modelIds: string[]): Promise<LoggedModelDetails> {
  const [params, tags, metrics] = await Promise.all([
    db.selectFrom('logged_model_params').selectAll().where('model_id', 'in', modelIds).orderBy('key').execute(),
    db.selectFrom('logged_model_tags').selectAll().where('model_id', 'in', modelIds).orderBy('key').execute(),
    db
      .selectFrom('metrics')
      .select(['model_id', 'key', 'value', 'is_nan', 'timestamp', 'step', 'run_uuid', 'dataset_name', 'dataset_digest'])
      .where('model_id', 'in', modelIds)
      .execute(),
  ]);
  return { params, tags, metrics };
}

/** Active logged models of the given experiments (none: a query that matches nothing), filtered and ordered. */
export async function searchLoggedModelRows(db: Db, q: LoggedModelQuery, match: TextMatch): Promise<LoggedModelTable[]> {
  let query = db
    .selectFrom('logged_models')
    .selectAll()
    .where('lifecycle_stage', '=', ACTIVE)
    .where('experiment_id', 'in', q.experimentIds.length ? q.experimentIds : [-1]);
  for (const c of q.clauses) query = query.where((eb) => clauseExpr(eb, c, match));
  for (const o of q.orderBy) query = query.orderBy(o.column, o.ascending ? 'asc' : 'desc');
  return query.orderBy('creation_timestamp', 'desc').orderBy('model_id').offset(q.offset).limit(q.limit).execute();
}

function clauseExpr(eb: ExpressionBuilder<Database, 'logged_models'>, c: SimpleClause, match: TextMatch) {
  if (c.kind === 'attr') return compareText(eb, `logged_models.${c.key}`, c, match);
  return eb.exists(
    eb
      .selectFrom('logged_model_tags as t')
      .select('t.key')
      .whereRef('t.model_id', '=', 'logged_models.model_id')
      .where('t.key', '=', c.key)
      .where((e2) => compareText(e2, 't.value', c, match)),
  );
}
