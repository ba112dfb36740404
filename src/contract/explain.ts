/**
 * Explanations (native API, issue 19): Shapley-value attributions of a deployment's or a model version's
 * predictions for given rows, by exact interventional TreeSHAP on a tree-ensemble graph or model-agnostically
 * (exact enumeration, KernelSHAP, permutations) through batched onnxruntime calls, against a background sample of a
 * registered dataset version; and a model version's global importance (mean |φ| per feature).
 */
import { Type } from '@sinclair/typebox';
import { defineOperation } from './operation.js';
import { EpochMs, NameParams, Nullable, StringEnum, Text } from './common.js';

const tag = 'explanations';

export const EXPLAIN_METHODS = ['auto', 'tree', 'linear', 'kernel', 'exact', 'permutation'] as const;
export const OUTPUT_SPACES = ['probability', 'margin', 'raw'] as const;
/** Rows one request may explain. */
export const MAX_EXPLAIN_INSTANCES = 100;
/** Background rows one explanation may use. */
export const MAX_BACKGROUND_ROWS = 1000;

const ModelName = Text({ minLength: 1, maxLength: 256, description: "the registered model's name" });
const VersionNumber = Type.String({ pattern: '^[1-9][0-9]{0,8}$', description: 'a model version number' });
export const ExplainVersionParams = Type.Object({ name: ModelName, version: VersionNumber });

export const ExplainBackgroundInput = Type.Object(
  {
    dataset: Text({ minLength: 1, maxLength: 256, description: 'a registered dataset' }),
    version: Type.String({ pattern: '^[1-9][0-9]{0,8}$', description: 'its version number' }),
    rows: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: MAX_BACKGROUND_ROWS,
        description: 'rows sampled (seeded) from it; default 100 model-agnostic, 1000 for TreeSHAP and linear',
      }),
    ),
  },
  { additionalProperties: false },
);

export const ExplainRequest = Type.Object(
  {
    instances: Type.Array(Type.Record(Type.String(), Type.Unknown()), {
      minItems: 1,
      maxItems: MAX_EXPLAIN_INSTANCES,
      description: 'the rows to explain, {feature: value}',
    }),
    background: Type.Optional(ExplainBackgroundInput),
    method: Type.Optional(
      StringEnum(EXPLAIN_METHODS, {
        description: 'default auto: TreeSHAP for a tree ensemble, linear (exact, margin space) for a linear model, exact up to 10 features, else kernel',
      }),
    ),
    budget: Type.Optional(
      Type.Object(
        {
          max_evaluations: Type.Optional(
            Type.Integer({ minimum: 1, maximum: 100_000_000, description: 'model rows the explanation may evaluate (default 5,000,000)' }),
          ),
          timeout_ms: Type.Optional(Type.Integer({ minimum: 1, maximum: 120_000, description: 'wall-clock milliseconds it may run (default 30,000)' })),
        },
        { additionalProperties: false },
      ),
    ),
    seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 4294967295, description: 'seeds the sampling explainers (default 0)' })),
  },
  { additionalProperties: false },
);

export const ExplainBackground = Type.Object({
  dataset: Type.String(),
  version: Type.String(),
  rows: Type.Integer({ description: 'background rows used' }),
  digest: Type.String({ description: 'sha256 of the background rows as the model saw them' }),
  source: StringEnum(['request', 'monitoring_reference', 'training_data'] as const, { description: 'how the background was chosen' }),
});

export const ExplainResponse = Type.Object({
  method: StringEnum(['tree_interventional', 'kernel', 'exact', 'permutation', 'linear'] as const),
  output_space: StringEnum(OUTPUT_SPACES, {
    description: "probability: a classifier's class probabilities; margin: its raw score before the link; raw: a regressor's value",
  }),
  outputs: Type.Array(Type.String(), { description: 'the explained outputs, in order' }),
  base_values: Type.Array(Type.Number(), { description: 'per output: the mean model output over the background' }),
  explanations: Type.Array(
    Type.Object({
      attributions: Type.Array(Type.Record(Type.String(), Type.Number()), { description: 'per output: {feature: φ}' }),
      prediction: Type.Array(Type.Number(), { description: 'per output: f(x), what base + Σφ adds up to' }),
    }),
  ),
  model: Type.String(),
  model_version: Type.String(),
  background: ExplainBackground,
  evaluations: Type.Integer({ description: 'model rows evaluated (0 for TreeSHAP and linear, which read the graph)' }),
  truncated: Type.Boolean({ description: 'the budget ran out: the attributions are an estimate (they still add up)' }),
  additivity_max_error: Type.Number({ description: 'max over rows and outputs of |base + Σφ − f(x)| / max(1, |f(x)|)' }),
});

export const explainDeployment = defineOperation({
  method: 'POST',
  path: '/api/v1/deployments/:name/explain',
  operationId: 'explainDeployment',
  tag,
  access: 'viewer',
  style: 'native',
  summary: "Explain a deployment's predictions for given rows (Shapley values)",
  description:
    "Explains the model version taking most of the deployment's traffic. The background defaults to the deployment's monitoring reference when it is a dataset version, else the version's training data; without either the request must name one.",
  params: NameParams,
  body: ExplainRequest,
  responses: { 200: ExplainResponse },
});

export const explainModelVersion = defineOperation({
  method: 'POST',
  path: '/api/v1/models/:name/versions/:version/explain',
  operationId: 'explainModelVersion',
  tag,
  access: 'viewer',
  style: 'native',
  summary: "Explain a model version's predictions for given rows (Shapley values)",
  description: "The background defaults to the version's training dataset version (lineage); without one the request must name one.",
  params: ExplainVersionParams,
  body: ExplainRequest,
  responses: { 200: ExplainResponse },
});

export const ImportanceQuery = Type.Object({
  dataset: Type.Optional(Text({ minLength: 1, maxLength: 256, description: 'background dataset (default: the training data)' })),
  dataset_version: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,8}$' })),
  method: Type.Optional(StringEnum(EXPLAIN_METHODS)),
  rows: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, description: 'background rows explained (seeded sample; default 50)' })),
  seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 4294967295 })),
  stored: Type.Optional(
    Type.Boolean({ description: "true: answer the version's latest stored summary without computing (404 when none is stored); alone, no other query field" }),
  ),
});

export const ImportanceResponse = Type.Object({
  model: Type.String(),
  model_version: Type.String(),
  method: ExplainResponse.properties.method,
  output_space: ExplainResponse.properties.output_space,
  outputs: Type.Array(Type.String()),
  /** Features by mean |φ| (over rows and outputs), largest first. */
  features: Type.Array(Type.Object({ feature: Type.String(), mean_abs: Type.Number(), per_output: Type.Array(Type.Number()) })),
  rows: Type.Integer({ description: 'rows explained' }),
  background: ExplainBackground,
  truncated: Type.Boolean(),
  seed: Type.Integer({ description: 'the seed of the rows sample and of the sampling explainers' }),
  cached: Type.Boolean({ description: 'answered without computing: from the cache of this (version, background digest, method, rows, seed), or stored=true' }),
  summary: Nullable(
    Type.Object(
      { id: Type.Integer(), created_at: EpochMs, created_by: Type.String() },
      { description: 'the stored summary these figures are (what the model card shows); null on a server that stores none' },
    ),
  ),
});

export const modelImportance = defineOperation({
  method: 'GET',
  path: '/api/v1/models/:name/versions/:version/importance',
  operationId: 'modelImportance',
  tag,
  access: 'viewer',
  style: 'native',
  summary: "A model version's global feature importance: mean |Shapley value| over a seeded sample of the background",
  params: ExplainVersionParams,
  query: ImportanceQuery,
  responses: { 200: ImportanceResponse },
});
