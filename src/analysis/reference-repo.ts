/** Queries of deployments' drift references. */
import type { Kysely } from 'kysely';
import type { Database } from '../store/index.js';

type Db = Kysely<Database>;

export const getReference = (db: Db, deployment: string) =>
  db.selectFrom('deployment_references').selectAll().where('deployment', '=', deployment).executeTakeFirst();

export async function putReference(
  db: Db,
  row: { deployment: string; source: string; rows: number; profile: string; created_at: number; created_by: string },
): Promise<void> {
  await db
    .insertInto('deployment_references')
    .values(row)
    .onConflict((oc) =>
      oc.column('deployment').doUpdateSet({ source: row.source, rows: row.rows, profile: row.profile, created_at: row.created_at, created_by: row.created_by }),
    )
    .execute();
}
