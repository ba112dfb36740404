/**
 * Monitoring of a deployment (native API, /api/v1/deployments/:name/...): its settings and prediction log
 * (query, export), feedback, the drift reference, drift, data quality and live performance.
 */
import { Type } from '@sinclair/typebox';
import { defineOperation } from './operation.js';
import { NameParams, Nullable } from './common.js';
import { Duration } from './duration.js';
import { ClassificationMetrics, ColumnSummary, DriftMethod, DriftSummaryFields, FeatureDrift, Label, NoMetrics, RegressionMetrics } from './stats.js';

const tag = 'monitoring';
const P = '/api/v1/deployments/:name';

/** A point in time as queries take it. */
export const Instant = (description = 'ISO 8601 time, epoch milliseconds, or a duration ago such as 24h, 1h30m or 1.5h (docs/api.md, Durations)') =>
  Type.String({ minLength: 1, maxLength: 64, description });

/** The same in a JSON body, where epoch milliseconds may be a number. */
const InstantValue = (description: string) => Type.Unsafe<string | number>({ type: ['string', 'integer'], description });

const WindowQuery = {
  from: Type.Optional(Instant('start of the range (default: 24 h before to): ISO 8601, epoch ms, or a duration ago such as 24h, 1h30m or 1.5h')),
  to: Type.Optional(Instant('end of the range, exclusive (default: now)')),
};

const DRIFT_METHODS = 'ks|chisquare|z|wasserstein|jensenshannon|psi|kl_div|hellinger';
const DriftOptions = {
  drift_share: Type.Optional(
    Type.Number({ exclusiveMinimum: 0, maximum: 1, description: 'share of drifted features at which the dataset counts as drifted (default 0.5)' }),
  ),
  method: Type.Optional(
    Type.String({
      pattern: `^[^:,]+:(${DRIFT_METHODS})(,[^:,]+:(${DRIFT_METHODS}))*$`,
      description: 'drift test per feature: feature:method pairs, e.g. age:psi,income:ks',
    }),
  ),
};

// ---- settings and the prediction log ----

export const MonitoringSettings = Type.Object({
  enabled: Type.Boolean({ description: 'false: requests are neither logged nor profiled' }),
  sample_rate: Type.Number({ minimum: 0, maximum: 1, description: 'share of requests whose rows are stored; profiles see every request' }),
  retention_days: Type.Integer({ minimum: 1, maximum: 3650 }),
  pii: Type.Object(
    { drop: Type.Array(Type.String()), hash: Type.Array(Type.String()) },
    { description: 'input fields removed / replaced by a keyed hash before anything is stored' },
  ),
  window: Type.String({ description: 'profile window, e.g. 1h' }),
});

export const LogCounts = Type.Object(
  {
    stored: Type.Integer(),
    sampled_out: Type.Integer(),
    dropped: Type.Integer({ description: 'refused by a full queue' }),
    write_failed: Type.Integer(),
  },
  { description: 'what this server’s prediction log did with the deployment’s requests since it started' },
);

const FieldNames = Type.Array(Type.String({ minLength: 1, maxLength: 256 }), { maxItems: 1000 });

export const MonitoringSettingsInput = Type.Object(
  {
    enabled: Type.Optional(Type.Boolean({ description: 'false: requests are neither logged nor profiled' })),
    sample_rate: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'share of requests whose rows are stored; profiles see every request' })),
    retention_days: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
    pii: Type.Optional(
      Type.Object(
        { drop: Type.Optional(FieldNames), hash: Type.Optional(FieldNames) },
        { additionalProperties: false, description: 'a field is either dropped or hashed, not both' },
      ),
    ),
    window: Type.Optional(Duration('profile window: divides a day or is whole days, from 10s to 7d, e.g. 5m, 1h, 1h30m, 1d')),
  },
  { additionalProperties: false, description: 'fields left out keep their values' },
);

export const PredictionStatus = Type.Union([Type.Literal('ok'), Type.Literal('client_error'), Type.Literal('error')]);
export const PredictionRoute = Type.Union([Type.Literal('main'), Type.Literal('shadow')]);

/** One row of a logged request: its inputs and outputs (user-shaped) with the request's facts. */
export const LoggedPrediction = Type.Object({
  request_id: Type.String(),
  row: Type.Integer(),
  timestamp: Type.String({ description: 'ISO 8601' }),
  deployment: Type.String(),
  revision: Type.Integer(),
  model: Type.String(),
  model_version: Type.String(),
  route: PredictionRoute,
  status: PredictionStatus,
  latency_us: Type.Integer(),
  error: Nullable(Type.String()),
  inputs: Type.Record(Type.String(), Type.Unknown()),
  outputs: Type.Record(Type.String(), Type.Unknown()),
  unit: Type.Optional(
    Type.String({
      description:
        "the A/B test's unit the request counted for: the sticky key's value (a keyed hash when the deployment's PII rules hash or drop that field), or the request id",
    }),
  ),
  abtest: Type.Optional(Type.String({ description: 'the id of the A/B test the request was served under (its arm is model_version)' })),
});

export const PredictionPage = Type.Object({
  predictions: Type.Array(LoggedPrediction),
  next_page_token: Type.Optional(Type.String({ description: 'pass as page_token for the next (older) page; absent on the last page' })),
});

export const FeedbackItem = Type.Object(
  {
    request_id: Type.String({ minLength: 1, maxLength: 200, description: 'the request id a prediction answered (its X-Request-Id: up to 200 characters)' }),
    row: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, description: 'row of the request (default 0)' })),
    label: Type.Optional(Label),
    value: Type.Optional(Type.Number({ description: 'a regression target' })),
    outcome: Type.Optional(Type.Unknown({ description: 'any JSON outcome (kept, not scored)' })),
    timestamp: Type.Optional(InstantValue('when the truth was observed: ISO 8601, epoch ms or a duration ago (default: now)')),
  },
  { description: 'exactly one of label, value or outcome' },
);

export const FeedbackResult = Type.Object({
  accepted: Type.Integer(),
  unknown: Type.Array(Type.Object({ index: Type.Integer(), request_id: Type.String(), row: Type.Integer() }), {
    description: 'items that match no logged prediction',
  }),
});

export const getMonitoringSettings = defineOperation({
  method: 'GET',
  path: `${P}/monitoring`,
  operationId: 'getMonitoringSettings',
  tag,
  access: 'viewer',
  style: 'native',
  summary: "A deployment's monitoring settings and what its prediction log stored, sampled out or dropped",
  params: NameParams,
  responses: { 200: Type.Object({ settings: MonitoringSettings, log: LogCounts }) },
});

export const updateMonitoringSettings = defineOperation({
  method: 'PUT',
  path: `${P}/monitoring`,
  operationId: 'updateMonitoringSettings',
  tag,
  access: 'editor',
  style: 'native',
  summary: 'Change monitoring settings: sample rate, retention, PII rules, profile window',
  params: NameParams,
  body: MonitoringSettingsInput,
  responses: { 200: Type.Object({ settings: MonitoringSettings }) },
});

export const listPredictions = defineOperation({
  method: 'GET',
  path: `${P}/predictions`,
  operationId: 'listPredictions',
  tag,
  access: 'viewer',
  style: 'native',
  summary: 'Logged predictions, newest first (filter by time, model version, status, route); format=jsonl|csv exports every match',
  params: NameParams,
  query: Type.Object({
    from: Type.Optional(Instant('start of the range (default: the oldest row kept)')),
    to: Type.Optional(Instant('end of the range, exclusive (default: no end)')),
    model_version: Type.Optional(Type.String({ minLength: 1 })),
    status: Type.Optional(PredictionStatus),
    route: Type.Optional(PredictionRoute),
    limit: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 1_000_000,
        description: 'requests per page (json: at most 1000, default 100) or rows exported (default and at most 1,000,000)',
      }),
    ),
    max_results: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'the same as limit' })),
    page_token: Type.Optional(Type.String({ minLength: 1, description: 'next_page_token of the previous page (json only)' })),
    format: Type.Optional(
      Type.Union([Type.Literal('json'), Type.Literal('jsonl'), Type.Literal('csv')], {
        description: 'json: one page; jsonl or csv: every match, as a download',
      }),
    ),
  }),
  responses: {
    200: {
      description: 'A page of predictions (json), or every match as JSON Lines or CSV (one column per input and output)',
      content: {
        'application/json': { schema: PredictionPage },
        'application/x-ndjson': { schema: Type.String({ description: 'one LoggedPrediction per line' }) },
        'text/csv': { schema: Type.String() },
      },
    },
  },
});

export const submitFeedback = defineOperation({
  method: 'POST',
  path: '/api/v1/feedback',
  operationId: 'submitFeedback',
  tag,
  access: 'editor',
  style: 'native',
  summary: 'Ground truth for earlier predictions; unknown ids are reported per item (all unknown: 404)',
  body: Type.Object({ feedback: Type.Array(FeedbackItem, { minItems: 1, maxItems: 10_000 }) }),
  rawBody: {
    description: 'A JSON list of feedback items, or {"feedback": [...]}',
    content: {
      'application/json': {
        schema: Type.Union([
          Type.Array(FeedbackItem, { minItems: 1, maxItems: 10_000 }),
          Type.Object({ feedback: Type.Array(FeedbackItem, { minItems: 1, maxItems: 10_000 }) }),
        ]),
      },
    },
  },
  responses: { 200: FeedbackResult },
});

// ---- the drift reference ----

const ReferencePrediction = Nullable(
  Type.Union([
    Type.Object({ column: Type.String({ description: 'the table’s column holding predictions' }) }),
    Type.Object({
      scored_by_model_version: Type.String({ description: 'the live model scored the table' }),
      sample_rows: Type.Optional(Type.Integer({ description: 'rows scored, for a dataset version' })),
    }),
  ]),
);

/** Where a reference came from. */
export const ReferenceSource = Type.Union([
  Type.Object({
    kind: Type.Literal('file'),
    format: Type.Union([Type.Literal('csv'), Type.Literal('jsonl')]),
    rows: Type.Integer(),
    prediction: ReferencePrediction,
  }),
  Type.Object({
    kind: Type.Literal('dataset'),
    dataset: Type.String({ description: 'NAME@VERSION' }),
    rows: Type.Integer(),
    training_data_of: Type.Optional(Type.String({ description: 'MODEL/VERSION whose training data it is' })),
    prediction: ReferencePrediction,
  }),
  Type.Object({ kind: Type.Literal('window'), from: Type.String(), to: Type.String() }),
]);

export const ReferenceJsonBody = Type.Object(
  {
    from: Type.Optional(InstantValue('a past window of this deployment’s own traffic: its start (ISO 8601, epoch ms or a duration ago)')),
    to: Type.Optional(InstantValue('the window’s end (default: now)')),
    dataset: Type.Optional(Type.String({ minLength: 1, description: 'a stored dataset version, NAME@VERSION' })),
    training_data: Type.Optional(Type.Literal(true, { description: 'the dataset version the serving model version was trained on (lineage)' })),
    prediction_column: Type.Optional(
      Type.String({ minLength: 1, description: 'a column of the table or dataset holding predictions (else the live model scores it)' }),
    ),
  },
  { description: 'exactly one source: from/to, dataset or training_data' },
);

export const ReferenceCreated = Type.Object({ rows: Type.Integer(), columns: Type.Array(Type.String()), source: ReferenceSource });

export const Reference = Type.Object({
  rows: Type.Integer(),
  source: ReferenceSource,
  created_at: Type.String({ description: 'ISO 8601' }),
  created_by: Type.String(),
  columns: Type.Record(Type.String(), ColumnSummary),
});

const TableText = (format: string) => ({ schema: Type.String({ description: `the reference table as ${format}` }) });

export const putReference = defineOperation({
  method: 'PUT',
  path: `${P}/reference`,
  operationId: 'putReference',
  tag,
  access: 'editor',
  style: 'native',
  summary: 'Attach the reference drift is measured against: a CSV / JSON Lines table, a dataset version, or a past window of traffic',
  params: NameParams,
  query: Type.Object({ prediction_column: Type.Optional(Type.String({ minLength: 1, description: 'with a table body: its column holding predictions' })) }),
  // A table body (text/csv, JSON Lines) reaches the route as {file_format, file_text}.
  body: Type.Composite([
    ReferenceJsonBody,
    Type.Object({ file_format: Type.Optional(Type.Union([Type.Literal('csv'), Type.Literal('jsonl')])), file_text: Type.Optional(Type.String()) }),
  ]),
  rawBody: {
    description: 'A table with a header row (CSV) or one object per line (JSON Lines), or a JSON source',
    content: {
      'application/json': { schema: ReferenceJsonBody },
      'text/csv': TableText('CSV with a header row'),
      'application/x-ndjson': TableText('JSON Lines'),
      'application/jsonl': TableText('JSON Lines'),
      'application/x-jsonlines': TableText('JSON Lines'),
    },
  },
  responses: { 200: Type.Object({ reference: ReferenceCreated }) },
});

export const getReference = defineOperation({
  method: 'GET',
  path: `${P}/reference`,
  operationId: 'getReference',
  tag,
  access: 'viewer',
  style: 'native',
  summary: "The deployment's reference: source, rows and a per-column summary",
  params: NameParams,
  responses: { 200: Type.Object({ reference: Reference }) },
});

// ---- drift, quality, performance ----

/** A feature that could not be judged (no values on a side, or absent from the reference). */
export const UnjudgedFeature = Type.Object({ name: Type.String(), drifted: Type.Null(), note: Type.String() });

export const DriftReport = Type.Object({
  deployment: Type.String(),
  from: Type.String({ description: 'ISO 8601' }),
  to: Type.String({ description: 'ISO 8601' }),
  model_version: Type.Optional(Type.String()),
  reference: Type.Object({ rows: Type.Integer(), source: ReferenceSource, created_at: Type.String() }),
  current: Type.Object({ rows: Type.Integer(), requests: Type.Integer() }),
  ...DriftSummaryFields,
  features: Type.Array(Type.Union([FeatureDrift, UnjudgedFeature])),
  prediction: Nullable(FeatureDrift),
});

export const WindowFeatureDrift = Type.Object({
  name: Type.String(),
  method: Nullable(DriftMethod),
  statistic: Nullable(Type.Number()),
  drifted: Nullable(Type.Boolean()),
});

export const DriftWindow = Type.Object({
  start: Type.String({ description: 'ISO 8601' }),
  rows: Type.Integer(),
  dataset_drift: Type.Boolean(),
  share_drifted: Type.Number(),
  features: Type.Array(WindowFeatureDrift),
  prediction: Nullable(Type.Object({ statistic: Nullable(Type.Number()), drifted: Nullable(Type.Boolean()) })),
});

export const DriftWindows = Type.Object({ deployment: Type.String(), windows: Type.Array(DriftWindow) });

export const FeatureQuality = Type.Object({
  name: Type.String(),
  rows: Type.Integer(),
  null_rate: Nullable(Type.Number()),
  type_errors: Type.Integer(),
  out_of_range: Nullable(Type.Number({ description: 'share of values outside the reference’s range; null without a reference' })),
  unseen_categories: Nullable(Type.Number({ description: 'share of values in categories the reference never had; null without a reference' })),
  unseen_top: Type.Optional(Type.Array(Type.Object({ value: Type.String(), count: Type.Number() }))),
});

/** A validation suite attached to the deployment, run on the traffic. */
export const TrafficValidation = Type.Object({
  suite: Type.String(),
  success: Type.Boolean(),
  evaluated: Type.Integer(),
  failed: Type.Integer(),
  failures: Type.Array(Type.Object({ type: Type.String(), column: Type.Optional(Type.String()) })),
});

export const QualityReport = Type.Object({
  deployment: Type.String(),
  from: Type.String(),
  to: Type.String(),
  has_reference: Type.Boolean({ description: 'range and category checks need a reference' }),
  features: Type.Array(FeatureQuality),
  validations: Type.Array(TrafficValidation),
  windows: Type.Array(
    Type.Object({ start: Type.String(), rows: Type.Integer(), features: Type.Array(FeatureQuality), validations: Type.Array(TrafficValidation) }),
  ),
});

/** Metrics of one group of predictions with feedback: classification (labels), regression (values), or none. */
export const PerformanceMetrics = Type.Union([Type.Object(ClassificationMetrics), Type.Object(RegressionMetrics), Type.Object(NoMetrics)]);
const ModelVersionField = { model_version: Type.String() };
export const VersionPerformance = Type.Union([
  Type.Object({ ...ModelVersionField, ...ClassificationMetrics }),
  Type.Object({ ...ModelVersionField, ...RegressionMetrics }),
  Type.Object({ ...ModelVersionField, ...NoMetrics }),
]);

export const PerformanceReport = Type.Object({
  deployment: Type.String(),
  from: Type.String(),
  to: Type.String(),
  prediction: Nullable(Type.String({ description: 'the output compared with feedback' })),
  n: Type.Integer({ description: 'predictions with feedback in the range' }),
  overall: Nullable(PerformanceMetrics),
  versions: Type.Array(VersionPerformance),
  windows: Type.Array(Type.Object({ start: Type.String(), versions: Type.Array(VersionPerformance) })),
});

export const getDrift = defineOperation({
  method: 'GET',
  path: `${P}/drift`,
  operationId: 'getDrift',
  tag,
  access: 'viewer',
  style: 'native',
  summary: 'Drift of a window of traffic (from, to; default 24 h) against the reference, per feature and for the prediction',
  params: NameParams,
  query: Type.Object({
    ...WindowQuery,
    model_version: Type.Optional(Type.String({ minLength: 1, description: 'only this model version’s traffic' })),
    ...DriftOptions,
  }),
  responses: { 200: DriftReport },
});

export const getDriftWindows = defineOperation({
  method: 'GET',
  path: `${P}/drift/windows`,
  operationId: 'getDriftWindows',
  tag,
  access: 'viewer',
  style: 'native',
  summary: 'Drift per profile window over a time range (for charts)',
  params: NameParams,
  query: Type.Object({ ...WindowQuery, ...DriftOptions }),
  responses: { 200: DriftWindows },
});

export const getQuality = defineOperation({
  method: 'GET',
  path: `${P}/quality`,
  operationId: 'getQuality',
  tag,
  access: 'viewer',
  style: 'native',
  summary: 'Data quality of live traffic per feature and window: missing values, type errors, out-of-range numbers, unseen categories',
  params: NameParams,
  query: Type.Object(WindowQuery),
  responses: { 200: QualityReport },
});

export const getPerformance = defineOperation({
  method: 'GET',
  path: `${P}/performance`,
  operationId: 'getPerformance',
  tag,
  access: 'viewer',
  style: 'native',
  summary: 'Live performance from feedback (accuracy, precision, recall, F1, ROC AUC, log loss; MAE, RMSE, R², MAPE) per model version and window',
  params: NameParams,
  query: Type.Object(WindowQuery),
  responses: { 200: PerformanceReport },
});
