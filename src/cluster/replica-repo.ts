/** Each running server's heartbeat row. */
import type { Kysely } from 'kysely';
import type { ClusterReplicaTable, Database } from '../store/index.js';

export async function upsertReplica(db: Kysely<Database>, row: ClusterReplicaTable): Promise<void> {
  const { id, ...rest } = row;
  const updated = await db.updateTable('cluster_replicas').set(rest).where('id', '=', id).executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) await db.insertInto('cluster_replicas').values(row).execute();
}

export async function deleteReplica(db: Kysely<Database>, id: string): Promise<void> {
  await db.deleteFrom('cluster_replicas').where('id', '=', id).execute();
}

/** Replicas seen since `since` (epoch ms). */
export async function liveReplicas(db: Kysely<Database>, since: number): Promise<ClusterReplicaTable[]> {
  return db.selectFrom('cluster_replicas').selectAll().where('seen_at', '>=', since).orderBy('started_at').execute();
}

/** Rows of replicas gone quiet long ago (crashed; a graceful stop deletes its own row). */
export async function forgetReplicas(db: Kysely<Database>, before: number): Promise<void> {
  await db.deleteFrom('cluster_replicas').where('seen_at', '<', before).execute();
}
