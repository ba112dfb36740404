/**
 * The model registry: MLflow's REST API under /api/2.0/mlflow (registered models, model versions, aliases,
 * stages, tags, search), which the real mlflow client calls unchanged, and Ferry's upload of a plain .onnx
 * file as a new version (/api/v1). MLflow's quirks are kept: GET fields arrive as query parameters (lists as
 * repeated keys), version numbers are strings, and unknown fields a newer client sends are ignored.
 */
import { Type } from '@sinclair/typebox';
import { defineOperation } from './operation.js';
import { Empty, EpochMs, Nullable, PageToken, QueryList, Text } from './common.js';

const tag = 'registry';
const M = '/api/2.0/mlflow/registered-models';
const V = '/api/2.0/mlflow/model-versions';

/** Text either store can hold: PostgreSQL text cannot contain NUL, so both stores refuse it alike. */

const ModelName = Text({ minLength: 1, maxLength: 256, description: "the registered model's name" });
const VersionNumber = Type.String({
  pattern: '^[0-9]{1,9}$',
  description: 'a version number, as a string (MLflow sends int64 as strings); a JSON number is accepted too',
});
const TagKey = Text({ minLength: 1, maxLength: 250, description: "letters, digits, '_', '-', '.', ' ', ':' and '/'" });
const TagValue = Text({ maxLength: 100_000 });
const Description = Text();
const TagInput = Type.Object({ key: TagKey, value: Type.Optional(TagValue) }, { description: 'a tag to set; a missing value is the empty string' });

// ---- records ----

export const RegistryTag = Type.Object({ key: Type.String(), value: Type.String() });

export const ModelVersionStage = Type.Union([Type.Literal('None'), Type.Literal('Staging'), Type.Literal('Production'), Type.Literal('Archived')], {
  description: "the version's stage (deprecated in mlflow 3, still part of its API)",
});

export const ModelVersionStatus = Type.Union([Type.Literal('PENDING_REGISTRATION'), Type.Literal('FAILED_REGISTRATION'), Type.Literal('READY')], {
  description: 'Ferry registers versions synchronously: READY once created',
});

export const ModelVersion = Type.Object({
  name: Type.String(),
  version: Type.String({ description: 'the version number, as a string' }),
  creation_timestamp: EpochMs,
  last_updated_timestamp: EpochMs,
  user_id: Type.String({ description: 'who registered it' }),
  current_stage: ModelVersionStage,
  description: Type.String(),
  source: Type.String({ description: 'where the files were registered from: runs:/…, models:/m-…, mlflow-artifacts:/…' }),
  run_id: Type.Optional(Type.String()),
  run_link: Type.Optional(Type.String()),
  status: ModelVersionStatus,
  status_message: Type.Optional(Type.String()),
  model_id: Type.Optional(Type.String({ description: 'the logged model (m-…) the version was registered from' })),
  tags: Type.Array(RegistryTag),
  aliases: Type.Array(Type.String(), { description: 'the aliases pointing at this version' }),
});

export const RegisteredModelAlias = Type.Object({ alias: Type.String(), version: Type.String() });

export const RegisteredModel = Type.Object({
  name: Type.String(),
  creation_timestamp: EpochMs,
  last_updated_timestamp: EpochMs,
  description: Type.String(),
  latest_versions: Type.Array(ModelVersion, { description: 'the newest version in each stage' }),
  tags: Type.Array(RegistryTag),
  aliases: Type.Array(RegisteredModelAlias),
});

const ModelAnswer = Type.Object({ registered_model: RegisteredModel });
const VersionAnswer = Type.Object({ model_version: ModelVersion });

export const SearchRegisteredModelsResponse = Type.Object({
  registered_models: Type.Array(RegisteredModel),
  next_page_token: Type.Optional(Type.String({ description: 'pass as page_token for the next page; absent on the last page' })),
});

export const SearchModelVersionsResponse = Type.Object({
  model_versions: Type.Array(ModelVersion),
  next_page_token: Type.Optional(Type.String({ description: 'pass as page_token for the next page; absent on the last page' })),
});

const searchQuery = (maxResults: { default: number; maximum: number }, filter: string, orderBy: string) =>
  Type.Object({
    filter: Type.Optional(Text({ description: filter })),
    max_results: Type.Optional(Type.Integer({ minimum: 1, maximum: maxResults.maximum, description: `page size (default ${maxResults.default})` })),
    order_by: Type.Optional(QueryList(orderBy)),
    page_token: Type.Optional(PageToken),
  });

const NameQuery = Type.Object({ name: ModelName });
const VersionQuery = Type.Object({ name: ModelName, version: VersionNumber });

// ---- registered models ----

export const createRegisteredModel = defineOperation({
  method: 'POST',
  path: `${M}/create`,
  operationId: 'createRegisteredModel',
  tag,
  access: 'editor',
  style: 'mlflow',
  summary: 'Create a registered model',
  body: Type.Object({ name: ModelName, description: Type.Optional(Description), tags: Type.Optional(Type.Array(TagInput)) }),
  responses: { 200: ModelAnswer },
});

export const getRegisteredModel = defineOperation({
  method: 'GET',
  path: `${M}/get`,
  operationId: 'getRegisteredModel',
  tag,
  access: 'viewer',
  style: 'mlflow',
  summary: 'Get a registered model',
  query: NameQuery,
  responses: { 200: ModelAnswer },
});

export const renameRegisteredModel = defineOperation({
  method: 'POST',
  path: `${M}/rename`,
  operationId: 'renameRegisteredModel',
  tag,
  access: 'editor',
  style: 'mlflow',
  summary: 'Rename a registered model (its versions and aliases follow)',
  body: Type.Object({ name: ModelName, new_name: ModelName }),
  responses: { 200: ModelAnswer },
});

export const updateRegisteredModel = defineOperation({
  method: 'PATCH',
  path: `${M}/update`,
  operationId: 'updateRegisteredModel',
  tag,
  access: 'editor',
  style: 'mlflow',
  summary: "Update a registered model's description",
  body: Type.Object({ name: ModelName, description: Type.Optional(Text({ description: 'absent clears it' })) }),
  responses: { 200: ModelAnswer },
});

export const deleteRegisteredModel = defineOperation({
  method: 'DELETE',
  path: `${M}/delete`,
  operationId: 'deleteRegisteredModel',
  tag,
  access: 'editor',
  style: 'mlflow',
  summary: 'Delete a registered model and its versions',
  body: Type.Object({ name: ModelName }),
  responses: { 200: Empty },
});

export const searchRegisteredModels = defineOperation({
  method: 'GET',
  path: `${M}/search`,
  operationId: 'searchRegisteredModels',
  tag,
  access: 'viewer',
  style: 'mlflow',
  summary: 'Search registered models',
  query: searchQuery({ default: 100, maximum: 1000 }, "e.g. name LIKE 'churn%' or tags.team = 'risk'", "e.g. 'name ASC', 'last_updated_timestamp DESC'"),
  responses: { 200: SearchRegisteredModelsResponse },
});

export const setRegisteredModelTag = defineOperation({
  method: 'POST',
  path: `${M}/set-tag`,
  operationId: 'setRegisteredModelTag',
  tag,
  access: 'editor',
  style: 'mlflow',
  summary: 'Set a registered model tag',
  body: Type.Object({ name: ModelName, key: TagKey, value: Type.Optional(TagValue) }),
  responses: { 200: Empty },
});

export const deleteRegisteredModelTag = defineOperation({
  method: 'DELETE',
  path: `${M}/delete-tag`,
  operationId: 'deleteRegisteredModelTag',
  tag,
  access: 'editor',
  style: 'mlflow',
  summary: 'Delete a registered model tag',
  body: Type.Object({ name: ModelName, key: Text({ minLength: 1 }) }),
  responses: { 200: Empty },
});

const Stages = QueryList('stages to include (None, Staging, Production, Archived; any case); all when absent');
const LatestVersionsAnswer = Type.Object({ model_versions: Type.Array(ModelVersion) });

export const getLatestVersions = defineOperation({
  method: 'POST',
  path: `${M}/get-latest-versions`,
  operationId: 'getLatestVersions',
  tag,
  access: 'viewer',
  style: 'mlflow',
  summary: 'The newest version in each stage',
  body: Type.Object({ name: ModelName, stages: Type.Optional(Stages) }),
  responses: { 200: LatestVersionsAnswer },
});

export const getLatestVersionsByQuery = defineOperation({
  method: 'GET',
  path: `${M}/get-latest-versions`,
  operationId: 'getLatestVersionsByQuery',
  tag,
  access: 'viewer',
  style: 'mlflow',
  summary: 'The newest version in each stage (the GET form)',
  query: Type.Object({ name: ModelName, stages: Type.Optional(Stages) }),
  responses: { 200: LatestVersionsAnswer },
});

// ---- aliases ----

export const setRegisteredModelAlias = defineOperation({
  method: 'POST',
  path: `${M}/alias`,
  operationId: 'setRegisteredModelAlias',
  tag,
  access: 'editor',
  style: 'mlflow',
  summary: 'Point an alias at a version (moving it if it exists)',
  body: Type.Object({
    name: ModelName,
    alias: Type.String({ pattern: '^[\\w-]+$', maxLength: 255, description: "letters, digits, '_' or '-'; not 'latest' or 'v<number>', which name versions" }),
    version: VersionNumber,
  }),
  responses: { 200: Empty },
});

export const deleteRegisteredModelAlias = defineOperation({
  method: 'DELETE',
  path: `${M}/alias`,
  operationId: 'deleteRegisteredModelAlias',
  tag,
  access: 'editor',
  style: 'mlflow',
  summary: 'Delete an alias',
  body: Type.Object({ name: ModelName, alias: Text({ minLength: 1 }) }),
  responses: { 200: Empty },
});

export const getModelVersionByAlias = defineOperation({
  method: 'GET',
  path: `${M}/alias`,
  operationId: 'getModelVersionByAlias',
  tag,
  access: 'viewer',
  style: 'mlflow',
  summary: 'The version an alias points at',
  query: Type.Object({ name: ModelName, alias: Text({ minLength: 1 }) }),
  responses: { 200: VersionAnswer },
});

// ---- model versions ----

export const createModelVersion = defineOperation({
  method: 'POST',
  path: `${V}/create`,
  operationId: 'createModelVersion',
  tag,
  access: 'editor',
  style: 'mlflow',
  summary: 'Create a model version',
  body: Type.Object({
    name: ModelName,
    source: Text({ minLength: 1, description: 'where the files are: runs:/<run_id>/<path>, models:/m-<id> (a logged model), mlflow-artifacts:/…, or any URI' }),
    run_id: Type.Optional(Text({ description: 'the run that produced it; taken from the logged model when absent' })),
    run_link: Type.Optional(Text()),
    description: Type.Optional(Description),
    tags: Type.Optional(Type.Array(TagInput)),
    model_id: Type.Optional(Text({ description: 'the logged model (m-…) it comes from' })),
  }),
  responses: { 200: VersionAnswer },
});

export const getModelVersion = defineOperation({
  method: 'GET',
  path: `${V}/get`,
  operationId: 'getModelVersion',
  tag,
  access: 'viewer',
  style: 'mlflow',
  summary: 'Get a model version',
  query: VersionQuery,
  responses: { 200: VersionAnswer },
});

export const updateModelVersion = defineOperation({
  method: 'PATCH',
  path: `${V}/update`,
  operationId: 'updateModelVersion',
  tag,
  access: 'editor',
  style: 'mlflow',
  summary: "Update a model version's description",
  body: Type.Object({ name: ModelName, version: VersionNumber, description: Type.Optional(Text({ description: 'absent clears it' })) }),
  responses: { 200: VersionAnswer },
});

export const deleteModelVersion = defineOperation({
  method: 'DELETE',
  path: `${V}/delete`,
  operationId: 'deleteModelVersion',
  tag,
  access: 'editor',
  style: 'mlflow',
  summary: 'Delete a model version (its number is never reused)',
  body: Type.Object({ name: ModelName, version: VersionNumber }),
  responses: { 200: Empty },
});

export const searchModelVersions = defineOperation({
  method: 'GET',
  path: `${V}/search`,
  operationId: 'searchModelVersions',
  tag,
  access: 'viewer',
  style: 'mlflow',
  summary: 'Search model versions',
  query: searchQuery(
    { default: 10_000, maximum: 200_000 },
    "e.g. name = 'churn' and tags.validated = 'yes'; fields: name, run_id, source_path, version, model_id, tags.<key>",
    "e.g. 'version DESC', 'creation_timestamp ASC'",
  ),
  responses: { 200: SearchModelVersionsResponse },
});

export const getModelVersionDownloadUri = defineOperation({
  method: 'GET',
  path: `${V}/get-download-uri`,
  operationId: 'getModelVersionDownloadUri',
  tag,
  access: 'viewer',
  style: 'mlflow',
  summary: "Where a version's files are",
  query: VersionQuery,
  responses: { 200: Type.Object({ artifact_uri: Type.String() }) },
});

export const transitionModelVersionStage = defineOperation({
  method: 'POST',
  path: `${V}/transition-stage`,
  operationId: 'transitionModelVersionStage',
  tag,
  access: 'editor',
  style: 'mlflow',
  summary: 'Move a version to a stage',
  body: Type.Object({
    name: ModelName,
    version: VersionNumber,
    stage: Type.String({ description: 'None, Staging, Production or Archived (any case)' }),
    archive_existing_versions: Type.Optional(Type.Boolean({ description: 'move the versions now in Staging or Production to Archived', default: false })),
  }),
  responses: { 200: VersionAnswer },
});

export const setModelVersionTag = defineOperation({
  method: 'POST',
  path: `${V}/set-tag`,
  operationId: 'setModelVersionTag',
  tag,
  access: 'editor',
  style: 'mlflow',
  summary: 'Set a model version tag',
  body: Type.Object({ name: ModelName, version: VersionNumber, key: TagKey, value: Type.Optional(TagValue) }),
  responses: { 200: Empty },
});

export const deleteModelVersionTag = defineOperation({
  method: 'DELETE',
  path: `${V}/delete-tag`,
  operationId: 'deleteModelVersionTag',
  tag,
  access: 'editor',
  style: 'mlflow',
  summary: 'Delete a model version tag',
  body: Type.Object({ name: ModelName, version: VersionNumber, key: Text({ minLength: 1 }) }),
  responses: { 200: Empty },
});

// ---- a plain .onnx file as a new version (native API) ----

export const TensorElementType = Type.Union(
  [
    Type.Literal('float32'),
    Type.Literal('float64'),
    Type.Literal('int32'),
    Type.Literal('int64'),
    Type.Literal('bool'),
    Type.Literal('string'),
    Type.Literal('uint8'),
    Type.Literal('int8'),
  ],
  { description: "a tensor's element type" },
);

export const TensorSpec = Type.Object({
  name: Type.String(),
  type: TensorElementType,
  shape: Type.Array(Nullable(Type.Integer({ minimum: 0 })), { description: 'null for a dynamic dimension (usually the batch)' }),
});

export const OnnxSignature = Type.Object({
  inputs: Type.Array(TensorSpec),
  outputs: Type.Array(TensorSpec, { description: 'tensor outputs only' }),
  skippedOutputs: Type.Array(Type.String(), { description: "non-tensor outputs (ZipMap's sequence of maps), not served" }),
  layout: Type.Union([Type.Literal('single-tensor'), Type.Literal('per-column')], {
    description: 'one 2-D tensor whose columns are the features, or one [N, 1] input per column',
  }),
  features: Type.Array(Type.String(), { description: 'column names, in order, for records input' }),
});

export const RegisteredOnnx = Type.Object({ model_version: ModelVersion, signature: OnnxSignature });

export const registerOnnxModel = defineOperation({
  method: 'POST',
  path: '/api/v1/models/:name/versions',
  operationId: 'registerOnnxModel',
  tag,
  access: 'editor',
  style: 'native',
  summary: 'Register an .onnx file as a new model version (checked before it is stored)',
  description:
    'The body is the .onnx file, under any content type. onnxruntime loads it first: a file that is not a servable ONNX model is refused with a 400 and nothing is stored. The registered model is created when it does not exist.',
  params: Type.Object({ name: Type.String({ pattern: '^[\\w. -]{1,256}$', description: "letters, digits, '_', '.', '-' and spaces; up to 256" }) }),
  query: Type.Object({
    features: Type.Optional(Text({ description: 'comma-separated feature names, unique, for a model whose one 2-D input has one column per feature' })),
    description: Type.Optional(Description),
  }),
  rawBody: { description: 'the .onnx file', content: { 'application/octet-stream': { schema: Type.String({ format: 'binary' }) } } },
  responses: { 200: RegisteredOnnx },
});
