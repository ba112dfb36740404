/** Queries for notifications, silences, notifiers and alerting settings (dialect-neutral Kysely). */
import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../store/index.js';

type Db = Kysely<Database>;
export type NotificationRow = Selectable<Database['alert_notifications']>;
export type SilenceRow = Selectable<Database['alert_silences']>;
export type NotifierRow = Selectable<Database['alert_notifiers']>;

export const insertNotification = (db: Db, row: NotificationRow) => db.insertInto('alert_notifications').values(row).execute();

export function listNotifications(db: Db, f: { deployment?: string; since?: number; limit: number }): Promise<NotificationRow[]> {
  let q = db.selectFrom('alert_notifications').selectAll();
  if (f.deployment !== undefined) q = q.where('deployment', '=', f.deployment);
  if (f.since !== undefined) q = q.where('created_at', '>=', f.since);
  return q.orderBy('created_at', 'desc').orderBy('id').limit(f.limit).execute();
}

export const insertSilence = (db: Db, row: SilenceRow) => db.insertInto('alert_silences').values(row).execute();

export const findSilence = (db: Db, id: string) => db.selectFrom('alert_silences').selectAll().where('id', '=', id).executeTakeFirst();

export const expireSilence = (db: Db, id: string, at: number) => db.updateTable('alert_silences').set({ ends_at: at }).where('id', '=', id).execute();

/** Silences that have not ended by `now` (active or future), or all of them. */
export function listSilences(db: Db, opts: { now?: number } = {}): Promise<SilenceRow[]> {
  let q = db.selectFrom('alert_silences').selectAll();
  if (opts.now !== undefined) q = q.where('ends_at', '>', opts.now);
  return q.orderBy('starts_at', 'desc').orderBy('id').execute();
}

export const insertNotifier = (db: Db, row: NotifierRow) => db.insertInto('alert_notifiers').values(row).execute();

export const updateNotifier = (db: Db, id: string, row: Partial<NotifierRow>) => db.updateTable('alert_notifiers').set(row).where('id', '=', id).execute();

export const deleteNotifier = (db: Db, id: string) => db.deleteFrom('alert_notifiers').where('id', '=', id).execute();

export async function findNotifier(db: Db, ref: string): Promise<NotifierRow | undefined> {
  return (
    (await db.selectFrom('alert_notifiers').selectAll().where('id', '=', ref).executeTakeFirst()) ??
    (await db.selectFrom('alert_notifiers').selectAll().where('name', '=', ref).executeTakeFirst())
  );
}

export function listNotifiers(db: Db, opts: { enabledOnly?: boolean } = {}): Promise<NotifierRow[]> {
  let q = db.selectFrom('alert_notifiers').selectAll();
  if (opts.enabledOnly) q = q.where('enabled', '=', 1);
  return q.orderBy('name').execute();
}

export async function getSetting(db: Db, key: string): Promise<string | undefined> {
  return (await db.selectFrom('alert_settings').select('value').where('key', '=', key).executeTakeFirst())?.value;
}

export async function putSetting(db: Db, key: string, value: string, by: string, now: number): Promise<void> {
  const res = await db.updateTable('alert_settings').set({ value, updated_at: now, updated_by: by }).where('key', '=', key).executeTakeFirst();
  if (Number(res.numUpdatedRows) === 0) await db.insertInto('alert_settings').values({ key, value, updated_at: now, updated_by: by }).execute();
}
