/** Stored validation results (what a suite said about a dataset version, a traffic window or an ad-hoc file). */
import type { Store } from '../store/index.js';
import type { AttachmentKind } from './suite-repo.js';
import type { ValidationResult } from './validation/index.js';

export interface ValidationRecord {
  suite: string;
  target_kind: AttachmentKind;
  target: string;
  version: number | null;
  window_start: number | null;
  success: boolean;
  evaluated: number;
  failed: number;
  /** Stored as JSON; the suite service writes a ValidationResult. */
  result: object;
}

export interface ValidationSummaryView {
  id: number;
  suite: string;
  target_kind: AttachmentKind;
  target: string;
  version: number | null;
  window_start: string | null;
  success: boolean;
  evaluated: number;
  failed: number;
  created_at: string;
}

export class ValidationRepo {
  constructor(private readonly store: Store) {}

  async insert(r: ValidationRecord): Promise<number> {
    const row = await this.store.db.insertInto('data_validations').values(storedRow(r)).returning('id').executeTakeFirstOrThrow();
    return Number(row.id);
  }

  async list(
    filter: { targetKind?: AttachmentKind; target?: string; version?: number; suite?: string; success?: boolean },
    page: { limit: number; offset: number },
  ): Promise<ValidationSummaryView[]> {
    let q = this.store.db
      .selectFrom('data_validations')
      .select(['id', 'suite', 'target_kind', 'target', 'version', 'window_start', 'success', 'evaluated', 'failed', 'created_at']);
    if (filter.targetKind) q = q.where('target_kind', '=', filter.targetKind);
    if (filter.target) q = q.where('target', '=', filter.target);
    if (filter.version !== undefined) q = q.where('version', '=', filter.version);
    if (filter.suite) q = q.where('suite', '=', filter.suite);
    if (filter.success !== undefined) q = q.where('success', '=', filter.success ? 1 : 0);
    const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(page.limit).offset(page.offset).execute();
    return rows.map(summaryView);
  }

  /** A traffic window's result, unless one is already recorded for that suite and window (then false). */
  async insertWindowOnce(r: ValidationRecord & { window_start: number }): Promise<boolean> {
    const rows = await this.store.db
      .insertInto('data_validations')
      .values(storedRow(r))
      .onConflict((oc) => oc.columns(['suite', 'target_kind', 'target', 'window_start']).doNothing())
      .returning('id')
      .execute();
    return rows.length > 0;
  }

  /** Whether a deployment window's result for this suite is already recorded. */
  async hasWindow(suite: string, deployment: string, windowStart: number): Promise<boolean> {
    const row = await this.store.db
      .selectFrom('data_validations')
      .select('id')
      .where('target_kind', '=', 'deployment')
      .where('target', '=', deployment)
      .where('suite', '=', suite)
      .where('window_start', '=', windowStart)
      .executeTakeFirst();
    return row !== undefined;
  }

  async get(id: number): Promise<(ValidationSummaryView & { result: ValidationResult }) | undefined> {
    const row = await this.store.db.selectFrom('data_validations').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? { ...summaryView(row), result: JSON.parse(row.result) as ValidationResult } : undefined;
  }
}

function storedRow(r: ValidationRecord) {
  return {
    suite: r.suite,
    target_kind: r.target_kind,
    target: r.target,
    version: r.version,
    window_start: r.window_start,
    success: r.success ? 1 : 0,
    evaluated: r.evaluated,
    failed: r.failed,
    result: JSON.stringify(r.result),
    created_at: Date.now(),
  };
}

function summaryView(r: {
  id: number;
  suite: string;
  target_kind: string;
  target: string;
  version: number | null;
  window_start: number | null;
  success: number;
  evaluated: number;
  failed: number;
  created_at: number;
}): ValidationSummaryView {
  return {
    // Written from an AttachmentKind by insert (the store column is text).
    id: Number(r.id),
    suite: r.suite,
    target_kind: r.target_kind as AttachmentKind,
    target: r.target,
    version: r.version === null ? null : Number(r.version),
    window_start: r.window_start === null ? null : new Date(Number(r.window_start)).toISOString(),
    success: Number(r.success) === 1,
    evaluated: Number(r.evaluated),
    failed: Number(r.failed),
    created_at: new Date(Number(r.created_at)).toISOString(),
  };
}
