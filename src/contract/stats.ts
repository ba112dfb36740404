/**
 * Shapes of the statistics Ferry answers with, shared by every report that carries them: a column's summary
 * (profiles, references), drift of one column between two profiles (monitoring drift, dataset diffs), and the
 * classification / regression metrics of live performance.
 */
import { Type } from '@sinclair/typebox';
import { Nullable } from './common.js';

const Quantiles = Type.Object({
  p01: Type.Number(),
  p05: Type.Number(),
  p25: Type.Number(),
  p50: Type.Number(),
  p75: Type.Number(),
  p95: Type.Number(),
  p99: Type.Number(),
});

export const ColumnKind = Type.Union([Type.Literal('numerical'), Type.Literal('categorical'), Type.Literal('unknown')], {
  description: "'unknown': no usable value seen yet",
});

/** One column of a profile: counts for every column, moments and quantiles for numbers, top values for categories. */
export const ColumnSummary = Type.Object({
  kind: ColumnKind,
  count: Type.Integer(),
  nulls: Type.Integer(),
  null_rate: Nullable(Type.Number({ description: 'nulls / count; null for an empty column' })),
  type_errors: Type.Integer(),
  min: Nullable(Type.Number()),
  max: Nullable(Type.Number()),
  mean: Nullable(Type.Number()),
  std: Nullable(Type.Number({ description: 'sample standard deviation (ddof=1); null below two values' })),
  quantiles: Nullable(Quantiles),
  unique_estimate: Type.Optional(Type.Integer({ description: 'distinct values, while they are counted exactly' })),
  top: Type.Array(Type.Object({ value: Type.String(), count: Type.Number() })),
});

/** A category as the drift tests see it. */
const Category = Type.Unsafe<string | number | boolean>({ type: ['string', 'number', 'boolean'] });
const Share = Type.Object({ count: Type.Number(), share: Type.Number() });

/** One side of a drift plot: buckets (numeric edges or categories), counts and shares. */
export const PlotBins = Type.Object({
  edges: Type.Optional(Type.Array(Type.Number())),
  categories: Type.Optional(Type.Array(Category)),
  counts: Type.Array(Type.Number()),
  shares: Type.Array(Type.Number()),
  underflow: Type.Optional(Share),
  overflow: Type.Optional(Share),
  unseen: Type.Optional(Share),
  rows: Type.Integer({ description: 'non-missing values on this side' }),
});

export const DriftMethod = Type.Union(
  [
    Type.Literal('ks'),
    Type.Literal('chisquare'),
    Type.Literal('z'),
    Type.Literal('wasserstein'),
    Type.Literal('jensenshannon'),
    Type.Literal('psi'),
    Type.Literal('kl_div'),
    Type.Literal('hellinger'),
  ],
  { description: 'the drift test' },
);

/** Drift of one column: the test chosen (Evidently's defaults), its statistic and verdict, and the plot data. */
export const FeatureDrift = Type.Object({
  name: Type.String(),
  kind: Type.Union([Type.Literal('numerical'), Type.Literal('categorical')]),
  method: DriftMethod,
  statistic: Nullable(Type.Number()),
  p_value: Nullable(Type.Number()),
  threshold: Type.Number(),
  drifted: Nullable(Type.Boolean()),
  basis: Type.Union([Type.Literal('exact'), Type.Literal('sample'), Type.Literal('sketch')], { description: 'exact, on uniform samples, or from sketches' }),
  reference: PlotBins,
  current: PlotBins,
  note: Type.Optional(Type.String()),
});

/** The dataset-level verdict over the judged features (Evidently's share rule). */
export const DriftSummaryFields = {
  dataset_drift: Type.Boolean(),
  drift_share: Type.Number({ description: 'share of drifted features at which the dataset counts as drifted' }),
  number_drifted: Type.Integer(),
  number_of_features: Type.Integer({ description: 'features judged (with values on both sides)' }),
  share_drifted: Type.Number(),
};

export const Label = Type.Unsafe<string | number | boolean>({ type: ['string', 'number', 'boolean'], description: 'a class: string, number or boolean' });
const Prf = Type.Object({ precision: Type.Number(), recall: Type.Number(), f1: Type.Number() });

/** Every classification metric that applies; null (with a note) where one cannot be computed. */
export const ClassificationMetrics = {
  task: Type.Literal('classification'),
  n: Type.Integer(),
  labels: Type.Array(Label),
  positive_label: Nullable(Label),
  average: Type.Union([Type.Literal('binary'), Type.Literal('macro'), Type.Literal('weighted'), Type.Literal('micro')]),
  accuracy: Type.Number(),
  precision: Type.Number(),
  recall: Type.Number(),
  f1: Type.Number(),
  macro: Prf,
  weighted: Prf,
  micro: Prf,
  per_class: Type.Array(Type.Object({ label: Label, support: Type.Integer(), precision: Type.Number(), recall: Type.Number(), f1: Type.Number() })),
  confusion_matrix: Type.Array(Type.Array(Type.Number()), { description: 'rows: true label, columns: predicted label, in labels order' }),
  roc_auc: Nullable(Type.Number()),
  roc_auc_mode: Nullable(Type.Union([Type.Literal('exact'), Type.Literal('binned')])),
  roc_auc_error_bound: Nullable(Type.Number()),
  log_loss: Nullable(Type.Number()),
  notes: Type.Array(Type.String()),
};

export const RegressionMetrics = {
  task: Type.Literal('regression'),
  n: Type.Integer(),
  mae: Type.Number(),
  mse: Type.Number(),
  rmse: Type.Number(),
  r2: Nullable(Type.Number({ description: 'null with fewer than two rows' })),
  mape: Type.Number(),
  max_error: Type.Number(),
  notes: Type.Array(Type.String()),
};

/** No usable rows: the task the feedback implies and n = 0. */
export const NoMetrics = {
  task: Type.Union([Type.Literal('classification'), Type.Literal('regression'), Type.Literal('outcome')]),
  n: Type.Literal(0),
};
