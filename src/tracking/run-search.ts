/**
 * Turns parsed search-runs filters and orderings into one parameterised Kysely query. Each clause on a
 * metric/param/tag becomes an EXISTS on its table; orderings on them become LEFT JOINs. No SQL text is
 * ever built from user input: keys and values are bound parameters.
 */
import { type Expression, type ExpressionBuilder, type Kysely, type SqlBool, sql } from 'kysely';
import type { Database, RunTable, TextMatch } from '../store/index.js';
import type { FilterClause, OrderClause } from './search-filter.js';

type Db = Kysely<Database>;
type RunEb = ExpressionBuilder<Database, 'runs'>;

const ATTRIBUTE_COLUMNS: Record<string, keyof RunTable> = {
  status: 'status',
  run_name: 'name',
  run_id: 'run_uuid',
  artifact_uri: 'artifact_uri',
  user_id: 'user_id',
  start_time: 'start_time',
  end_time: 'end_time',
  lifecycle_stage: 'lifecycle_stage',
};

export interface RunSearch {
  experimentIds: number[];
  lifecycle: string[];
  filter: FilterClause[];
  orderBy: OrderClause[];
  offset: number;
  limit: number;
  match: TextMatch;
}

function compare(eb: ExpressionBuilder<any, any>, column: string, op: FilterClause['op'], value: FilterClause['value'], match: TextMatch): Expression<SqlBool> {
  switch (op) {
    case 'IS NULL':
      return eb(column, 'is', null);
    case 'IS NOT NULL':
      return eb(column, 'is not', null);
    case 'IN':
      return eb(column, 'in', value as string[]);
    case 'NOT IN':
      return eb(column, 'not in', value as string[]);
    case 'ILIKE':
      return match(column, 'ilike', String(value));
    case 'LIKE':
      return match(column, 'like', String(value));
    default:
      return eb(column, op, value);
  }
}

function clauseExpr(eb: RunEb, c: FilterClause, match: TextMatch): Expression<SqlBool> {
  switch (c.entity) {
    case 'attribute':
      return compare(eb, `runs.${ATTRIBUTE_COLUMNS[c.key] ?? c.key}`, c.op, c.value, match);
    case 'metric':
      return eb.exists(
        eb
          .selectFrom('latest_metrics as lm')
          .select('lm.key')
          .whereRef('lm.run_uuid', '=', 'runs.run_uuid')
          .where('lm.key', '=', c.key)
          .where('lm.is_nan', '=', 0)
          .where((e2) => compare(e2, 'lm.value', c.op, c.value, match)),
      );
    case 'param':
    case 'tag': {
      const table = c.entity === 'param' ? 'params' : 'tags';
      const sub = (e: RunEb) =>
        e
          .selectFrom(`${table} as kv` as 'params as kv')
          .select('kv.key')
          .whereRef('kv.run_uuid', '=', 'runs.run_uuid')
          .where('kv.key', '=', c.key);
      if (c.op === 'IS NULL') return eb.not(eb.exists(sub(eb)));
      if (c.op === 'IS NOT NULL') return eb.exists(sub(eb));
      return eb.exists(sub(eb).where((e2) => compare(e2, 'kv.value', c.op, c.value, match)));
    }
    case 'dataset':
      return eb.exists(
        eb
          .selectFrom('run_inputs as ri')
          .innerJoin('datasets as ds', 'ds.dataset_uuid', 'ri.dataset_uuid')
          .select('ri.run_uuid')
          .whereRef('ri.run_uuid', '=', 'runs.run_uuid')
          .where((e2) => compare(e2, c.key === 'context' ? 'ri.context' : `ds.${c.key}`, c.op, c.value, match)),
      );
  }
}

export async function searchRunRows(db: Db, q: RunSearch): Promise<RunTable[]> {
  let query = db.selectFrom('runs').selectAll('runs').where('runs.experiment_id', 'in', q.experimentIds).where('runs.lifecycle_stage', 'in', q.lifecycle);
  for (const c of q.filter) query = query.where((eb) => clauseExpr(eb, c, q.match));
  q.orderBy.forEach((o, i) => {
    const dir = o.ascending ? 'asc' : 'desc';
    if (o.entity === 'attribute') {
      const col = `runs.${ATTRIBUTE_COLUMNS[o.key] ?? o.key}`;
      // NULLs last in both directions, as MLflow does.
      query = query.orderBy(sql`(${sql.ref(col)} is null)`, 'asc').orderBy(sql.ref(col), dir);
      return;
    }
    const alias = `o${i}`;
    const table = o.entity === 'metric' ? 'latest_metrics' : o.entity === 'param' ? 'params' : 'tags';
    query = query.leftJoin(`${table} as ${alias}` as 'tags as o', (join) =>
      join.onRef(`${alias}.run_uuid` as 'o.run_uuid', '=', 'runs.run_uuid').on(`${alias}.key` as 'o.key', '=', o.key),
    );
    const col = sql.ref(`${alias}.value`);
    if (o.entity === 'metric') {
      // Missing and NaN values sort after every number, either direction.
      const missing = sql`(${sql.ref(`${alias}.value`)} is null or ${sql.ref(`${alias}.is_nan`)} = 1)`;
      query = query.orderBy(missing, 'asc').orderBy(col, dir);
    } else {
      query = query.orderBy(sql`(${col} is null)`, 'asc').orderBy(col, dir);
    }
  });
  if (!q.orderBy.some((o) => o.entity === 'attribute' && o.key === 'start_time')) query = query.orderBy('runs.start_time', 'desc');
  query = query.orderBy('runs.run_uuid', 'asc');
  return query.offset(q.offset).limit(q.limit).execute();
}
