import type { Kysely } from 'kysely';
import type { Database } from '../../store/index.js';

type Db = Kysely<Database>;

export const findDeployment = (db: Db, name: string) => db.selectFrom('deployments').selectAll().where('name', '=', name).executeTakeFirst();

export const insertDeployment = (db: Db, name: string, by: string, now: number) =>
  db.insertInto('deployments').values({ name, current_revision: 0, created_at: now, updated_at: now, created_by: by }).execute();

/** Its revisions go with it (the foreign key cascades), and its stream bindings. */
export async function deleteDeployment(db: Db, name: string): Promise<void> {
  await db.deleteFrom('stream_bindings').where('deployment', '=', name).execute();
  await db.deleteFrom('deployments').where('name', '=', name).execute();
}

export const listDeployments = (db: Db) => db.selectFrom('deployments').selectAll().orderBy('name').execute();

export const findRevision = (db: Db, name: string, revision: number) =>
  db.selectFrom('deployment_revisions').selectAll().where('name', '=', name).where('revision', '=', revision).executeTakeFirst();

export const listRevisions = (db: Db, name: string) =>
  db.selectFrom('deployment_revisions').selectAll().where('name', '=', name).orderBy('revision', 'desc').execute();

export async function addRevision(db: Db, name: string, spec: string, by: string, comment: string, now: number): Promise<number> {
  const row = await db
    .selectFrom('deployment_revisions')
    .select((eb) => eb.fn.max('revision').as('r'))
    .where('name', '=', name)
    .executeTakeFirst();
  const revision = Number(row?.r ?? 0) + 1;
  await db.insertInto('deployment_revisions').values({ name, revision, spec, created_at: now, created_by: by, comment }).execute();
  await db.updateTable('deployments').set({ current_revision: revision, updated_at: now }).where('name', '=', name).execute();
  return revision;
}
