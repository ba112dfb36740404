/** Stored global-importance summaries (explanation_summaries, migration 0018): append-only, read newest first. */
import type { Store } from '../store/index.js';

export interface SummaryBackground {
  dataset: string;
  version: string;
  rows: number;
  digest: string;
  source: 'request' | 'monitoring_reference' | 'training_data';
}

export interface SummaryFeature {
  feature: string;
  mean_abs: number;
  per_output: number[];
}

/** One stored summary, its JSON columns parsed. */
export interface ExplanationSummary {
  id: number;
  model: string;
  version: string;
  method: string;
  output_space: string;
  outputs: string[];
  background: SummaryBackground;
  rows: number;
  seed: number;
  truncated: boolean;
  features: SummaryFeature[];
  created_at: number;
  created_by: string;
}

export type NewExplanationSummary = Omit<ExplanationSummary, 'id'>;

type Row = {
  id: number;
  model: string;
  version: string;
  method: string;
  output_space: string;
  outputs: string;
  background: string;
  rows: number;
  seed: number;
  truncated: number;
  features: string;
  created_at: number;
  created_by: string;
};

// PostgreSQL answers bigint (and serial on some drivers) as strings: numbers are read back through Number().
const parse = (r: Row): ExplanationSummary => ({
  id: Number(r.id),
  model: r.model,
  version: r.version,
  method: r.method,
  output_space: r.output_space,
  outputs: JSON.parse(r.outputs) as string[],
  background: JSON.parse(r.background) as SummaryBackground,
  rows: Number(r.rows),
  seed: Number(r.seed),
  truncated: Number(r.truncated) === 1,
  features: JSON.parse(r.features) as SummaryFeature[],
  created_at: Number(r.created_at),
  created_by: r.created_by,
});

export class ExplanationSummaryRepo {
  constructor(private readonly store: Store) {}

  async insert(s: NewExplanationSummary): Promise<ExplanationSummary> {
    const row = await this.store.db
      .insertInto('explanation_summaries')
      .values({
        model: s.model,
        version: s.version,
        method: s.method,
        output_space: s.output_space,
        outputs: JSON.stringify(s.outputs),
        background: JSON.stringify(s.background),
        rows: s.rows,
        seed: s.seed,
        truncated: s.truncated ? 1 : 0,
        features: JSON.stringify(s.features),
        created_at: s.created_at,
        created_by: s.created_by,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { ...s, id: Number(row.id) };
  }

  /** The newest summary of a model version, or null when none was stored. */
  async latest(model: string, version: string): Promise<ExplanationSummary | null> {
    const row = await this.store.db
      .selectFrom('explanation_summaries')
      .selectAll()
      .where('model', '=', model)
      .where('version', '=', version)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row ? parse(row) : null;
  }
}
