/**
 * Fairness (issue 19): offline reports of a model version on a dataset version (stored, for the model card and the
 * approval gates) and live fairness of a deployment per window from the prediction log. Values follow Fairlearn
 * 0.15's conventions (docs/fairness.md); a value Fairlearn would give as NaN is null here (JSON has no NaN).
 */
import { Type } from '@sinclair/typebox';
import { defineOperation } from './operation.js';
import { NO_NUL, Nullable, StringEnum, Text } from './common.js';
import { Duration } from './duration.js';

const tag = 'fairness';

/** The group metrics a report may ask for (src/stats/fairness METRIC_NAMES), and the short names accepted for them. */
export const FAIRNESS_METRICS = [
  'selection_rate',
  'true_positive_rate',
  'false_positive_rate',
  'true_negative_rate',
  'false_negative_rate',
  'accuracy',
  'precision',
  'recall',
  'count',
] as const;
export const FAIRNESS_METRIC_ALIASES = {
  tpr: 'true_positive_rate',
  fpr: 'false_positive_rate',
  tnr: 'true_negative_rate',
  fnr: 'false_negative_rate',
} as const;
/** Parity metrics (Fairlearn's functions), each by both methods. */
export const PARITY_METRICS = [
  'demographic_parity_difference',
  'demographic_parity_ratio',
  'equalized_odds_difference',
  'equalized_odds_ratio',
  'equal_opportunity_difference',
  'equal_opportunity_ratio',
] as const;
/** Alert metrics on live traffic: `<name>:<feature>`. */
export const FAIRNESS_ALERT_METRICS = [
  'demographic_parity_ratio',
  'demographic_parity_difference',
  'equalized_odds_ratio',
  'equalized_odds_difference',
  'equal_opportunity_ratio',
] as const;

export const MISSING_SENSITIVE = ['group', 'drop', 'refuse'] as const;
export const MISSING_GROUP = '(missing)';

const Num = Nullable(Type.Number({ description: 'null where Fairlearn gives NaN (e.g. 0/0)' }));
const ByMethod = Type.Object({ between_groups: Num, to_overall: Num });
// One schema with a list of types, not a union: the validator then keeps 0 a number and '0' a string (a union's
// first branch would coerce one into the other).
const LabelValue = Type.Unsafe<string | number | boolean>({
  type: ['string', 'number', 'boolean'],
  maxLength: 256,
  description: 'a label: a number, a string or a boolean',
});
const FeatureName = Type.String({
  minLength: 1,
  maxLength: 256,
  pattern: NO_NUL,
  description: 'a column of the dataset (offline) or a logged model input (live)',
});

const ModelName = Type.String({ minLength: 1, maxLength: 256, pattern: NO_NUL, description: 'registered model name' });
const VersionNumber = Type.String({ pattern: '^[1-9][0-9]{0,8}$', description: 'the model version number (a positive integer)' });
const VersionParams = Type.Object({ name: ModelName, version: VersionNumber });

export const FairnessInterval = Type.Object({
  estimate: Num,
  lo: Num,
  hi: Num,
  undefined_replicates: Type.Integer({ description: 'replicates where the statistic was NaN (left out of the percentiles)' }),
});

export const FairnessGroup = Type.Object({
  key: Type.Array(Type.Union([Type.String(), Type.Number()]), { description: 'one value per sensitive feature' }),
  label: Type.String(),
  value: Num,
  n: Type.Integer({ description: 'rows in the group (always shown)' }),
  weight: Type.Number(),
  observed: Type.Boolean({ description: 'false for an intersection with no rows (value null)' }),
  insufficient: Type.Boolean({ description: 'n < min_group_size: reported and counted in difference/ratio, but flagged' }),
  interval: Type.Optional(FairnessInterval),
});

export const FairnessFrame = Type.Object({
  metric: Type.String(),
  overall: Num,
  n: Type.Integer(),
  groups: Type.Array(FairnessGroup),
  group_min: Num,
  group_max: Num,
  difference: ByMethod,
  ratio: ByMethod,
  insufficient_groups: Type.Array(Type.String()),
  bootstrap: Type.Optional(
    Type.Object({
      replicates: Type.Integer(),
      seed: Type.Integer(),
      level: Type.Number(),
      overall: FairnessInterval,
      difference: Type.Object({ between_groups: FairnessInterval, to_overall: FairnessInterval }),
      ratio: Type.Object({ between_groups: FairnessInterval, to_overall: FairnessInterval }),
    }),
  ),
});

export const FourFifths = Type.Object({
  ratio: Num,
  threshold: Type.Number(),
  flagged: Type.Boolean(),
  undefined: Type.Boolean(),
  explanation: Type.String({ description: 'what the heuristic is (and is not)' }),
});

const Parity = Type.Object(Object.fromEntries(PARITY_METRICS.map((m) => [m, ByMethod])) as Record<(typeof PARITY_METRICS)[number], typeof ByMethod>, {
  description: "Fairlearn's parity metrics; equalized odds with agg='worst_case' (NaN parts skipped, see docs/fairness.md)",
});

export const FairnessAnalysis = Type.Object({
  features: Type.Array(Type.String(), { description: 'the sensitive features grouped by (several: their intersections)' }),
  frames: Type.Array(FairnessFrame),
  parity: Parity,
  four_fifths: FourFifths,
  insufficient_groups: Type.Array(Type.String(), { description: 'groups below min_group_size in any frame' }),
});

export const FairnessSpec = Type.Object({
  dataset: Type.String(),
  dataset_version: Type.Integer(),
  label: Type.String(),
  prediction: Type.String({ description: "the model output read as the predicted label (default: the first scalar output, skl2onnx's 'label')" }),
  sensitive_features: Type.Array(Type.String()),
  metrics: Type.Array(Type.String()),
  pos_label: Nullable(LabelValue),
  min_group_size: Type.Integer(),
  missing_sensitive: StringEnum(MISSING_SENSITIVE),
  sample_weight: Type.Optional(Nullable(Type.String({ description: "the column read as each row's weight; null: every row weighs 1" }))),
  bootstrap: Nullable(Type.Object({ samples: Type.Integer(), seed: Type.Integer(), level: Type.Number() })),
});

export const FairnessRows = Type.Object(
  {
    y_true: Type.Array(LabelValue),
    y_pred: Type.Array(LabelValue),
    sensitive: Type.Record(Type.String(), Type.Array(LabelValue)),
    sample_weight: Type.Optional(Type.Array(Type.Number(), { description: "each row's weight, when the report was weighted" })),
  },
  { description: 'the scored rows the report was computed on (column by column), for an independent recomputation' },
);

export const FairnessReport = Type.Object({
  id: Type.Integer(),
  model: Type.String(),
  version: Type.String(),
  dataset: Type.String(),
  dataset_version: Type.Integer(),
  created_at: Type.String({ description: 'ISO 8601' }),
  created_by: Type.String(),
  spec: FairnessSpec,
  n_rows: Type.Integer({ description: 'rows scored and analysed' }),
  rows_without_label: Type.Integer({ description: 'dataset rows left out because their label was missing' }),
  rows_missing_sensitive: Type.Integer({ description: "rows with a missing sensitive value (grouped as '(missing)', or left out, as missing_sensitive says)" }),
  analyses: Type.Array(FairnessAnalysis, { description: 'the intersection of all sensitive features first, then each feature alone (when several)' }),
  notes: Type.Array(Type.String()),
  rows: Type.Optional(FairnessRows),
});

export const FairnessReportSummary = Type.Object({
  id: Type.Integer(),
  model: Type.String(),
  version: Type.String(),
  dataset: Type.String(),
  dataset_version: Type.Integer(),
  sensitive_features: Type.Array(Type.String()),
  n_rows: Type.Integer(),
  demographic_parity_ratio: Num,
  four_fifths_flagged: Type.Boolean(),
  created_at: Type.String(),
  created_by: Type.String(),
});

export const FairnessRequest = Type.Object(
  {
    dataset: Type.String({ minLength: 1, maxLength: 256, pattern: NO_NUL, description: 'a registered dataset' }),
    dataset_version: Type.Union([Type.Integer({ minimum: 1 }), Type.String({ minLength: 1, maxLength: 64, pattern: NO_NUL })], {
      description: "a version number, or 'latest'",
    }),
    label: FeatureName,
    sensitive_features: Type.Array(FeatureName, { minItems: 1, maxItems: 4, uniqueItems: true }),
    metrics: Type.Optional(
      Type.Array(StringEnum([...FAIRNESS_METRICS, ...Object.keys(FAIRNESS_METRIC_ALIASES)] as string[]), {
        minItems: 1,
        maxItems: 13,
        description: 'group metrics (default selection_rate, accuracy, true_positive_rate, false_positive_rate); tpr/fpr/tnr/fnr are short names',
      }),
    ),
    prediction: Type.Optional(Text({ minLength: 1, maxLength: 256, description: 'the model output read as the predicted label' })),
    sample_weight: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 256,
        pattern: NO_NUL,
        description: "a column of the dataset holding each row's weight (a finite number ≥ 0), as Fairlearn's sample_weight",
      }),
    ),
    pos_label: Type.Optional(Nullable(LabelValue)),
    min_group_size: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 1_000_000, description: 'groups with fewer rows are flagged insufficient (default 30)' }),
    ),
    missing_sensitive: Type.Optional(
      StringEnum(MISSING_SENSITIVE, {
        description: `a row whose sensitive value is missing: 'group' (default) puts it in a group of its own, '${MISSING_GROUP}'; 'drop' leaves it out (counted); 'refuse' answers 400, as Fairlearn raises`,
      }),
    ),
    bootstrap: Type.Optional(
      Type.Object(
        {
          samples: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, description: 'replicates (default 1000)' })),
          seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 4294967295, description: 'default 42' })),
          level: Type.Optional(Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1, description: 'default 0.95' })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

const ReportQuery = Type.Object({
  rows: Type.Optional(Type.Boolean({ description: 'include the scored rows (default false)' })),
});

export const createFairnessReport = defineOperation({
  method: 'POST',
  path: '/api/v1/models/:name/versions/:version/fairness',
  operationId: 'createFairnessReport',
  tag,
  access: 'editor',
  style: 'native',
  summary: 'Score a dataset version with the model version and store its fairness report (metrics by group, parity, four-fifths, intervals)',
  params: VersionParams,
  query: ReportQuery,
  body: FairnessRequest,
  responses: { 201: Type.Object({ report: FairnessReport }) },
});

export const listFairnessReports = defineOperation({
  method: 'GET',
  path: '/api/v1/models/:name/versions/:version/fairness',
  operationId: 'listFairnessReports',
  tag,
  access: 'viewer',
  style: 'native',
  summary: "The model version's stored fairness reports, newest first",
  params: VersionParams,
  responses: { 200: Type.Object({ reports: Type.Array(FairnessReportSummary) }) },
});

export const getFairnessReport = defineOperation({
  method: 'GET',
  path: '/api/v1/models/:name/versions/:version/fairness/:id',
  operationId: 'getFairnessReport',
  tag,
  access: 'viewer',
  style: 'native',
  summary: 'One stored fairness report',
  params: Type.Object({ name: ModelName, version: VersionNumber, id: Type.String({ pattern: '^[1-9][0-9]{0,14}$', description: "the report's id" }) }),
  query: ReportQuery,
  responses: { 200: Type.Object({ report: FairnessReport }) },
});

// ---- live ----

export const LiveGroup = Type.Object({
  key: Type.Union([Type.String(), Type.Number()]),
  label: Type.String(),
  n: Type.Integer({ description: 'predictions in the window' }),
  selection_rate: Num,
  labelled: Type.Integer({ description: 'predictions with label feedback' }),
  label_coverage: Num,
  true_positive_rate: Num,
  false_positive_rate: Num,
  insufficient: Type.Boolean({ description: 'n < min_group_size' }),
});

export const LiveWindow = Type.Object({
  start: Type.String(),
  end: Type.String(),
  n: Type.Integer(),
  labelled: Type.Integer(),
  missing_feature: Type.Integer({ description: 'predictions whose sensitive value was missing (left out)' }),
  groups: Type.Array(LiveGroup),
  demographic_parity_difference: Num,
  demographic_parity_ratio: Num,
  equalized_odds_difference: Num,
  equalized_odds_ratio: Num,
  equal_opportunity_difference: Num,
  equal_opportunity_ratio: Num,
  insufficient_groups: Type.Array(Type.String()),
});

export const LiveFairness = Type.Object({
  deployment: Type.String(),
  feature: Type.String(),
  feature_source: Type.Literal('model_input', { description: 'the prediction log keeps model inputs only' }),
  prediction: Type.String(),
  model_version: Nullable(Type.String({ description: 'the model version asked for; null: every version served' })),
  pos_label: Nullable(LabelValue),
  from: Type.String(),
  to: Type.String(),
  window: Type.String(),
  min_group_size: Type.Integer(),
  overall: LiveWindow,
  windows: Type.Array(LiveWindow),
  notes: Type.Array(Type.String()),
});

export const getLiveFairness = defineOperation({
  method: 'GET',
  path: '/api/v1/deployments/:name/fairness',
  operationId: 'getLiveFairness',
  tag,
  access: 'viewer',
  style: 'native',
  summary: 'Live fairness per window: selection rates per group at once, TPR/FPR per group where labels have joined (with coverage), parity metrics',
  params: Type.Object({ name: Type.String({ minLength: 1 }) }),
  query: Type.Object({
    feature: FeatureName,
    from: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'start (default 24h before to): ISO 8601, epoch ms, or a duration ago' })),
    to: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'end, exclusive (default now)' })),
    window: Type.Optional(Duration('window length (default 1h)')),
    pos_label: Type.Optional(
      Type.String({ minLength: 1, maxLength: 256, pattern: NO_NUL, description: 'positive label (default 1); a number or true/false is read as such' }),
    ),
    prediction: Type.Optional(Type.String({ minLength: 1, maxLength: 256, description: 'the output read as the predicted label' })),
    model_version: Type.Optional(
      Type.String({ minLength: 1, maxLength: 64, description: 'only this model version’s predictions (default: every version served)' }),
    ),
    min_group_size: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, description: 'default 30' })),
  }),
  responses: { 200: LiveFairness },
});
