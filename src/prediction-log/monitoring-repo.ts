/** Queries of monitoring settings and windowed profiles. */
import type { Kysely } from 'kysely';
import type { Database, ProfileTable } from '../store/index.js';

type Db = Kysely<Database>;

export const getSettings = (db: Db, deployment: string) =>
  db.selectFrom('monitoring_settings').selectAll().where('deployment', '=', deployment).executeTakeFirst();

export const listSettings = (db: Db) => db.selectFrom('monitoring_settings').selectAll().execute();

export async function putSettings(db: Db, deployment: string, settings: string, by: string, now: number): Promise<void> {
  await db
    .insertInto('monitoring_settings')
    .values({ deployment, settings, updated_at: now, updated_by: by })
    .onConflict((oc) => oc.column('deployment').doUpdateSet({ settings, updated_at: now, updated_by: by }))
    .execute();
}

/** Inserts only when absent (several replicas may race to create the same row; the first one wins). */
export async function putSettingsIfAbsent(db: Db, deployment: string, settings: string, now: number): Promise<void> {
  await db
    .insertInto('monitoring_settings')
    .values({ deployment, settings, updated_at: now, updated_by: 'ferry' })
    .onConflict((oc) => oc.column('deployment').doNothing())
    .execute();
}

export async function upsertProfile(db: Db, row: ProfileTable): Promise<void> {
  await db
    .insertInto('profiles')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['deployment', 'model_version', 'window_start', 'replica']).doUpdateSet({ profile: row.profile, updated_at: row.updated_at }),
    )
    .execute();
}

export function profilesBetween(db: Db, deployment: string, from: number, to: number, modelVersion?: string) {
  let q = db.selectFrom('profiles').selectAll().where('deployment', '=', deployment).where('window_start', '>=', from).where('window_start', '<', to);
  if (modelVersion !== undefined) q = q.where('model_version', '=', modelVersion);
  return q.orderBy('window_start').execute();
}
