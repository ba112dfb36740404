/** Leases of once-per-cluster tasks: taken by compare-and-set, so two replicas never both think they hold one. */
import type { Kysely } from 'kysely';
import type { Database } from '../store/index.js';

/** Takes or renews `name` for `holder` until now + ttl; false when another replica holds it unexpired. */
export async function takeLease(db: Kysely<Database>, name: string, holder: string, ttlMs: number, now: number): Promise<boolean> {
  // One statement: a renewal keeps acquired_at, a takeover from an expired holder starts it now.
  const renewed = await db
    .updateTable('cluster_leases')
    .set((eb) => ({
      holder,
      expires_at: now + ttlMs,
      acquired_at: eb.case().when('holder', '=', holder).then(eb.ref('acquired_at')).else(now).end(),
    }))
    .where('name', '=', name)
    .where((eb) => eb.or([eb('holder', '=', holder), eb('expires_at', '<', now)]))
    .executeTakeFirst();
  if (Number(renewed.numUpdatedRows) === 1) return true;
  const inserted = await db
    .insertInto('cluster_leases')
    .values({ name, holder, acquired_at: now, expires_at: now + ttlMs })
    .onConflict((oc) => oc.column('name').doNothing())
    .executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1;
}

/** Hands back every lease `holder` has (a graceful stop), so another replica takes over at its next tick. */
export async function releaseLeases(db: Kysely<Database>, holder: string): Promise<void> {
  await db.deleteFrom('cluster_leases').where('holder', '=', holder).execute();
}

export async function listLeases(db: Kysely<Database>) {
  return db.selectFrom('cluster_leases').selectAll().orderBy('name').execute();
}
