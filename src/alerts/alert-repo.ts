/** Queries for alert rules, their current states and the event history (dialect-neutral Kysely). */
import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../store/index.js';

type Db = Kysely<Database>;
export type RuleRow = Selectable<Database['alert_rules']>;
export type StateRow = Selectable<Database['alert_states']>;
export type HistoryRow = Selectable<Database['alert_history']>;
export type NewHistory = Omit<HistoryRow, 'id'>;

export const insertRule = (db: Db, row: RuleRow) => db.insertInto('alert_rules').values(row).execute();

export const updateRule = (db: Db, id: string, row: Partial<RuleRow>) => db.updateTable('alert_rules').set(row).where('id', '=', id).execute();

export const deleteRule = (db: Db, id: string) => db.deleteFrom('alert_rules').where('id', '=', id).execute();

/** By id, else by name. */
export async function findRule(db: Db, ref: string): Promise<RuleRow | undefined> {
  return (
    (await db.selectFrom('alert_rules').selectAll().where('id', '=', ref).executeTakeFirst()) ??
    (await db.selectFrom('alert_rules').selectAll().where('name', '=', ref).executeTakeFirst())
  );
}

export function listRules(db: Db, filter: { deployment?: string; enabledOnly?: boolean } = {}): Promise<RuleRow[]> {
  let q = db.selectFrom('alert_rules').selectAll();
  if (filter.deployment !== undefined) q = q.where('deployment', '=', filter.deployment);
  if (filter.enabledOnly) q = q.where('enabled', '=', 1);
  return q.orderBy('deployment').orderBy('name').execute();
}

export async function statesOf(db: Db, ruleIds: readonly string[]): Promise<Map<string, StateRow>> {
  if (ruleIds.length === 0) return new Map();
  const rows: StateRow[] = [];
  // Bounded IN lists (PostgreSQL and SQLite both cap bound parameters).
  for (let i = 0; i < ruleIds.length; i += 500) {
    rows.push(
      ...(await db
        .selectFrom('alert_states')
        .selectAll()
        .where('rule_id', 'in', ruleIds.slice(i, i + 500))
        .execute()),
    );
  }
  return new Map(rows.map((r) => [r.rule_id, r]));
}

export async function saveState(db: Db, row: StateRow): Promise<void> {
  const { rule_id: ruleId, ...rest } = row;
  const res = await db.updateTable('alert_states').set(rest).where('rule_id', '=', ruleId).executeTakeFirst();
  if (Number(res.numUpdatedRows) === 0) await db.insertInto('alert_states').values(row).execute();
}

export const deleteState = (db: Db, ruleId: string) => db.deleteFrom('alert_states').where('rule_id', '=', ruleId).execute();

export async function insertHistory(db: Db, rows: readonly NewHistory[]): Promise<void> {
  if (rows.length)
    await db
      .insertInto('alert_history')
      .values([...rows])
      .execute();
}

export interface HistoryFilter {
  deployment?: string;
  /** A rule id or name. */
  rule?: string;
  since?: number;
  until?: number;
  /** Only rows with an id below this (the page token). */
  before?: number;
  limit: number;
}

/** Newest first; one more row than `limit` tells the caller there is a next page. */
export function listHistory(db: Db, f: HistoryFilter): Promise<HistoryRow[]> {
  let q = db.selectFrom('alert_history').selectAll();
  if (f.deployment !== undefined) q = q.where('deployment', '=', f.deployment);
  if (f.rule !== undefined) q = q.where((eb) => eb.or([eb('rule_id', '=', f.rule!), eb('rule_name', '=', f.rule!)]));
  if (f.since !== undefined) q = q.where('ts', '>=', f.since);
  if (f.until !== undefined) q = q.where('ts', '<', f.until);
  if (f.before !== undefined) q = q.where('id', '<', f.before);
  return q
    .orderBy('id', 'desc')
    .limit(f.limit + 1)
    .execute();
}
