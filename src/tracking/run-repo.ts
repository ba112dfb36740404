/** Queries for runs and what hangs off them (params, tags, metrics, inputs, outputs). No HTTP here. */
import type { Kysely } from 'kysely';
import type { Database, DatasetTable, RunInputTable, RunOutputTable, RunTable } from '../store/index.js';
import { InvalidParameterError } from '../errors.js';
import type { DatasetInputJson, KV, MetricRow, RunDetails } from './shapes.js';

type Db = Kysely<Database>;

export interface MetricInput extends MetricRow {
  model_id?: string | null;
  dataset_name?: string | null;
  dataset_digest?: string | null;
}

export async function insertRun(db: Db, run: RunTable, tags: KV[]): Promise<void> {
  await db.insertInto('runs').values(run).execute();
  if (tags.length > 0) {
    await db
      .insertInto('tags')
      .values(tags.map((t) => ({ run_uuid: run.run_uuid, ...t })))
      .execute();
  }
}

export async function findRun(db: Db, runId: string): Promise<RunTable | undefined> {
  return db.selectFrom('runs').selectAll().where('run_uuid', '=', runId).executeTakeFirst();
}

export async function updateRunRow(db: Db, runId: string, patch: Partial<RunTable>): Promise<void> {
  await db.updateTable('runs').set(patch).where('run_uuid', '=', runId).execute();
}

/** Every run of an experiment at once: they follow its lifecycle. */
export async function updateRunsOfExperiment(db: Db, experimentId: number, patch: Partial<RunTable>): Promise<void> {
  await db.updateTable('runs').set(patch).where('experiment_id', '=', experimentId).execute();
}

/** Loads params, tags, latest metrics, inputs and outputs for many runs in five queries. */
export async function loadDetails(db: Db, runIds: string[]): Promise<Map<string, RunDetails>> {
  const out = new Map<string, RunDetails>();
  for (const id of runIds) out.set(id, { metrics: [], params: [], tags: [], inputs: [], outputs: [] });
  if (runIds.length === 0) return out;
  const [metrics, params, tags, inputs, outputs] = await Promise.all([
    db.selectFrom('latest_metrics').selectAll().where('run_uuid', 'in', runIds).orderBy('key').execute(),
    db.selectFrom('params').selectAll().where('run_uuid', 'in', runIds).orderBy('key').execute(),
    db.selectFrom('tags').selectAll().where('run_uuid', 'in', runIds).orderBy('key').execute(),
    db
      .selectFrom('run_inputs')
      .innerJoin('datasets', 'datasets.dataset_uuid', 'run_inputs.dataset_uuid')
      .select([
        'run_inputs.run_uuid',
        'run_inputs.tags',
        'datasets.name',
        'datasets.digest',
        'datasets.source_type',
        'datasets.source',
        'datasets.schema',
        'datasets.profile',
      ])
      .where('run_inputs.run_uuid', 'in', runIds)
      .execute(),
    db.selectFrom('run_outputs').selectAll().where('run_uuid', 'in', runIds).execute(),
  ]);
  for (const m of metrics) out.get(m.run_uuid)!.metrics.push(m);
  for (const p of params) out.get(p.run_uuid)!.params.push({ key: p.key, value: p.value });
  for (const t of tags) out.get(t.run_uuid)!.tags.push({ key: t.key, value: t.value });
  for (const i of inputs) {
    const dataset: DatasetInputJson['dataset'] = { name: i.name, digest: i.digest, source_type: i.source_type, source: i.source };
    if (i.schema !== null) dataset.schema = i.schema;
    if (i.profile !== null) dataset.profile = i.profile;
    out.get(i.run_uuid)!.inputs.push({ tags: JSON.parse(i.tags) as KV[], dataset });
  }
  for (const o of outputs) out.get(o.run_uuid)!.outputs.push({ model_id: o.model_id, step: o.step });
  return out;
}

/** MLflow's order for "latest": highest step, then newest timestamp, then largest value. */
function isLater(a: MetricRow, b: MetricRow): boolean {
  if (a.step !== b.step) return a.step > b.step;
  if (a.timestamp !== b.timestamp) return a.timestamp > b.timestamp;
  return a.is_nan ? false : b.is_nan ? true : a.value > b.value;
}

/** Writes a validated batch; must run inside a transaction (the caller's). */
export async function writeBatch(db: Db, runId: string, metrics: MetricInput[], params: KV[], tags: KV[]): Promise<void> {
  if (params.length > 0) {
    const keys = params.map((p) => p.key);
    const existing = await db.selectFrom('params').select(['key', 'value']).where('run_uuid', '=', runId).where('key', 'in', keys).execute();
    const old = new Map(existing.map((p) => [p.key, p.value]));
    const fresh = new Map<string, string>();
    for (const p of params) {
      const prev = old.get(p.key) ?? fresh.get(p.key);
      if (prev !== undefined && prev !== p.value) {
        throw new InvalidParameterError(
          'params',
          `Changing param values is not allowed. Param with key='${p.key}' was already logged with value='${prev}' for run ID='${runId}'. Attempted logging new value '${p.value}'.`,
        );
      }
      if (prev === undefined) fresh.set(p.key, p.value);
    }
    if (fresh.size > 0) {
      const res = await db
        .insertInto('params')
        .values([...fresh].map(([key, value]) => ({ run_uuid: runId, key, value })))
        .onConflict((oc) => oc.columns(['run_uuid', 'key']).doNothing())
        .executeTakeFirst();
      // A concurrent request logged some of these keys first: same value is fine, another is the usual error.
      if (Number(res.numInsertedOrUpdatedRows ?? fresh.size) < fresh.size) {
        const now = await db
          .selectFrom('params')
          .select(['key', 'value'])
          .where('run_uuid', '=', runId)
          .where('key', 'in', [...fresh.keys()])
          .execute();
        for (const p of now) {
          if (p.value !== fresh.get(p.key)) {
            throw new InvalidParameterError(
              'params',
              `Changing param values is not allowed. Param with key='${p.key}' was already logged with value='${p.value}' for run ID='${runId}'. Attempted logging new value '${fresh.get(p.key)}'.`,
            );
          }
        }
      }
    }
  }
  if (tags.length > 0) {
    const last = new Map(tags.map((t) => [t.key, t.value])); // the last of repeated keys wins
    await db
      .insertInto('tags')
      .values([...last].map(([key, value]) => ({ run_uuid: runId, key, value })))
      .onConflict((oc) => oc.columns(['run_uuid', 'key']).doUpdateSet((eb) => ({ value: eb.ref('excluded.value') })))
      .execute();
  }
  if (metrics.length > 0) await writeMetrics(db, runId, metrics);
}

async function writeMetrics(db: Db, runId: string, metrics: MetricInput[]): Promise<void> {
  await db
    .insertInto('metrics')
    .values(
      metrics.map((m) => ({
        run_uuid: runId,
        key: m.key,
        value: m.is_nan ? 0 : m.value,
        timestamp: m.timestamp,
        step: m.step,
        is_nan: m.is_nan,
        model_id: m.model_id ?? null,
        dataset_name: m.dataset_name ?? null,
        dataset_digest: m.dataset_digest ?? null,
      })),
    )
    // A point logged again (a client's retry of a batch whose answer it lost) is stored once, as in MLflow (migration 0022).
    .onConflict((oc) => oc.columns(['run_uuid', 'key', 'step', 'timestamp', 'value', 'is_nan']).doNothing())
    .execute();
  const latest = new Map<string, MetricRow>();
  for (const m of metrics) {
    const cur = latest.get(m.key);
    if (!cur || isLater(m, cur)) latest.set(m.key, m);
  }
  const existing = await db
    .selectFrom('latest_metrics')
    .selectAll()
    .where('run_uuid', '=', runId)
    .where('key', 'in', [...latest.keys()])
    .execute();
  for (const e of existing) {
    const cand = latest.get(e.key)!;
    if (!isLater(cand, e)) latest.delete(e.key);
  }
  if (latest.size === 0) return;
  await db
    .insertInto('latest_metrics')
    .values(
      [...latest.values()].map((m) => ({ run_uuid: runId, key: m.key, value: m.is_nan ? 0 : m.value, timestamp: m.timestamp, step: m.step, is_nan: m.is_nan })),
    )
    .onConflict((oc) =>
      oc.columns(['run_uuid', 'key']).doUpdateSet((eb) => ({
        value: eb.ref('excluded.value'),
        timestamp: eb.ref('excluded.timestamp'),
        step: eb.ref('excluded.step'),
        is_nan: eb.ref('excluded.is_nan'),
      })),
    )
    .execute();
}

export async function metricHistory(db: Db, runId: string, key: string, offset: number, limit: number): Promise<MetricRow[]> {
  return db
    .selectFrom('metrics')
    .select(['key', 'value', 'timestamp', 'step', 'is_nan'])
    .where('run_uuid', '=', runId)
    .where('key', '=', key)
    .orderBy('step')
    .orderBy('timestamp')
    .offset(offset)
    .limit(limit)
    .execute();
}

export async function deleteTagRow(db: Db, runId: string, key: string): Promise<boolean> {
  const res = await db.deleteFrom('tags').where('run_uuid', '=', runId).where('key', '=', key).executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

/** A dataset is recorded once per experiment, name and digest; runs link to it. */
export async function findDatasetUuid(db: Db, experimentId: number, name: string, digest: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('datasets')
    .select('dataset_uuid')
    .where('experiment_id', '=', experimentId)
    .where('name', '=', name)
    .where('digest', '=', digest)
    .executeTakeFirst();
  return row?.dataset_uuid;
}

export async function insertDataset(db: Db, row: DatasetTable): Promise<void> {
  await db.insertInto('datasets').values(row).execute();
}

/** Links a run to a dataset; logging the same dataset again replaces the link's tags and context. */
export async function upsertRunInput(db: Db, row: RunInputTable): Promise<void> {
  await db
    .insertInto('run_inputs')
    .values(row)
    .onConflict((oc) => oc.columns(['run_uuid', 'dataset_uuid']).doUpdateSet({ tags: row.tags, context: row.context }))
    .execute();
}

/** Links a run to a logged model it produced; logging it again moves the step. */
export async function upsertRunOutput(db: Db, row: RunOutputTable): Promise<void> {
  await db
    .insertInto('run_outputs')
    .values(row)
    .onConflict((oc) => oc.columns(['run_uuid', 'model_id']).doUpdateSet({ step: row.step }))
    .execute();
}
