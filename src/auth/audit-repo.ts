import type { AuditLogTable, Store } from '../store/index.js';

export type AuditEntry = Omit<AuditLogTable, 'audit_id'>;

export class AuditLog {
  constructor(private readonly store: Store) {}

  async record(e: AuditEntry): Promise<void> {
    await this.store.db.insertInto('audit_log').values(e).execute();
  }

  async list(opts: { limit: number; before?: number; actor?: string; since?: number }) {
    let q = this.store.db.selectFrom('audit_log').selectAll().orderBy('audit_id', 'desc').limit(opts.limit);
    if (opts.before !== undefined) q = q.where('audit_id', '<', opts.before);
    if (opts.actor) q = q.where('actor', '=', opts.actor);
    if (opts.since !== undefined) q = q.where('ts', '>=', opts.since);
    return q.execute();
  }
}
