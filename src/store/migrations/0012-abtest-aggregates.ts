import type { Kysely } from 'kysely';
import type { StoreDialect } from '../dialect.js';

/**
 * A/B test aggregates kept up to date as exposures and outcome events arrive, so a report reads a few hundred
 * rows of per-arm moments instead of every event (10M events: minutes → milliseconds):
 * - abtest_unit_sums: per test, metric and unit, the unit's sums in its attribution window and CUPED lookback,
 *   with the first exposure, arm and request count they were computed for;
 * - abtest_moments: per test, metric, arm and hour of first exposure, the sums over those units that the
 *   statistics engine reads (n, Σy, Σy², Σd, Σd², Σyd, Σx, Σx², Σyx).
 * Tests made before this migration have `aggregated` 0: the first report builds their aggregates from the events.
 */
export async function up(db: Kysely<any>, _d: StoreDialect): Promise<void> {
  const s = db.schema;
  await s
    .alterTable('abtests')
    .addColumn('aggregated', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await s
    .createTable('abtest_unit_sums')
    .addColumn('abtest_id', 'text', (c) => c.notNull())
    .addColumn('metric', 'text', (c) => c.notNull())
    .addColumn('unit', 'text', (c) => c.notNull())
    .addColumn('arm', 'text', (c) => c.notNull())
    .addColumn('first_ts', 'bigint', (c) => c.notNull())
    .addColumn('requests', 'bigint', (c) => c.notNull())
    .addColumn('value', 'double precision', (c) => c.notNull())
    .addColumn('hits', 'bigint', (c) => c.notNull())
    .addColumn('denominator', 'double precision', (c) => c.notNull())
    .addColumn('pre', 'double precision', (c) => c.notNull())
    .addColumn('pre_hits', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('abtest_unit_sums_pk', ['abtest_id', 'unit', 'metric'])
    .execute();
  // The key leads with the unit (a write reads its units' rows); this index serves the report's partly mature hour.
  await s.createIndex('abtest_unit_sums_first_ts').on('abtest_unit_sums').columns(['abtest_id', 'metric', 'first_ts']).execute();

  const moments = s
    .createTable('abtest_moments')
    .addColumn('abtest_id', 'text', (c) => c.notNull())
    .addColumn('metric', 'text', (c) => c.notNull())
    .addColumn('arm', 'text', (c) => c.notNull())
    .addColumn('bucket', 'bigint', (c) => c.notNull())
    .addColumn('n', 'bigint', (c) => c.notNull());
  let t = moments;
  for (const col of [
    'sum',
    'sum_squares',
    'denominator_sum',
    'denominator_sum_squares',
    'main_denominator_sum_product',
    'covariate_sum',
    'covariate_sum_squares',
    'main_covariate_sum_product',
  ])
    t = t.addColumn(col, 'double precision', (c) => c.notNull());
  await t.addPrimaryKeyConstraint('abtest_moments_pk', ['abtest_id', 'metric', 'arm', 'bucket']).execute();
}
