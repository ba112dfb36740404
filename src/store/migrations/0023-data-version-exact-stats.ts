import type { Kysely } from 'kysely';
import type { StoreDialect } from '../dialect.js';

/**
 * data_versions.exact_stats: JSON of the exact histograms and quantiles a push counted by reading the file again
 * for the numeric columns past the profile's exact budget (src/data/table/exact-stats.ts). Null for versions pushed
 * before (their report keeps coming from the sketch, and says so) and for files whose numbers all fit the budget.
 */
export async function up(db: Kysely<any>, _d: StoreDialect): Promise<void> {
  await db.schema.alterTable('data_versions').addColumn('exact_stats', 'text').execute();
}
