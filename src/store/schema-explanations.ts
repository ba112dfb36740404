/** Table types of stored global-importance summaries (migration 0018). */
import type { Generated } from 'kysely';

export interface ExplanationSummaryTable {
  id: Generated<number>;
  model: string;
  version: string;
  /** The explainer that answered: tree_interventional | kernel | exact | permutation | linear. */
  method: string;
  /** probability | margin | raw: what the attributions are in. */
  output_space: string;
  /** JSON: the explained outputs, in order. */
  outputs: string;
  /** JSON: {dataset, version, rows, digest, source} of the background sample. */
  background: string;
  /** Rows explained (a seeded sample of the background). */
  rows: number;
  seed: number;
  /** 1 when the evaluation budget cut the explanation short (the figures are an estimate). */
  truncated: number;
  /** JSON: [{feature, mean_abs, per_output}], largest mean |φ| first. */
  features: string;
  created_at: number;
  created_by: string;
}

export interface ExplanationTables {
  explanation_summaries: ExplanationSummaryTable;
}
