import type { Kysely } from 'kysely';
import type { Database, ExperimentTable, TextMatch } from '../store/index.js';
import { compareText } from './simple-filter-sql.js';
import type { KV } from './shapes.js';
import type { SimpleClause } from './simple-filter.js';

type Db = Kysely<Database>;
export type ExperimentRow = Omit<ExperimentTable, 'experiment_id'> & { experiment_id: number };

export async function findExperiment(db: Db, id: number): Promise<ExperimentRow | undefined> {
  return db.selectFrom('experiments').selectAll().where('experiment_id', '=', id).executeTakeFirst();
}

export async function findExperimentByName(db: Db, name: string): Promise<ExperimentRow | undefined> {
  return db.selectFrom('experiments').selectAll().where('name', '=', name).executeTakeFirst();
}

export async function insertExperiment(db: Db, row: Omit<ExperimentRow, 'experiment_id'> & { experiment_id?: number }): Promise<number> {
  const res = await db.insertInto('experiments').values(row).returning('experiment_id').executeTakeFirstOrThrow();
  return Number(res.experiment_id);
}

/** Inserts the row unless its id or name is taken (the default experiment, which several replicas may create at once). */
export async function insertExperimentIfAbsent(db: Db, row: ExperimentRow): Promise<void> {
  await db
    .insertInto('experiments')
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function updateExperimentRow(db: Db, id: number, patch: Partial<Omit<ExperimentRow, 'experiment_id'>>): Promise<void> {
  await db.updateTable('experiments').set(patch).where('experiment_id', '=', id).execute();
}

export async function experimentTags(db: Db, ids: number[]): Promise<Map<number, KV[]>> {
  const out = new Map<number, KV[]>(ids.map((id) => [id, []]));
  if (ids.length === 0) return out;
  const rows = await db.selectFrom('experiment_tags').selectAll().where('experiment_id', 'in', ids).orderBy('key').execute();
  for (const r of rows) out.get(Number(r.experiment_id))?.push({ key: r.key, value: r.value });
  return out;
}

export async function upsertExperimentTag(db: Db, id: number, key: string, value: string): Promise<void> {
  await db
    .insertInto('experiment_tags')
    .values({ experiment_id: id, key, value })
    .onConflict((oc) => oc.columns(['experiment_id', 'key']).doUpdateSet({ value }))
    .execute();
}

export async function deleteExperimentTagRow(db: Db, id: number, key: string): Promise<void> {
  await db.deleteFrom('experiment_tags').where('experiment_id', '=', id).where('key', '=', key).execute();
}

export interface ExperimentQuery {
  lifecycle: string[];
  clauses: SimpleClause[];
  orderBy: { key: string; ascending: boolean }[];
  offset: number;
  limit: number;
}

export async function searchExperimentRows(db: Db, q: ExperimentQuery, match: TextMatch): Promise<ExperimentRow[]> {
  let query = db.selectFrom('experiments').selectAll().where('lifecycle_stage', 'in', q.lifecycle);
  for (const c of q.clauses) {
    if (c.kind === 'attr') {
      query = query.where((eb) => compareText(eb, `experiments.${c.key}`, c, match));
      continue;
    }
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('experiment_tags as et')
          .select('et.key')
          .whereRef('et.experiment_id', '=', 'experiments.experiment_id')
          .where('et.key', '=', c.key)
          .where((e2) => compareText(e2, 'et.value', c, match)),
      ),
    );
  }
  for (const o of q.orderBy) query = query.orderBy(o.key as 'name', o.ascending ? 'asc' : 'desc');
  if (!q.orderBy.some((o) => o.key === 'experiment_id')) query = query.orderBy('experiment_id', 'asc');
  return query.offset(q.offset).limit(q.limit).execute();
}
