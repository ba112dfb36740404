/** Queries of the A/B aggregates (migration 0012): units' sums per metric and per-arm moments per hour. */
import { type Kysely, sql } from 'kysely';
import type { ArmMoments } from '../stats/index.js';
import type { AbTestMomentTable, AbTestUnitSumTable, AbTestUnitTable, Database } from '../store/index.js';

type Db = Kysely<Database>;

/** Rows per statement: 13 columns × 500 stays under both engines' bound-parameter limits. */
const CHUNK = 500;

const num = (v: unknown): number => Number(v);

export function toSumRow(r: Record<string, unknown>): AbTestUnitSumTable {
  return {
    abtest_id: String(r['abtest_id']),
    metric: String(r['metric']),
    unit: String(r['unit']),
    arm: String(r['arm']),
    first_ts: num(r['first_ts']),
    requests: num(r['requests']),
    value: num(r['value']),
    hits: num(r['hits']),
    denominator: num(r['denominator']),
    pre: num(r['pre']),
    pre_hits: num(r['pre_hits']),
  };
}

/** Tests by id with their spec, for those that keep aggregates. */
export async function aggregatedTests(db: Db, ids: string[]): Promise<{ abtest_id: string; spec: string }[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('abtests').select(['abtest_id', 'spec']).where('abtest_id', 'in', ids).where('aggregated', '=', 1).execute();
}

/** The exposures of these units in any test (the tests an outcome event can count for). */
export async function unitsByUnit(db: Db, units: string[]): Promise<AbTestUnitTable[]> {
  const out: AbTestUnitTable[] = [];
  for (let i = 0; i < units.length; i += CHUNK) {
    const rows = await db
      .selectFrom('abtest_units')
      .selectAll()
      .where('unit', 'in', units.slice(i, i + CHUNK))
      .execute();
    for (const r of rows) out.push({ ...r, first_ts: num(r.first_ts), last_ts: num(r.last_ts), requests: num(r.requests) });
  }
  return out;
}

/** The exposures of these units in one test. */
export async function unitsOfTest(db: Db, abtestId: string, units: string[]): Promise<AbTestUnitTable[]> {
  const out: AbTestUnitTable[] = [];
  for (let i = 0; i < units.length; i += CHUNK) {
    const rows = await db
      .selectFrom('abtest_units')
      .selectAll()
      .where('abtest_id', '=', abtestId)
      .where('unit', 'in', units.slice(i, i + CHUNK))
      .execute();
    for (const r of rows) out.push({ ...r, first_ts: num(r.first_ts), last_ts: num(r.last_ts), requests: num(r.requests) });
  }
  return out;
}

/** A page of a test's units in unit order (a rebuild walks them all). */
export async function unitPage(db: Db, abtestId: string, after: string, limit: number): Promise<AbTestUnitTable[]> {
  const rows = await db
    .selectFrom('abtest_units')
    .selectAll()
    .where('abtest_id', '=', abtestId)
    .where('unit', '>', after)
    .orderBy('unit')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ ...r, first_ts: num(r.first_ts), last_ts: num(r.last_ts), requests: num(r.requests) }));
}

/** The stored sums of these units in one test (every metric). */
export async function sumsOf(db: Db, abtestId: string, units: string[]): Promise<AbTestUnitSumTable[]> {
  const out: AbTestUnitSumTable[] = [];
  for (let i = 0; i < units.length; i += CHUNK) {
    const rows = await db
      .selectFrom('abtest_unit_sums')
      .selectAll()
      .where('abtest_id', '=', abtestId)
      .where('unit', 'in', units.slice(i, i + CHUNK))
      .execute();
    for (const r of rows) out.push(toSumRow(r));
  }
  return out;
}

/** These units' events of these metrics, whenever they happened (a unit's sums are computed from them anew). */
export async function eventsOf(db: Db, units: string[], metrics: string[]): Promise<{ unit: string; metric: string; value: number; ts: number }[]> {
  const out: { unit: string; metric: string; value: number; ts: number }[] = [];
  for (let i = 0; i < units.length; i += CHUNK) {
    const rows = await db
      .selectFrom('outcomes')
      .select(['unit', 'metric', 'value', 'ts'])
      .where('unit', 'in', units.slice(i, i + CHUNK))
      .where('metric', 'in', metrics)
      .execute();
    for (const r of rows) out.push({ unit: r.unit, metric: r.metric, value: num(r.value), ts: num(r.ts) });
  }
  return out;
}

/**
 * Writes units' sums. `placed`: the rows' first exposure and arm are those stored (an event's write), so they are
 * not assigned — SQLite rewrites an index entry for every assigned indexed column, changed or not.
 */
export async function upsertSums(db: Db, rows: AbTestUnitSumTable[], placed = false): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK)
    await db
      .insertInto('abtest_unit_sums')
      .values(rows.slice(i, i + CHUNK))
      .onConflict((oc) =>
        oc.columns(['abtest_id', 'unit', 'metric']).doUpdateSet((eb) => ({
          ...(placed ? {} : { arm: eb.ref('excluded.arm'), first_ts: eb.ref('excluded.first_ts') }),
          requests: eb.ref('excluded.requests'),
          value: eb.ref('excluded.value'),
          hits: eb.ref('excluded.hits'),
          denominator: eb.ref('excluded.denominator'),
          pre: eb.ref('excluded.pre'),
          pre_hits: eb.ref('excluded.pre_hits'),
        })),
      )
      .execute();
}

const MOMENT_COLUMNS = [
  ['n', 'n'],
  ['sum', 'sum'],
  ['sum_squares', 'sumSquares'],
  ['denominator_sum', 'denominatorSum'],
  ['denominator_sum_squares', 'denominatorSumSquares'],
  ['main_denominator_sum_product', 'mainDenominatorSumProduct'],
  ['covariate_sum', 'covariateSum'],
  ['covariate_sum_squares', 'covariateSumSquares'],
  ['main_covariate_sum_product', 'mainCovariateSumProduct'],
] as const;

export interface MomentKey {
  abtest_id: string;
  metric: string;
  arm: string;
  bucket: number;
}

/** Adds deltas to the moments rows (a missing row is made). */
export async function addMoments(db: Db, deltas: { key: MomentKey; m: Required<ArmMoments> }[]): Promise<void> {
  const rows: AbTestMomentTable[] = deltas.map(({ key, m }) => {
    const row = { ...key } as AbTestMomentTable;
    for (const [col, field] of MOMENT_COLUMNS) (row as unknown as Record<string, number>)[col] = m[field];
    return row;
  });
  for (let i = 0; i < rows.length; i += CHUNK)
    await db
      .insertInto('abtest_moments')
      .values(rows.slice(i, i + CHUNK))
      .onConflict((oc) =>
        oc
          .columns(['abtest_id', 'metric', 'arm', 'bucket'])
          .doUpdateSet(Object.fromEntries(MOMENT_COLUMNS.map(([col]) => [col, sql`abtest_moments.${sql.ref(col)} + excluded.${sql.ref(col)}`]))),
      )
      .execute();
}

export function momentsOfRow(r: Record<string, unknown>): Required<ArmMoments> {
  return Object.fromEntries(MOMENT_COLUMNS.map(([col, field]) => [field, num(r[col])])) as unknown as Required<ArmMoments>;
}

/** A test's moments rows of one metric for hours starting at or before `last`. */
export async function momentRows(db: Db, abtestId: string, metric: string, last: number): Promise<(AbTestMomentTable & Record<string, unknown>)[]> {
  return db
    .selectFrom('abtest_moments')
    .selectAll()
    .where('abtest_id', '=', abtestId)
    .where('metric', '=', metric)
    .where('bucket', '<=', last)
    .execute() as Promise<(AbTestMomentTable & Record<string, unknown>)[]>;
}

/** A test's units of one metric first exposed in [from, to] (the report's partly mature hour). */
export async function sumsExposedBetween(db: Db, abtestId: string, metric: string, from: number, to: number): Promise<AbTestUnitSumTable[]> {
  const rows = await db
    .selectFrom('abtest_unit_sums')
    .selectAll()
    .where('abtest_id', '=', abtestId)
    .where('metric', '=', metric)
    .where('first_ts', '>=', from)
    .where('first_ts', '<=', to)
    .execute();
  return rows.map(toSumRow);
}

/** Forgets a test's aggregates (before they are built anew). */
export async function clearAggregates(db: Db, abtestId: string): Promise<void> {
  await db.deleteFrom('abtest_unit_sums').where('abtest_id', '=', abtestId).execute();
  await db.deleteFrom('abtest_moments').where('abtest_id', '=', abtestId).execute();
}

export async function markAggregated(db: Db, abtestId: string): Promise<void> {
  await db.updateTable('abtests').set({ aggregated: 1 }).where('abtest_id', '=', abtestId).execute();
}

export async function isAggregated(db: Db, abtestId: string): Promise<boolean> {
  const r = await db.selectFrom('abtests').select('aggregated').where('abtest_id', '=', abtestId).executeTakeFirst();
  return Number(r?.aggregated ?? 0) === 1;
}
