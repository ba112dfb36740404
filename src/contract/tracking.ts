/**
 * Experiment tracking over MLflow's REST API (/api/2.0/mlflow/...): experiments, runs (params, metrics, tags,
 * inputs, outputs, search, metric history), MLflow 3 logged models, and the artifact proxy
 * (/api/2.0/mlflow-artifacts/...). The real mlflow client talks to these unchanged, so its conventions stay:
 * GET fields are query parameters and lists repeated keys; ids and int64 fields may arrive as strings or numbers;
 * enums travel by name; non-finite metric values are the strings "NaN", "Infinity" and "-Infinity".
 */
import { type TSchema, Type } from '@sinclair/typebox';
import { defineOperation } from './operation.js';
import { Empty, PageToken, StringEnum, Text } from './common.js';

const style = 'mlflow';
const E = '/api/2.0/mlflow/experiments';
const R = '/api/2.0/mlflow/runs';
const LM = '/api/2.0/mlflow/logged-models';
const PROXY = '/api/2.0/mlflow-artifacts/artifacts';

// ---- small shapes ----

/** PostgreSQL text cannot hold NUL: every string Ferry stores refuses it, on both stores alike. */

/** int64 fields: the mlflow client may send them as JSON numbers or as strings ("1712345678901"). */
const Int64 = (description?: string, opts: { minimum?: number } = {}) => Type.Integer({ ...opts, ...(description ? { description } : {}) });

const MAX_KEY = 250;

/** A metric, param or tag key: MLflow's characters (letters, digits, _ - . space / :), checked by the server. */
const Key = Text({ minLength: 1, maxLength: MAX_KEY, description: "letters, digits, '_', '-', '.', ' ', ':' and '/'; at most 250 characters" });

/** A key/value pair as a request sends it (a missing value is the empty string). */
const KeyValueIn = (valueMaxLength?: number) => Type.Object({ key: Key, value: Type.Optional(Text(valueMaxLength ? { maxLength: valueMaxLength } : {})) });

/** An experiment id: a decimal integer, sent as a string (an id that cannot exist answers 404, as in MLflow). */
const ExperimentIdIn = Text({ minLength: 1, description: 'the experiment\'s id, e.g. "0"' });

/** Experiment ids to search: decimal integers. */
const ExperimentIdList = Type.Array(Type.String({ pattern: '^[0-9]{1,10}$' }), { description: 'experiment ids; repeated keys in a query string' });

/** Current clients send run_id; older ones run_uuid. One of the two is required. */
const RunIdFields = {
  run_id: Type.Optional(Text({ description: "the run's id (run_uuid is accepted for older clients)" })),
  run_uuid: Type.Optional(Text({ description: 'deprecated alias of run_id' })),
};

const ViewTypeIn = StringEnum(['ACTIVE_ONLY', 'DELETED_ONLY', 'ALL', '1', '2', '3'], {
  description: 'which lifecycle stages to include (default ACTIVE_ONLY); the enum numbers 1-3 are accepted too',
});

const MaxResults = (maximum?: number, description?: string) =>
  Type.Integer({ minimum: 1, ...(maximum ? { maximum } : {}), ...(description ? { description } : {}) });

// ---- records ----

export const KeyValue = Type.Object({ key: Type.String(), value: Type.String() });
export const LifecycleStage = StringEnum(['active', 'deleted']);
export const ViewType = StringEnum(['ACTIVE_ONLY', 'DELETED_ONLY', 'ALL']);
export const RUN_STATUSES = ['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED'] as const;
export const RunStatus = StringEnum(RUN_STATUSES);
export const LOGGED_MODEL_STATUSES = ['LOGGED_MODEL_STATUS_UNSPECIFIED', 'LOGGED_MODEL_PENDING', 'LOGGED_MODEL_READY', 'LOGGED_MODEL_UPLOAD_FAILED'] as const;
export const LoggedModelStatus = StringEnum(LOGGED_MODEL_STATUSES);

export const Experiment = Type.Object({
  experiment_id: Type.String(),
  name: Type.String(),
  artifact_location: Type.String(),
  lifecycle_stage: LifecycleStage,
  last_update_time: Type.Integer({ description: 'epoch ms' }),
  creation_time: Type.Integer({ description: 'epoch ms' }),
  tags: Type.Array(KeyValue),
});

export const RunInfo = Type.Object({
  run_id: Type.String(),
  run_uuid: Type.String({ description: 'the same as run_id (older clients read this)' }),
  run_name: Type.String(),
  experiment_id: Type.String(),
  user_id: Type.String(),
  status: RunStatus,
  start_time: Type.Integer({ description: 'epoch ms' }),
  end_time: Type.Optional(Type.Integer({ description: 'epoch ms; absent while the run has not ended' })),
  artifact_uri: Type.String(),
  lifecycle_stage: LifecycleStage,
});

/** A metric value: a number, or a string for non-finite ones (JSON has no NaN or Infinity). */
export const MetricValue = Type.Union([Type.Number(), StringEnum(['NaN', 'Infinity', '-Infinity'])], {
  description: 'a number; "NaN", "Infinity" or "-Infinity" for non-finite values',
});

/** A metric's value at one step (a run's latest value, or one point of its history). */
export const Metric = Type.Object({ key: Type.String(), value: MetricValue, timestamp: Type.Integer({ description: 'epoch ms' }), step: Type.Integer() });

export const RunData = Type.Object({
  metrics: Type.Array(Metric, { description: 'each metric’s latest value' }),
  params: Type.Array(KeyValue),
  tags: Type.Array(KeyValue),
});

export const Dataset = Type.Object({
  name: Type.String(),
  digest: Type.String(),
  source_type: Type.String({ description: 'e.g. local, http, s3' }),
  source: Type.String({ description: 'JSON describing where the data came from' }),
  schema: Type.Optional(Type.String({ description: 'JSON' })),
  profile: Type.Optional(Type.String({ description: 'JSON' })),
});

/** A dataset a run used; tags say how (mlflow.data.context: training, eval…). */
export const DatasetInput = Type.Object({ tags: Type.Array(KeyValue), dataset: Dataset });

/** A logged model a run produced, at a step. */
export const ModelOutput = Type.Object({ model_id: Type.String(), step: Type.Integer() });

export const Run = Type.Object({
  info: RunInfo,
  data: RunData,
  inputs: Type.Object({
    dataset_inputs: Type.Array(DatasetInput),
    model_inputs: Type.Array(Type.Object({ model_id: Type.String() }), { description: 'always empty: Ferry records no model inputs' }),
  }),
  outputs: Type.Object({ model_outputs: Type.Array(ModelOutput) }),
});

/** A metric logged against a logged model. */
export const LoggedModelMetric = Type.Object({
  key: Type.String(),
  value: MetricValue,
  timestamp: Type.Integer({ description: 'epoch ms' }),
  step: Type.Integer(),
  run_id: Type.String(),
  model_id: Type.String(),
  dataset_name: Type.Optional(Type.String()),
  dataset_digest: Type.Optional(Type.String()),
});

export const LoggedModel = Type.Object({
  info: Type.Object({
    model_id: Type.String({ description: 'm- and 32 hex digits' }),
    experiment_id: Type.String(),
    name: Type.String(),
    artifact_uri: Type.String(),
    creation_timestamp_ms: Type.Integer(),
    last_updated_timestamp_ms: Type.Integer(),
    status: LoggedModelStatus,
    status_message: Type.Optional(Type.String()),
    lifecycle_stage: LifecycleStage,
    model_type: Type.Optional(Type.String()),
    source_run_id: Type.Optional(Type.String()),
    tags: Type.Array(KeyValue),
  }),
  data: Type.Object({ params: Type.Array(KeyValue), metrics: Type.Array(LoggedModelMetric) }),
});

/** One entry of an artifact listing. */
export const ArtifactFile = Type.Object({
  path: Type.String({ description: 'relative to the listed root (a run listing) or the name under the listed folder (the proxy)' }),
  is_dir: Type.Boolean(),
  file_size: Type.Optional(Type.Integer({ description: 'bytes; absent for folders' })),
});

export const SearchExperimentsResponse = Type.Object({ experiments: Type.Array(Experiment), next_page_token: Type.Optional(PageToken) });
export const SearchRunsResponse = Type.Object({ runs: Type.Array(Run), next_page_token: Type.Optional(PageToken) });
export const MetricHistoryResponse = Type.Object({ metrics: Type.Array(Metric), next_page_token: Type.Optional(PageToken) });
export const SearchLoggedModelsResponse = Type.Object({ models: Type.Array(LoggedModel), next_page_token: Type.Optional(PageToken) });
export const ArtifactListing = Type.Object({ root_uri: Type.String({ description: "the run's artifact URI" }), files: Type.Array(ArtifactFile) });

// ---- requests shared by several operations ----

const KeyValueList = (valueMaxLength?: number, description?: string) => Type.Array(KeyValueIn(valueMaxLength), description ? { description } : {});

/** The metric of runs/log-metric and each item of log-batch's metrics. */
const MetricValueIn = Type.Union([Type.Number(), Type.String({ pattern: '^(NaN|[-+]?(Infinity|inf)|[-+]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][-+]?[0-9]+)?)$' })], {
  description: 'a number; "NaN", "Infinity" or "-Infinity" for non-finite values (or a number written as a string)',
});
const MetricFields = {
  key: Key,
  value: MetricValueIn,
  timestamp: Int64('epoch ms'),
  step: Type.Optional(Int64('default 0')),
  model_id: Type.Optional(Text({ description: 'the logged model this value belongs to' })),
  dataset_name: Type.Optional(Text()),
  dataset_digest: Type.Optional(Text()),
};
export const MetricIn = Type.Object(MetricFields);

export const DatasetIn = Type.Object({
  name: Text({ minLength: 1 }),
  digest: Text({ minLength: 1 }),
  source_type: Text({ minLength: 1 }),
  source: Text({ minLength: 1 }),
  schema: Type.Optional(Text()),
  profile: Type.Optional(Text()),
});
export const DatasetInputIn = Type.Object({ tags: Type.Optional(KeyValueList()), dataset: DatasetIn });

const ModelIdParams = Type.Object({ model_id: Type.String({ minLength: 1 }) });

const ok = <T extends TSchema>(schema: T) => ({ 200: schema });

// ---- experiments ----

const experimentTag = 'experiments';

export const createExperiment = defineOperation({
  method: 'POST',
  path: `${E}/create`,
  operationId: 'createExperiment',
  tag: experimentTag,
  access: 'editor',
  style,
  summary: 'Create an experiment',
  body: Type.Object({
    name: Text({ minLength: 1, maxLength: 500 }),
    artifact_location: Type.Optional(Text({ description: "where the runs' artifacts go; default mlflow-artifacts:/<id>" })),
    tags: Type.Optional(KeyValueList()),
  }),
  responses: ok(Type.Object({ experiment_id: Type.String() })),
});

export const getExperiment = defineOperation({
  method: 'GET',
  path: `${E}/get`,
  operationId: 'getExperiment',
  tag: experimentTag,
  access: 'viewer',
  style,
  summary: 'Get an experiment',
  query: Type.Object({ experiment_id: ExperimentIdIn }),
  responses: ok(Type.Object({ experiment: Experiment })),
});

export const getExperimentByName = defineOperation({
  method: 'GET',
  path: `${E}/get-by-name`,
  operationId: 'getExperimentByName',
  tag: experimentTag,
  access: 'viewer',
  style,
  summary: 'Get an experiment by name',
  query: Type.Object({ experiment_name: Text({ minLength: 1 }) }),
  responses: ok(Type.Object({ experiment: Experiment })),
});

const SearchExperimentsFields = {
  view_type: Type.Optional(ViewTypeIn),
  max_results: Type.Optional(MaxResults(50000, 'page size (default 1000)')),
  filter: Type.Optional(Text({ description: "e.g. name LIKE 'churn%' AND tags.team = 'ml'" })),
  order_by: Type.Optional(Type.Array(Text(), { description: "e.g. 'name ASC', 'creation_time DESC'; repeated keys in a query string" })),
  page_token: Type.Optional(Text({ description: 'next_page_token of the previous page' })),
};

export const searchExperiments = defineOperation({
  method: 'POST',
  path: `${E}/search`,
  operationId: 'searchExperiments',
  tag: experimentTag,
  access: 'viewer',
  style,
  summary: 'Search experiments',
  body: Type.Object(SearchExperimentsFields),
  responses: ok(SearchExperimentsResponse),
});

export const searchExperimentsByQuery = defineOperation({
  method: 'GET',
  path: `${E}/search`,
  operationId: 'searchExperimentsByQuery',
  tag: experimentTag,
  access: 'viewer',
  style,
  summary: 'Search experiments (fields as query parameters)',
  query: Type.Object(SearchExperimentsFields),
  responses: ok(SearchExperimentsResponse),
});

export const updateExperiment = defineOperation({
  method: 'POST',
  path: `${E}/update`,
  operationId: 'updateExperiment',
  tag: experimentTag,
  access: 'editor',
  style,
  summary: 'Rename an experiment',
  body: Type.Object({ experiment_id: ExperimentIdIn, new_name: Text({ minLength: 1, maxLength: 500 }) }),
  responses: ok(Empty),
});

export const deleteExperiment = defineOperation({
  method: 'POST',
  path: `${E}/delete`,
  operationId: 'deleteExperiment',
  tag: experimentTag,
  access: 'editor',
  style,
  summary: 'Delete an experiment (soft; its runs follow)',
  body: Type.Object({ experiment_id: ExperimentIdIn }),
  responses: ok(Empty),
});

export const restoreExperiment = defineOperation({
  method: 'POST',
  path: `${E}/restore`,
  operationId: 'restoreExperiment',
  tag: experimentTag,
  access: 'editor',
  style,
  summary: 'Restore a deleted experiment (and its runs)',
  body: Type.Object({ experiment_id: ExperimentIdIn }),
  responses: ok(Empty),
});

export const setExperimentTag = defineOperation({
  method: 'POST',
  path: `${E}/set-experiment-tag`,
  operationId: 'setExperimentTag',
  tag: experimentTag,
  access: 'editor',
  style,
  summary: 'Set an experiment tag',
  body: Type.Object({ experiment_id: ExperimentIdIn, key: Key, value: Type.Optional(Text({ maxLength: 20000 })) }),
  responses: ok(Empty),
});

export const deleteExperimentTag = defineOperation({
  method: 'POST',
  path: `${E}/delete-experiment-tag`,
  operationId: 'deleteExperimentTag',
  tag: experimentTag,
  access: 'editor',
  style,
  summary: 'Delete an experiment tag',
  body: Type.Object({ experiment_id: ExperimentIdIn, key: Key }),
  responses: ok(Empty),
});

// ---- runs ----

const runTag = 'runs';

export const createRun = defineOperation({
  method: 'POST',
  path: `${R}/create`,
  operationId: 'createRun',
  tag: runTag,
  access: 'editor',
  style,
  summary: 'Create a run',
  body: Type.Object({
    experiment_id: Type.Optional(Text({ description: 'default "0" (the Default experiment)' })),
    user_id: Type.Optional(Text({ description: "default: the caller's name" })),
    start_time: Type.Optional(Int64('epoch ms; default now')),
    run_name: Type.Optional(Text({ description: 'default: a random name; must agree with a mlflow.runName tag' })),
    tags: Type.Optional(KeyValueList(8000)),
  }),
  responses: ok(Type.Object({ run: Run })),
});

export const getRun = defineOperation({
  method: 'GET',
  path: `${R}/get`,
  operationId: 'getRun',
  tag: runTag,
  access: 'viewer',
  style,
  summary: 'Get a run',
  query: Type.Object(RunIdFields),
  responses: ok(Type.Object({ run: Run })),
});

export const updateRun = defineOperation({
  method: 'POST',
  path: `${R}/update`,
  operationId: 'updateRun',
  tag: runTag,
  access: 'editor',
  style,
  summary: 'Update a run (status, end time, name)',
  body: Type.Object({
    ...RunIdFields,
    status: Type.Optional(RunStatus),
    end_time: Type.Optional(Int64('epoch ms')),
    run_name: Type.Optional(Text()),
  }),
  responses: ok(Type.Object({ run_info: RunInfo })),
});

export const deleteRun = defineOperation({
  method: 'POST',
  path: `${R}/delete`,
  operationId: 'deleteRun',
  tag: runTag,
  access: 'editor',
  style,
  summary: 'Delete a run (soft)',
  body: Type.Object(RunIdFields),
  responses: ok(Empty),
});

export const restoreRun = defineOperation({
  method: 'POST',
  path: `${R}/restore`,
  operationId: 'restoreRun',
  tag: runTag,
  access: 'editor',
  style,
  summary: 'Restore a deleted run',
  body: Type.Object(RunIdFields),
  responses: ok(Empty),
});

export const searchRuns = defineOperation({
  method: 'POST',
  path: `${R}/search`,
  operationId: 'searchRuns',
  tag: runTag,
  access: 'viewer',
  style,
  summary: 'Search runs with a filter',
  body: Type.Object({
    experiment_ids: Type.Optional(ExperimentIdList),
    filter: Type.Optional(Text({ description: "MLflow's run filter, e.g. metrics.rmse < 0.8 and params.alpha = '0.5'" })),
    run_view_type: Type.Optional(ViewTypeIn),
    max_results: Type.Optional(MaxResults(50000, 'page size (default 1000)')),
    order_by: Type.Optional(Type.Array(Text(), { description: "e.g. 'metrics.rmse ASC', 'attributes.start_time DESC'" })),
    page_token: Type.Optional(Text({ description: 'next_page_token of the previous page' })),
  }),
  responses: ok(SearchRunsResponse),
});

export const logMetric = defineOperation({
  method: 'POST',
  path: `${R}/log-metric`,
  operationId: 'logMetric',
  tag: runTag,
  access: 'editor',
  style,
  summary: 'Log a metric',
  body: Type.Object({ ...RunIdFields, ...MetricFields }),
  responses: ok(Empty),
});

export const logParam = defineOperation({
  method: 'POST',
  path: `${R}/log-parameter`,
  operationId: 'logParam',
  tag: runTag,
  access: 'editor',
  style,
  summary: 'Log a param (logging the same value again is allowed; another value is refused)',
  body: Type.Object({ ...RunIdFields, key: Key, value: Type.Optional(Text({ maxLength: 6000 })) }),
  responses: ok(Empty),
});

export const setTag = defineOperation({
  method: 'POST',
  path: `${R}/set-tag`,
  operationId: 'setTag',
  tag: runTag,
  access: 'editor',
  style,
  summary: 'Set a run tag',
  body: Type.Object({ ...RunIdFields, key: Key, value: Type.Optional(Text({ maxLength: 8000 })) }),
  responses: ok(Empty),
});

export const deleteTag = defineOperation({
  method: 'POST',
  path: `${R}/delete-tag`,
  operationId: 'deleteTag',
  tag: runTag,
  access: 'editor',
  style,
  summary: 'Delete a run tag',
  body: Type.Object({ ...RunIdFields, key: Key }),
  responses: ok(Empty),
});

export const logBatch = defineOperation({
  method: 'POST',
  path: `${R}/log-batch`,
  operationId: 'logBatch',
  tag: runTag,
  access: 'editor',
  style,
  summary: 'Log metrics, params and tags in one call',
  description: 'At most 1000 metrics, 100 params, 100 tags, 1000 items in all, and 1 MB per request (the mlflow client splits larger batches).',
  body: Type.Object({
    ...RunIdFields,
    metrics: Type.Optional(Type.Array(MetricIn, { maxItems: 1000 })),
    params: Type.Optional(Type.Array(KeyValueIn(6000), { maxItems: 100 })),
    tags: Type.Optional(Type.Array(KeyValueIn(8000), { maxItems: 100 })),
  }),
  responses: ok(Empty),
});

export const getMetricHistory = defineOperation({
  method: 'GET',
  path: '/api/2.0/mlflow/metrics/get-history',
  operationId: 'getMetricHistory',
  tag: runTag,
  access: 'viewer',
  style,
  summary: "A metric's full history, by step",
  query: Type.Object({
    ...RunIdFields,
    metric_key: Text({ minLength: 1 }),
    max_results: Type.Optional(MaxResults(undefined, 'page size (default 25000)')),
    page_token: Type.Optional(Text({ description: 'next_page_token of the previous page' })),
  }),
  responses: ok(MetricHistoryResponse),
});

export const logInputs = defineOperation({
  method: 'POST',
  path: `${R}/log-inputs`,
  operationId: 'logInputs',
  tag: runTag,
  access: 'editor',
  style,
  summary: 'Log dataset inputs of a run',
  body: Type.Object({ ...RunIdFields, datasets: Type.Optional(Type.Array(DatasetInputIn)) }),
  responses: ok(Empty),
});

export const logOutputs = defineOperation({
  method: 'POST',
  path: `${R}/outputs`,
  operationId: 'logOutputs',
  tag: runTag,
  access: 'editor',
  style,
  summary: 'Link logged models as run outputs',
  body: Type.Object({
    ...RunIdFields,
    models: Type.Optional(Type.Array(Type.Object({ model_id: Text({ minLength: 1 }), step: Type.Optional(Int64('default 0')) }))),
  }),
  responses: ok(Empty),
});

export const logModel = defineOperation({
  method: 'POST',
  path: `${R}/log-model`,
  operationId: 'logModel',
  tag: runTag,
  access: 'editor',
  style,
  summary: 'Record a logged model in the run’s history tag (MLflow 2 clients)',
  body: Type.Object({
    ...RunIdFields,
    model_json: Text({ minLength: 1, description: 'the MLmodel as JSON: artifact_path, flavors, utc_time_created and run_id at least' }),
  }),
  responses: ok(Empty),
});

// ---- logged models (MLflow 3) ----

const loggedModelTag = 'logged-models';

export const createLoggedModel = defineOperation({
  method: 'POST',
  path: LM,
  operationId: 'createLoggedModel',
  tag: loggedModelTag,
  access: 'editor',
  style,
  summary: 'Create a logged model (status LOGGED_MODEL_PENDING until finalised)',
  body: Type.Object({
    experiment_id: ExperimentIdIn,
    name: Type.Optional(Text({ description: 'default: a random name' })),
    model_type: Type.Optional(Text()),
    source_run_id: Type.Optional(Text()),
    params: Type.Optional(KeyValueList()),
    tags: Type.Optional(KeyValueList()),
  }),
  responses: ok(Type.Object({ model: LoggedModel })),
});

export const searchLoggedModels = defineOperation({
  method: 'POST',
  path: `${LM}/search`,
  operationId: 'searchLoggedModels',
  tag: loggedModelTag,
  access: 'viewer',
  style,
  summary: 'Search logged models',
  body: Type.Object({
    experiment_ids: Type.Optional(ExperimentIdList),
    filter: Type.Optional(Text({ description: "on name, model_id, source_run_id, status, model_type and tags.<key>, e.g. name = 'clf'" })),
    max_results: Type.Optional(MaxResults(10000, 'page size (default 100)')),
    page_token: Type.Optional(Text({ description: 'next_page_token of the previous page' })),
    order_by: Type.Optional(
      Type.Array(
        Type.Object({
          field_name: Text({ minLength: 1, description: 'name, creation_timestamp, last_updated_timestamp or model_id' }),
          ascending: Type.Optional(Type.Boolean({ description: 'default true' })),
        }),
      ),
    ),
  }),
  responses: ok(SearchLoggedModelsResponse),
});

export const getLoggedModel = defineOperation({
  method: 'GET',
  path: `${LM}/:model_id`,
  operationId: 'getLoggedModel',
  tag: loggedModelTag,
  access: 'viewer',
  style,
  summary: 'Get a logged model',
  params: ModelIdParams,
  query: Type.Object({ allow_deleted: Type.Optional(Type.Boolean({ description: 'also find a deleted model (default false)' })) }),
  responses: ok(Type.Object({ model: LoggedModel })),
});

export const finalizeLoggedModel = defineOperation({
  method: 'PATCH',
  path: `${LM}/:model_id`,
  operationId: 'finalizeLoggedModel',
  tag: loggedModelTag,
  access: 'editor',
  style,
  summary: 'Finalise a logged model (set its status)',
  params: ModelIdParams,
  body: Type.Object({ model_id: Type.Optional(Text({ description: 'the same as the path (the mlflow client sends it)' })), status: LoggedModelStatus }),
  responses: ok(Type.Object({ model: LoggedModel })),
});

export const deleteLoggedModel = defineOperation({
  method: 'DELETE',
  path: `${LM}/:model_id`,
  operationId: 'deleteLoggedModel',
  tag: loggedModelTag,
  access: 'editor',
  style,
  summary: 'Delete a logged model (soft)',
  params: ModelIdParams,
  responses: ok(Empty),
});

export const setLoggedModelTags = defineOperation({
  method: 'PATCH',
  path: `${LM}/:model_id/tags`,
  operationId: 'setLoggedModelTags',
  tag: loggedModelTag,
  access: 'editor',
  style,
  summary: 'Set logged model tags',
  params: ModelIdParams,
  body: Type.Object({ tags: Type.Optional(KeyValueList(8000)) }),
  responses: ok(Empty),
});

export const deleteLoggedModelTag = defineOperation({
  method: 'DELETE',
  path: `${LM}/:model_id/tags/:tag_key`,
  operationId: 'deleteLoggedModelTag',
  tag: loggedModelTag,
  access: 'editor',
  style,
  summary: 'Delete a logged model tag',
  params: Type.Object({ model_id: Type.String({ minLength: 1 }), tag_key: Type.String({ minLength: 1 }) }),
  responses: ok(Empty),
});

export const logLoggedModelParams = defineOperation({
  method: 'POST',
  path: `${LM}/:model_id/params`,
  operationId: 'logLoggedModelParams',
  tag: loggedModelTag,
  access: 'editor',
  style,
  summary: 'Log logged model params (a key already logged keeps its value)',
  params: ModelIdParams,
  body: Type.Object({
    model_id: Type.Optional(Text({ description: 'the same as the path (the mlflow client sends it)' })),
    params: Type.Optional(KeyValueList(6000)),
  }),
  responses: ok(Empty),
});

// ---- artifacts ----

const artifactTag = 'artifacts';
const ArtifactPathParams = Type.Object({ '*': Type.String({ description: 'the artifact path under the store, e.g. 1/<run_id>/artifacts/model/MLmodel' }) });
const Bytes = Type.String({ format: 'binary' });

export const uploadArtifact = defineOperation({
  method: 'PUT',
  path: `${PROXY}/*`,
  operationId: 'uploadArtifact',
  tag: artifactTag,
  access: 'editor',
  style,
  summary: 'Upload an artifact (the file at the path is replaced)',
  params: ArtifactPathParams,
  rawBody: {
    description: "the file's bytes, streamed to the artifact store",
    content: { 'application/octet-stream': { schema: Bytes }, '*/*': { schema: Bytes } },
  },
  responses: ok(Empty),
});

export const downloadArtifact = defineOperation({
  method: 'GET',
  path: `${PROXY}/*`,
  operationId: 'downloadArtifact',
  tag: artifactTag,
  access: 'viewer',
  style,
  summary: 'Download an artifact',
  description:
    'Sent as an attachment; the content type follows the extension (JSON, text, YAML, CSV, PNG, JPEG), otherwise application/octet-stream. Answers one byte range (Range: bytes=…) with 206.',
  params: ArtifactPathParams,
  responses: {
    200: { description: "the file's bytes", content: { 'application/octet-stream': { schema: Bytes } } },
    206: {
      description: 'With a Range header of one range (bytes=a-b, bytes=a-, bytes=-n): those bytes, with Content-Range; several ranges are answered whole (200)',
      content: { 'application/octet-stream': { schema: Bytes } },
    },
    416: {
      description: 'The range starts past the end of the file; Content-Range: bytes */<size>',
      content: { 'text/plain': { schema: Type.String({ maxLength: 0 }) } },
    },
    302: {
      description:
        'With presigned downloads on (FERRY_ARTIFACTS_PRESIGN_SECONDS) and artifacts in S3: a redirect (Location) to a time-limited URL of the bucket; the body is empty',
      content: { 'text/plain': { schema: Type.String({ maxLength: 0 }) } },
    },
  },
});

export const listProxiedArtifacts = defineOperation({
  method: 'GET',
  path: PROXY,
  operationId: 'listProxiedArtifacts',
  tag: artifactTag,
  access: 'viewer',
  style,
  summary: 'List artifacts directly under a path of the artifact store',
  query: Type.Object({ path: Type.Optional(Type.String({ description: 'a folder under the store (default: the root)' })) }),
  responses: ok(Type.Object({ files: Type.Array(ArtifactFile) })),
});

export const deleteArtifact = defineOperation({
  method: 'DELETE',
  path: `${PROXY}/*`,
  operationId: 'deleteArtifact',
  tag: artifactTag,
  access: 'editor',
  style,
  summary: 'Delete an artifact or a folder',
  params: ArtifactPathParams,
  responses: ok(Empty),
});

export const listArtifacts = defineOperation({
  method: 'GET',
  path: '/api/2.0/mlflow/artifacts/list',
  operationId: 'listArtifacts',
  tag: artifactTag,
  access: 'viewer',
  style,
  summary: "List a run's artifacts directly under a path",
  description: 'Files of a run whose artifacts another server stores are not listed (files is empty).',
  query: Type.Object({ ...RunIdFields, path: Type.Optional(Type.String({ description: "relative to the run's artifact root (default: the root)" })) }),
  responses: ok(ArtifactListing),
});
