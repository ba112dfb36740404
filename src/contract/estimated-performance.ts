/**
 * Estimated performance without labels (CBPE, binary classifiers): a deployment's predictions per window with the
 * metrics nannyml's CBPE estimates from the model's own probabilities, their ±3·SE bands, and realized metrics where
 * label feedback has joined. See docs/estimated-performance.md.
 */
import { Type } from '@sinclair/typebox';
import { defineOperation } from './operation.js';
import { NO_NUL, Nullable, StringEnum } from './common.js';
import { Duration } from './duration.js';

const tag = 'monitoring';

/** The metrics CBPE estimates (src/stats/cbpe CBPE_METRICS). */
export const ESTIMATED_METRICS = ['roc_auc', 'f1', 'precision', 'recall', 'specificity', 'accuracy', 'average_precision'] as const;

/** Alert metrics (docs/alerts.md): `estimated_<metric>`, optionally `:<label>` or `:<label>@<dataset>@<version>` naming the reference. */
export const ESTIMATED_ALERT_METRICS = ESTIMATED_METRICS.map((m) => `estimated_${m}` as const);

export const CALIBRATIONS = ['auto', 'isotonic', 'none'] as const;

const Num = (description: string) => Nullable(Type.Number({ description }));

export const EstimatedMetric = Type.Object({
  estimated: Num('the CBPE estimate; null where nannyml gives NaN (e.g. ROC AUC when no positive is expected)'),
  sampling_error: Num('std / √(n · fraction), the components taken from the reference'),
  lower: Num('estimated − 3 · sampling_error, at least 0'),
  upper: Num('estimated + 3 · sampling_error, at most 1'),
  realized: Num('on the rows whose label feedback has joined; null without labels or where undefined (one class)'),
  realized_outside_band: Nullable(Type.Boolean({ description: 'realized < lower or > upper; null without both' })),
});

const Metrics = Type.Object(
  Object.fromEntries(ESTIMATED_METRICS.map((m) => [m, EstimatedMetric])) as Record<(typeof ESTIMATED_METRICS)[number], typeof EstimatedMetric>,
);

export const EstimatedWindow = Type.Object({
  start: Type.String(),
  end: Type.String(),
  rows: Type.Integer({ description: "answered predictions of the reference's model version in the window" }),
  labelled: Type.Integer({ description: 'of those, rows with label feedback' }),
  label_coverage: Nullable(Type.Number({ description: 'labelled / rows; null without rows' })),
  expected_confusion: Nullable(
    Type.Object(
      { tp: Type.Number(), fp: Type.Number(), fn: Type.Number(), tn: Type.Number() },
      { description: 'Σ of calibrated probabilities by predicted label' },
    ),
  ),
  metrics: Nullable(Metrics),
  /** Metrics whose realized value lies outside the band in this window. */
  outside_band: Type.Array(Type.String()),
});

export const EstimatedReference = Type.Object({
  dataset: Type.String({ description: 'NAME@VERSION of the labelled reference' }),
  training_data_of: Type.Optional(Type.String({ description: 'MODEL/VERSION when the reference is that version’s training data (lineage)' })),
  label: Type.String(),
  rows: Type.Integer({ description: 'reference rows with a 0/1 label' }),
  rows_without_label: Type.Integer(),
  positives: Type.Integer(),
  predicted_positives: Type.Integer(),
  prediction_output: Type.String({ description: 'the model output read as the predicted label' }),
  probability_output: Type.String({ description: 'the model output read as the probability of class 1' }),
  realized: Type.Record(Type.String(), Nullable(Type.Number()), { description: 'the model’s realized metrics on the reference' }),
  calibration: Type.Object({
    requested: StringEnum(CALIBRATIONS),
    method: StringEnum(['isotonic', 'none'] as const),
    reason: Type.String({ description: 'why, in one sentence' }),
    ece_before: Nullable(Type.Number()),
    ece_after: Nullable(Type.Number()),
    reference_roc_auc: Nullable(Type.Number()),
  }),
  fitted_at: Type.String({ description: 'when this server fitted the estimator (kept in memory; the fit is deterministic)' }),
});

export const EstimatedPerformance = Type.Object({
  deployment: Type.String(),
  model: Type.Object({ name: Type.String(), version: Type.String() }),
  from: Type.String(),
  to: Type.String(),
  window: Type.String(),
  band_width: Type.Number({ description: 'the band is ± band_width sampling errors (3, as nannyml)' }),
  reference: EstimatedReference,
  overall: EstimatedWindow,
  windows: Type.Array(EstimatedWindow),
  rows_other_versions: Type.Integer({
    description: "predictions by other model versions in the range (not estimated: the estimator is the reference's version's)",
  }),
  notes: Type.Array(Type.String()),
});

const Column = (description: string) => Type.String({ minLength: 1, maxLength: 256, pattern: NO_NUL, description });

export const EstimatedPerformanceQuery = Type.Object({
  from: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'start (default 24h before to): ISO 8601, epoch ms, or a duration ago' })),
  to: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'end, exclusive (default now)' })),
  window: Type.Optional(Duration('window length (default 1h)')),
  dataset: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 256,
      pattern: NO_NUL,
      description: 'the labelled reference, NAME@VERSION (default: the training data of the serving model version, from lineage)',
    }),
  ),
  label: Type.Optional(Column("the reference's label column (default: its one column that is not a model input)")),
  calibration: Type.Optional(
    StringEnum(CALIBRATIONS, { description: "'auto' (default): calibrate when isotonic regression lowers the ECE on held-out reference rows" }),
  ),
  prediction: Type.Optional(Column('the output read as the predicted label (default: the first scalar output)')),
  probability: Type.Optional(Column('the output read as the probability of class 1 (default: the first output with two probabilities per row)')),
});

export const getEstimatedPerformance = defineOperation({
  method: 'GET',
  path: '/api/v1/deployments/:name/performance/estimated',
  operationId: 'getEstimatedPerformance',
  tag,
  access: 'viewer',
  style: 'native',
  summary:
    'Estimated performance without labels (CBPE, binary): per window, estimated metrics with ±3·SE bands, beside realized metrics where labels have joined',
  params: Type.Object({ name: Type.String({ minLength: 1 }) }),
  query: EstimatedPerformanceQuery,
  responses: { 200: EstimatedPerformance },
});
