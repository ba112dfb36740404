/** Queries of approval gates: policies, recorded decisions, the gate's events. */
import type { ApprovalEventTable, ApprovalPolicyTable, ApprovalTable, Store } from '../store/index.js';

type Db = Store['db'];
export type NewApproval = Omit<ApprovalTable, 'id'>;
export type NewEvent = Omit<ApprovalEventTable, 'id'>;
/** Rows as read (ids are plain numbers once selected). */
export type ApprovalRow = NewApproval & { id: number };
export type EventRow = NewEvent & { id: number };

export async function findPolicy(db: Db, model: string, alias: string): Promise<ApprovalPolicyTable | undefined> {
  return db.selectFrom('approval_policies').selectAll().where('model', '=', model).where('alias', '=', alias).executeTakeFirst();
}

export async function listPolicies(db: Db, model: string): Promise<ApprovalPolicyTable[]> {
  return db.selectFrom('approval_policies').selectAll().where('model', '=', model).orderBy('alias').execute();
}

/** Insert or replace; answers whether it was new. */
export async function upsertPolicy(db: Db, row: ApprovalPolicyTable): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const found = await findPolicy(trx, row.model, row.alias);
    if (found) {
      await trx
        .updateTable('approval_policies')
        .set({ spec: row.spec, updated_at: row.updated_at, updated_by: row.updated_by })
        .where('model', '=', row.model)
        .where('alias', '=', row.alias)
        .execute();
      return false;
    }
    await trx.insertInto('approval_policies').values(row).execute();
    return true;
  });
}

export async function deletePolicy(db: Db, model: string, alias: string): Promise<boolean> {
  const r = await db.deleteFrom('approval_policies').where('model', '=', model).where('alias', '=', alias).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export async function insertApproval(db: Db, row: NewApproval): Promise<number> {
  const r = await db.insertInto('approvals').values(row).returning('id').executeTakeFirstOrThrow();
  return Number(r.id);
}

export async function approvalsOf(db: Db, model: string, version: number, alias?: string): Promise<ApprovalRow[]> {
  let q = db.selectFrom('approvals').selectAll().where('model', '=', model).where('version', '=', version);
  if (alias !== undefined) q = q.where('alias', '=', alias);
  const rows = await q.orderBy('id', 'desc').execute();
  // PostgreSQL answers bigint as text.
  return rows.map((r) => ({ ...r, id: Number(r.id), version: Number(r.version), created_at: Number(r.created_at) }));
}

export async function insertEvent(db: Db, row: NewEvent): Promise<void> {
  await db.insertInto('approval_events').values(row).execute();
}

export async function eventsOf(db: Db, model: string, alias: string | undefined, limit: number): Promise<EventRow[]> {
  let q = db.selectFrom('approval_events').selectAll().where('model', '=', model);
  if (alias !== undefined) q = q.where('alias', '=', alias);
  const rows = await q.orderBy('id', 'desc').limit(limit).execute();
  return rows.map((r) => ({ ...r, id: Number(r.id), version: r.version === null ? null : Number(r.version), created_at: Number(r.created_at) }));
}
