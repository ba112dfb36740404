import type { Kysely } from 'kysely';
import type { StoreDialect } from '../dialect.js';

/**
 * model_conversions.version_created_at: the creation time of the model version a conversion was made for. A
 * conversion is keyed by (model, version), and a model deleted (or renamed) and registered again under the same
 * name numbers its versions from 1 again: without this, its version 1 found the old model's conversion and a
 * deploy served the old model's ONNX file. A conversion whose time differs from the version's is not that
 * version's. Null on rows made before this migration (they are taken as they are).
 */
export async function up(db: Kysely<any>, _d: StoreDialect): Promise<void> {
  await db.schema.alterTable('model_conversions').addColumn('version_created_at', 'bigint').execute();
}
