/** The queries of ONNX conversions (model_conversions, migration 0019); one implementation for both stores. */
import type { ModelConversionTable, Store } from '../store/index.js';

type Db = Store['db'];

export const ACTIVE_CONVERSION_STATES = ['queued', 'running'] as const;

export async function findConversion(db: Db, model: string, version: string): Promise<ModelConversionTable | undefined> {
  return db.selectFrom('model_conversions').selectAll().where('model', '=', model).where('version', '=', version).executeTakeFirst();
}

/** Inserts a new conversion; a unique violation means another caller started one first. */
export async function insertConversion(db: Db, row: ModelConversionTable): Promise<void> {
  await db.insertInto('model_conversions').values(row).execute();
}

/**
 * Replaces a conversion by a new one (a forced or repeated conversion), only while it is still the one the caller
 * read (same job): answers false when another caller replaced it meanwhile.
 */
export async function replaceConversion(db: Db, previousJobId: string, row: ModelConversionTable): Promise<boolean> {
  const res = await db
    .updateTable('model_conversions')
    .set(row)
    .where('model', '=', row.model)
    .where('version', '=', row.version)
    .where('job_id', '=', previousJobId)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/** Records what the job reported, only on the conversion of that job (a replaced one is left alone). */
export async function updateConversion(
  db: Db,
  key: { model: string; version: string; jobId: string },
  patch: Partial<Omit<ModelConversionTable, 'model' | 'version' | 'job_id'>>,
): Promise<boolean> {
  const res = await db
    .updateTable('model_conversions')
    .set(patch)
    .where('model', '=', key.model)
    .where('version', '=', key.version)
    .where('job_id', '=', key.jobId)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/** Forgets a conversion (one made for another version of that name and number), only while it is that job's. */
export async function deleteConversion(db: Db, model: string, version: string, jobId: string): Promise<void> {
  await db.deleteFrom('model_conversions').where('model', '=', model).where('version', '=', version).where('job_id', '=', jobId).execute();
}

/** Conversions still under way (the periodic sync follows their jobs). */
export async function activeConversions(db: Db, limit: number): Promise<ModelConversionTable[]> {
  return db
    .selectFrom('model_conversions')
    .selectAll()
    .where('state', 'in', [...ACTIVE_CONVERSION_STATES])
    .orderBy('updated_at')
    .limit(limit)
    .execute();
}
