/** Stored validation suites and where they are attached (datasets: every pushed version; deployments: every traffic window). */
import type { Store } from '../store/index.js';

export type AttachmentKind = 'dataset' | 'deployment';

export class SuiteRepo {
  constructor(private readonly store: Store) {}

  async get(name: string): Promise<{ name: string; suite: string; created_at: number; created_by: string; updated_at: number } | undefined> {
    return this.store.db.selectFrom('data_suites').selectAll().where('name', '=', name).executeTakeFirst();
  }

  async list(page: { limit: number; offset: number }) {
    return this.store.db.selectFrom('data_suites').selectAll().orderBy('name').limit(page.limit).offset(page.offset).execute();
  }

  async put(name: string, suite: string, user: string, now: number): Promise<boolean> {
    const existing = await this.get(name);
    if (existing) {
      await this.store.db.updateTable('data_suites').set({ suite, updated_at: now }).where('name', '=', name).execute();
      return false;
    }
    await this.store.db.insertInto('data_suites').values({ name, suite, created_at: now, created_by: user, updated_at: now }).execute();
    return true;
  }

  async delete(name: string): Promise<boolean> {
    return this.store.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('data_suite_attachments').where('suite', '=', name).execute();
      const r = await trx.deleteFrom('data_suites').where('name', '=', name).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    });
  }

  async attach(suite: string, kind: AttachmentKind, target: string, now: number): Promise<void> {
    await this.store.db
      .insertInto('data_suite_attachments')
      .values({ suite, target_kind: kind, target, created_at: now })
      .onConflict((oc) => oc.columns(['suite', 'target_kind', 'target']).doNothing())
      .execute();
  }

  async detach(suite: string, kind: AttachmentKind, target: string): Promise<boolean> {
    const r = await this.store.db
      .deleteFrom('data_suite_attachments')
      .where('suite', '=', suite)
      .where('target_kind', '=', kind)
      .where('target', '=', target)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async attachmentsOf(suite: string): Promise<{ target_kind: AttachmentKind; target: string }[]> {
    // target_kind is text in the store, written only from an AttachmentKind by attach().
    return this.store.db
      .selectFrom('data_suite_attachments')
      .select(['target_kind', 'target'])
      .where('suite', '=', suite)
      .orderBy('target_kind')
      .orderBy('target')
      .$narrowType<{ target_kind: AttachmentKind }>()
      .execute();
  }

  /** Suites attached to a target, with their JSON. */
  async suitesFor(kind: AttachmentKind, target: string): Promise<{ name: string; suite: string }[]> {
    return this.store.db
      .selectFrom('data_suite_attachments as a')
      .innerJoin('data_suites as s', 's.name', 'a.suite')
      .select(['s.name', 's.suite'])
      .where('a.target_kind', '=', kind)
      .where('a.target', '=', target)
      .orderBy('s.name')
      .execute();
  }
}
