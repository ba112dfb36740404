import type { Kysely } from 'kysely';
import type { StoreDialect } from '../dialect.js';

/**
 * A/B test units by unit alone: an outcome event names a unit, not a test, and is checked against every test's
 * exposures (unknown units are reported). The primary key starts with the test's id, so without this index
 * each check scans the whole table.
 */
export async function up(db: Kysely<any>, _d: StoreDialect): Promise<void> {
  await db.schema.createIndex('abtest_units_unit').on('abtest_units').column('unit').execute();
}
