/**
 * Deployments (weighted routes to model versions, shadows, a sticky key, batching; every change a revision) and
 * the JSON-records prediction endpoint, MLflow scoring-server style (native API, /api/v1).
 */
import { Type } from '@sinclair/typebox';
import { defineOperation } from './operation.js';
import { Empty, EpochMs, NameParams, Nullable, SlugName, Text as NoNulText } from './common.js';
import { errorResponse } from './errors.js';

const tag = 'deployments';

/** Text stored and looked up as is: PostgreSQL text cannot hold NUL, so it is refused on both stores. */
const Text = (description: string, maxLength = 256) => NoNulText({ minLength: 1, maxLength, description });

const refFields = {
  model: Text('registered model name'),
  version: Type.Optional(Type.String({ pattern: '^[0-9]{1,9}$', description: 'a version number (or give alias)' })),
  alias: Type.Optional(Text('an alias the route follows when it moves (or give version)')),
};

/** A model version by number or by alias (exactly one of the two); an alias is followed when it moves. */
export const DeploymentModelRef = Type.Object(refFields, { description: 'a model version: exactly one of version or alias' });

/** A weighted route: weights are relative (a 90/10 canary is `90` and `10`). */
export const DeploymentRoute = Type.Object({ ...refFields, weight: Type.Number({ minimum: 0, description: 'relative share of traffic' }) });

export const DeploymentBatching = Type.Object({
  max_batch_size: Type.Integer({ minimum: 1, maximum: 4096, description: 'rows per model call' }),
  max_queue_delay_ms: Type.Integer({ minimum: 0, maximum: 1000, description: 'how long a request may wait for others to fill a batch' }),
  max_queue_rows: Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'rows waiting beyond which requests are refused with 503' }),
});

const StickyKey = Type.String({ maxLength: 256, pattern: '^[^\\u0000]*$', description: 'a request field whose value (hashed) pins a caller to one route' });

/** A deployment's spec as the server stores it (defaults filled in). */
export const DeploymentSpec = Type.Object({
  routes: Type.Array(DeploymentRoute),
  shadow: Type.Array(DeploymentModelRef, { description: 'routes that get a copy of each request; results are logged, never returned' }),
  sticky_key: Type.Optional(StickyKey),
  batching: DeploymentBatching,
});

/** A spec to create or change a deployment with: only `routes` is required. */
export const DeploymentSpecInput = Type.Object({
  routes: Type.Array(
    Type.Object({ ...refFields, weight: Type.Optional(Type.Number({ minimum: 0, description: 'relative share of traffic (default 100)' })) }),
    { minItems: 1, maxItems: 16 },
  ),
  shadow: Type.Optional(
    Type.Array(DeploymentModelRef, { maxItems: 4, description: 'routes that get a copy of each request; results are logged, never returned' }),
  ),
  sticky_key: Type.Optional(StickyKey),
  batching: Type.Optional(Type.Partial(DeploymentBatching, { description: 'unset fields take the defaults (256 rows, 2 ms, 4096 rows)' })),
});

export const CreateDeploymentInput = Type.Composite([Type.Object({ name: SlugName }), DeploymentSpecInput]);

export const RouteState = Type.Union([Type.Literal('loading'), Type.Literal('ready'), Type.Literal('failed')]);

export const DeploymentRouteStatus = Type.Object({
  model: Type.String(),
  ref: DeploymentModelRef,
  version: Type.Optional(Type.String({ description: 'the version the route resolved to (absent while loading or when it failed)' })),
  state: RouteState,
  reason: Type.Optional(Type.String({ description: 'why the route failed to load' })),
  converted: Type.Optional(
    Type.Boolean({
      description:
        "true when the route serves the ONNX model Ferry converted from the version's sklearn, xgboost or lightgbm flavor (GET /api/v1/models/{name}/versions/{version}/conversion has its check)",
    }),
  ),
});

export const DeploymentStatus = Type.Object({
  serving_revision: Nullable(Type.Integer({ description: 'the revision answering predictions now (null: none yet, or none since a restart)' })),
  applied_revision: Nullable(Type.Integer({ description: 'the revision last applied (loading, ready or failed)' })),
  routes: Type.Array(DeploymentRouteStatus, { description: 'main routes first, then shadow routes' }),
});

export const Deployment = Type.Object({
  name: Type.String(),
  revision: Type.Integer({ minimum: 1 }),
  spec: DeploymentSpec,
  created_at: EpochMs,
  updated_at: EpochMs,
  created_by: Type.String(),
  status: DeploymentStatus,
});

export const DeploymentRevision = Type.Object({
  revision: Type.Integer({ minimum: 1 }),
  spec: DeploymentSpec,
  created_at: EpochMs,
  created_by: Type.String(),
  comment: Type.String({ description: "'created', 'updated' or 'rollback to revision N'" }),
});

/**
 * A predict request in one of MLflow's scoring formats. Other top-level fields travel along: the deployment's
 * sticky key is read from there.
 */
export const PredictRequest = Type.Object(
  {
    instances: Type.Optional(
      Type.Array(Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Array(Type.Unknown())]), {
        description: 'rows as {feature: value} objects or as lists in feature order',
      }),
    ),
    dataframe_split: Type.Optional(
      Type.Object(
        { columns: Type.Array(Type.String()), data: Type.Array(Type.Array(Type.Unknown())), index: Type.Optional(Type.Array(Type.Unknown())) },
        { description: "pandas' split orient: column names and rows of values" },
      ),
    ),
    dataframe_records: Type.Optional(Type.Array(Type.Record(Type.String(), Type.Unknown()), { description: 'rows as {feature: value} objects' })),
    inputs: Type.Optional(
      Type.Union([Type.Record(Type.String(), Type.Array(Type.Unknown())), Type.Array(Type.Unknown())], {
        description: 'columns as {feature: [values]} or a list of rows',
      }),
    ),
  },
  {
    description:
      "exactly one of instances, dataframe_split, dataframe_records or inputs; at most the server's row limit (10,000 by default). A missing number is null.",
    additionalProperties: true,
  },
);

export const PredictResponse = Type.Object({
  predictions: Type.Array(Type.Unknown(), { description: 'one per input row: a value, or an object keyed by output name when the model has several outputs' }),
  model: Type.String(),
  model_version: Type.String(),
  deployment: Type.String(),
  revision: Type.Integer({ minimum: 1 }),
  request_id: Type.String({ description: 'refer to it when sending feedback' }),
});

const Applied = Type.Object({ deployment: Deployment });
const overloaded = (why: string) => errorResponse('native', why);

export const createDeployment = defineOperation({
  method: 'POST',
  path: '/api/v1/deployments',
  operationId: 'createDeployment',
  tag,
  access: 'editor',
  style: 'native',
  summary: 'Create a deployment (revision 1); loads and warms its models',
  description: 'Answers once every main route has loaded; a model that does not load is refused (400 naming the route) and nothing is recorded.',
  body: CreateDeploymentInput,
  responses: { 200: Applied },
});

export const listDeployments = defineOperation({
  method: 'GET',
  path: '/api/v1/deployments',
  operationId: 'listDeployments',
  tag,
  access: 'viewer',
  style: 'native',
  summary: 'List deployments with their live status',
  responses: { 200: Type.Object({ deployments: Type.Array(Deployment) }) },
});

export const getDeployment = defineOperation({
  method: 'GET',
  path: '/api/v1/deployments/:name',
  operationId: 'getDeployment',
  tag,
  access: 'viewer',
  style: 'native',
  summary: 'A deployment, its spec and per-route status',
  params: NameParams,
  responses: { 200: Applied },
});

export const updateDeployment = defineOperation({
  method: 'PUT',
  path: '/api/v1/deployments/:name',
  operationId: 'updateDeployment',
  tag,
  access: 'editor',
  style: 'native',
  summary: 'Change a deployment (a new revision; zero-downtime switch)',
  params: NameParams,
  body: DeploymentSpecInput,
  responses: { 200: Applied },
});

export const rollbackDeployment = defineOperation({
  method: 'POST',
  path: '/api/v1/deployments/:name/rollback',
  operationId: 'rollbackDeployment',
  tag,
  access: 'editor',
  style: 'native',
  summary: 'Return to an earlier revision (recorded as a new revision)',
  params: NameParams,
  body: Type.Object({ revision: Type.Integer({ minimum: 1, description: 'the revision whose spec to return to' }) }),
  responses: { 200: Applied },
});

export const listDeploymentRevisions = defineOperation({
  method: 'GET',
  path: '/api/v1/deployments/:name/revisions',
  operationId: 'listDeploymentRevisions',
  tag,
  access: 'viewer',
  style: 'native',
  summary: "A deployment's revision history, newest first",
  params: NameParams,
  responses: { 200: Type.Object({ revisions: Type.Array(DeploymentRevision) }) },
});

export const deleteDeployment = defineOperation({
  method: 'DELETE',
  path: '/api/v1/deployments/:name',
  operationId: 'deleteDeployment',
  tag,
  access: 'editor',
  style: 'native',
  summary: 'Delete a deployment (drains, then unloads)',
  params: NameParams,
  responses: { 200: Empty },
});

export const predict = defineOperation({
  method: 'POST',
  path: '/api/v1/deployments/:name/predict',
  operationId: 'predict',
  tag,
  access: 'viewer',
  // A prediction-only token scoped to this deployment may call it (docs/security.md).
  tokenScope: { deploymentParam: 'name' },
  style: 'native',
  summary: 'Predict from JSON records (MLflow scoring formats)',
  description:
    "The body is checked against the model's signature by the records codec (naming the feature and the row), not by the schema validator: this is the inference hot path.",
  params: NameParams,
  rawBody: { description: "JSON records in one of MLflow's scoring formats", content: { 'application/json': { schema: PredictRequest } } },
  responses: {
    200: PredictResponse,
    503: overloaded(
      'The deployment is not ready yet (loading, or its models failed to load), or its request queue is full: retry after a moment (Retry-After).',
    ),
  },
});
