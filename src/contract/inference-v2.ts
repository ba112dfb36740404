/**
 * The Open Inference Protocol (KServe v2 / Triton's HTTP/REST API) under /v2: server and model metadata,
 * readiness and inference, with JSON tensors or the binary tensor extension. A "model" is a deployment (its
 * traffic split applies); /versions/{v} addresses one model version of it. Errors are KServe's {error}.
 * The health probes (/v2/health/live, /v2/health/ready) are server routes (server.ts).
 */
import { type TProperties, Type } from '@sinclair/typebox';
import { defineOperation } from './operation.js';
import { errorResponse } from './errors.js';

const tag = 'inference-v2';

export const V2Datatype = Type.Union(
  [
    Type.Literal('BOOL'),
    Type.Literal('UINT8'),
    Type.Literal('INT8'),
    Type.Literal('INT32'),
    Type.Literal('INT64'),
    Type.Literal('FP32'),
    Type.Literal('FP64'),
    Type.Literal('BYTES'),
  ],
  { description: 'the tensor element type (the datatypes Ferry serves)' },
);

export const V2ServerMetadata = Type.Object({
  name: Type.String(),
  version: Type.String(),
  extensions: Type.Array(Type.String(), { description: 'protocol extensions, e.g. binary_tensor_data' }),
});

export const V2TensorMetadata = Type.Object({
  name: Type.String(),
  datatype: V2Datatype,
  shape: Type.Array(Type.Integer({ minimum: -1 }), { description: '-1 for a dynamic dimension (the batch, usually)' }),
});

export const V2ModelMetadata = Type.Object({
  name: Type.String({ description: 'the deployment' }),
  versions: Type.Array(Type.String(), { description: 'the model versions the deployment serves' }),
  platform: Type.Literal('onnxruntime_onnx'),
  inputs: Type.Array(V2TensorMetadata),
  outputs: Type.Array(V2TensorMetadata),
});

export const V2ModelReady = Type.Object({ name: Type.String(), ready: Type.Boolean() });

/** Protocol parameters: the ones Ferry reads, and any others (ignored). */
const Params = <P extends TProperties>(properties: P, description: string) => Type.Object(properties, { description, additionalProperties: true });

export const V2InferInput = Type.Object({
  name: Type.String({ minLength: 1, description: "one of the model's inputs" }),
  shape: Type.Array(Type.Integer({ minimum: 0 }), { description: "the tensor's dimensions; dimension 0 is the batch (rows)" }),
  datatype: Type.String({ description: "the input's datatype (see the model's metadata)" }),
  data: Type.Optional(
    Type.Array(Type.Union([Type.Number(), Type.String(), Type.Boolean(), Type.Null(), Type.Array(Type.Unknown())]), {
      description:
        'the elements, flat in row-major order or nested: numbers (null for a missing float value), strings (BYTES) or booleans (BOOL). Absent when the tensor is sent as binary data',
    }),
  ),
  parameters: Type.Optional(
    Params(
      { binary_data_size: Type.Optional(Type.Integer({ minimum: 0, description: 'bytes of this tensor in the binary part, after the JSON' })) },
      'binary_data_size: the tensor is sent as bytes after the JSON (binary tensor extension)',
    ),
  ),
});

export const V2RequestedOutput = Type.Object({
  name: Type.String({ minLength: 1 }),
  parameters: Type.Optional(
    Params({ binary_data: Type.Optional(Type.Boolean({ description: 'answer this output as bytes after the JSON' })) }, 'per-output options'),
  ),
});

export const V2InferRequest = Type.Object(
  {
    id: Type.Optional(Type.String({ description: 'echoed in the answer' })),
    parameters: Type.Optional(
      Params(
        { binary_data_output: Type.Optional(Type.Boolean({ description: 'answer every output as binary data' })) },
        "request options; the deployment's sticky key is read from here",
      ),
    ),
    inputs: Type.Array(V2InferInput, {
      minItems: 1,
      description: "every input of the model, each with the same number of rows (at most the server's row limit, 10,000 by default)",
    }),
    outputs: Type.Optional(Type.Array(V2RequestedOutput, { description: 'the outputs to answer, in this order (default: all)' })),
  },
  { additionalProperties: true },
);

export const V2OutputTensor = Type.Object({
  name: Type.String(),
  shape: Type.Array(Type.Integer({ minimum: 0 })),
  datatype: V2Datatype,
  // Model output, as free as predictions: element types follow `datatype` (numbers, a NaN as null; strings; booleans).
  data: Type.Optional(
    Type.Array(Type.Unknown(), {
      description: 'the elements, flat in row-major order: numbers (null for NaN), strings (BYTES) or booleans (BOOL). Absent for a binary output',
    }),
  ),
  parameters: Type.Optional(
    Type.Object({ binary_data_size: Type.Integer({ minimum: 0, description: 'bytes of this output in the binary part, after the JSON' }) }),
  ),
});

export const V2InferResponse = Type.Object({
  model_name: Type.String(),
  model_version: Type.String({ description: 'the model version that answered' }),
  id: Type.Optional(Type.String({ description: "the request's id, echoed" })),
  parameters: Type.Optional(
    Type.Object({
      request_id: Type.String({
        description: "the id of this prediction, to send feedback by: the X-Request-Id header (the caller's when it sent a usable one, else Ferry's)",
      }),
    }),
  ),
  outputs: Type.Array(V2OutputTensor),
});

const Binary = Type.String({ format: 'binary' });

const NameParams = Type.Object({ name: Type.String({ minLength: 1, description: 'the deployment' }) });
const VersionParams = Type.Object({
  name: Type.String({ minLength: 1, description: 'the deployment' }),
  version: Type.String({ minLength: 1, description: 'a model version the deployment serves' }),
});

const notReady = errorResponse('v2', 'The deployment is not ready yet (loading, or its models failed to load): retry after a moment (Retry-After).');
const overloaded = errorResponse('v2', 'The deployment is not ready yet, or its request queue is full: retry after a moment (Retry-After).');

const inferBody = {
  description:
    'An inference request: JSON, or (binary tensor extension) a JSON header of Inference-Header-Content-Length bytes followed by the bytes of each input ' +
    'that has parameters.binary_data_size, in the order the inputs are listed: little-endian, row-major; BOOL one byte; each BYTES element a 4-byte length then its bytes.',
  content: {
    'application/json': { schema: V2InferRequest },
    'application/octet-stream': {
      schema: Type.String({
        format: 'binary',
        description: 'the JSON request (its length in the Inference-Header-Content-Length header) followed by the binary tensors',
      }),
    },
  },
};

const inferAnswer = {
  description:
    "The outputs. When an output is asked for as binary data, the body is the JSON answer followed by those outputs' bytes (application/octet-stream; " +
    "the Inference-Header-Content-Length header gives the JSON's length).",
  content: { 'application/json': { schema: V2InferResponse }, 'application/octet-stream': { schema: Binary } },
};

const inferDescription =
  "The body is checked against the model's signature by the protocol's codec (naming the input and element), not by the schema validator: this is the inference hot path. " +
  'Any Content-Type is accepted, as tritonclient sends.';

export const v2ServerMetadata = defineOperation({
  method: 'GET',
  path: '/v2',
  operationId: 'v2ServerMetadata',
  tag,
  access: 'viewer',
  // The server's name, version and protocol extensions: nothing about any deployment, and what OIP clients ask first.
  tokenScope: 'any',
  style: 'v2',
  summary: 'Server metadata (Open Inference Protocol)',
  responses: { 200: V2ServerMetadata },
});

export const v2ModelMetadata = defineOperation({
  method: 'GET',
  path: '/v2/models/:name',
  operationId: 'v2ModelMetadata',
  tag,
  access: 'viewer',
  tokenScope: { deploymentParam: 'name' },
  style: 'v2',
  summary: 'Model (deployment) metadata: its inputs and outputs',
  params: NameParams,
  responses: { 200: V2ModelMetadata, 503: notReady },
});

export const v2ModelVersionMetadata = defineOperation({
  method: 'GET',
  path: '/v2/models/:name/versions/:version',
  operationId: 'v2ModelVersionMetadata',
  tag,
  access: 'viewer',
  tokenScope: { deploymentParam: 'name' },
  style: 'v2',
  summary: 'Model version metadata',
  params: VersionParams,
  responses: { 200: V2ModelMetadata, 503: notReady },
});

export const v2ModelReady = defineOperation({
  method: 'GET',
  path: '/v2/models/:name/ready',
  operationId: 'v2ModelReady',
  tag,
  access: 'viewer',
  tokenScope: { deploymentParam: 'name' },
  style: 'v2',
  summary: 'Model readiness',
  params: NameParams,
  responses: { 200: V2ModelReady },
});

export const v2ModelVersionReady = defineOperation({
  method: 'GET',
  path: '/v2/models/:name/versions/:version/ready',
  operationId: 'v2ModelVersionReady',
  tag,
  access: 'viewer',
  tokenScope: { deploymentParam: 'name' },
  style: 'v2',
  summary: 'Model version readiness',
  params: VersionParams,
  responses: { 200: V2ModelReady },
});

export const v2ModelInfer = defineOperation({
  method: 'POST',
  path: '/v2/models/:name/infer',
  operationId: 'v2ModelInfer',
  tag,
  access: 'viewer',
  tokenScope: { deploymentParam: 'name' },
  style: 'v2',
  summary: 'Inference through the traffic split',
  description: inferDescription,
  params: NameParams,
  rawBody: inferBody,
  responses: { 200: inferAnswer, 503: overloaded },
});

export const v2ModelVersionInfer = defineOperation({
  method: 'POST',
  path: '/v2/models/:name/versions/:version/infer',
  operationId: 'v2ModelVersionInfer',
  tag,
  access: 'viewer',
  tokenScope: { deploymentParam: 'name' },
  style: 'v2',
  summary: 'Inference on one model version (not mirrored to shadows)',
  description: inferDescription,
  params: VersionParams,
  rawBody: inferBody,
  responses: { 200: inferAnswer, 503: overloaded },
});
