/** Stored fairness reports (fairness_reports, migration 0016): append-only, read newest first. */
import type { Store } from '../store/index.js';

export interface StoredFairnessReport {
  id: number;
  model: string;
  version: string;
  dataset: string;
  dataset_version: number;
  spec: string;
  result: string;
  created_at: number;
  created_by: string;
}

export type NewFairnessReport = Omit<StoredFairnessReport, 'id'> & { scored_rows: string };

const COLUMNS = ['id', 'model', 'version', 'dataset', 'dataset_version', 'spec', 'result', 'created_at', 'created_by'] as const;

const asRow = (r: StoredFairnessReport): StoredFairnessReport => ({
  ...r,
  id: Number(r.id),
  dataset_version: Number(r.dataset_version),
  created_at: Number(r.created_at),
});

export class FairnessRepo {
  constructor(private readonly store: Store) {}

  async insert(r: NewFairnessReport): Promise<number> {
    const row = await this.store.db.insertInto('fairness_reports').values(r).returning('id').executeTakeFirstOrThrow();
    return Number(row.id);
  }

  async get(model: string, version: string, id: number): Promise<StoredFairnessReport | null> {
    const row = await this.store.db
      .selectFrom('fairness_reports')
      .select(COLUMNS)
      .where('id', '=', id)
      .where('model', '=', model)
      .where('version', '=', version)
      .executeTakeFirst();
    return row ? asRow(row) : null;
  }

  /** The scored rows of a report (JSON), or null when there is no such report. */
  async scoredRows(id: number): Promise<string | null> {
    const row = await this.store.db.selectFrom('fairness_reports').select('scored_rows').where('id', '=', id).executeTakeFirst();
    return row?.scored_rows ?? null;
  }

  /** A version's reports without their scored rows, newest first (at most `limit`). */
  async list(model: string, version: string, limit = 500): Promise<StoredFairnessReport[]> {
    const rows = await this.store.db
      .selectFrom('fairness_reports')
      .select(COLUMNS)
      .where('model', '=', model)
      .where('version', '=', version)
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map(asRow);
  }
}
