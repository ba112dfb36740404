/**
 * ONNX conversions (native API, issue 20): a model version logged with its sklearn, xgboost or lightgbm flavor is
 * converted to ONNX by a Python job (skl2onnx / onnxmltools) and checked against the original model; the ONNX file
 * is stored beside the original and is what a deployment serves.
 */
import { Type } from '@sinclair/typebox';
import { defineOperation } from './operation.js';
import { Nullable, StringEnum, Text } from './common.js';

const tag = 'models';
const P = '/api/v1/models/:name/versions/:version/conversion';

export const CONVERSION_STATES = ['queued', 'running', 'succeeded', 'failed'] as const;
/** Where a failed conversion stopped (as the job reports it). */
export const CONVERSION_STEPS = ['load', 'types', 'convert', 'verify', 'upload'] as const;

const VersionParams = Type.Object({
  name: Text({ minLength: 1, maxLength: 256, description: "the registered model's name" }),
  version: Type.String({ pattern: '^[1-9][0-9]{0,8}$', description: 'a model version number' }),
});

const ISO = Type.String({ description: 'an ISO 8601 time (UTC)' });

/** The comparison of the ONNX model with the original on the input example and a sample of the training data. */
export const ConversionCheck = Type.Object(
  {
    tolerance: Type.Optional(Nullable(Type.Number({ description: 'the largest absolute difference allowed on probabilities or values' }))),
    passed: Type.Optional(Nullable(Type.Boolean())),
    max_abs_diff: Type.Optional(Nullable(Type.Number({ description: 'the largest absolute difference seen' }))),
    compared: Type.Optional(Nullable(Type.Array(Type.String(), { description: 'what was compared (probabilities, labels, values)' }))),
    labels_equal: Type.Optional(Nullable(Type.Boolean())),
    rows: Type.Optional(Nullable(Type.Record(Type.String(), Nullable(Type.Integer()), { description: 'rows compared per source' }))),
    training_data: Type.Optional(Nullable(Type.String({ description: 'NAME@VERSION of the dataset version sampled' }))),
  },
  { description: "the job's check (conversion.json's `check`)" },
);

export const Conversion = Type.Object({
  model: Type.String(),
  version: Type.String(),
  state: StringEnum(CONVERSION_STATES),
  job_id: Type.String({ description: 'the conversion job (GET /api/v1/jobs/{id} for its log)' }),
  flavor: Nullable(Type.String({ description: 'the flavor converted: sklearn, xgboost or lightgbm' })),
  estimator: Nullable(Type.String({ description: "the estimator's class, as the job read it" })),
  step: Nullable(
    StringEnum([...CONVERSION_STEPS, 'job'] as const, { description: "where a failed conversion stopped ('job': the job failed before reporting)" }),
  ),
  error: Nullable(Type.String()),
  check: Nullable(ConversionCheck),
  onnx_path: Nullable(Type.String({ description: "the ONNX file's path in the artifact store, once the check passed" })),
  message: Type.String({ description: 'the conversion in a sentence (a refusal names the step and the estimator)' }),
  requested_by: Type.String({ description: 'who asked for it (the registering principal, the caller, or ferry:deploy)' }),
  created_at: ISO,
  updated_at: ISO,
});

const ConversionAnswer = Type.Object({ conversion: Conversion });

export const startConversion = defineOperation({
  method: 'POST',
  path: P,
  operationId: 'startConversion',
  tag,
  access: 'editor',
  style: 'native',
  summary: "Convert a model version's sklearn, xgboost or lightgbm flavor to ONNX (a job), checked against the original",
  description:
    '202 with the conversion started (or the one under way); 200 with the succeeded one when not forced. A failed one is started again. ' +
    'Refused (400, field `model`) when the version has an onnx flavor already, no sklearn/xgboost/lightgbm flavor, or files this server does not store.',
  params: VersionParams,
  body: Type.Object({ force: Type.Optional(Type.Boolean({ description: 'convert again even when a conversion succeeded' })) }, { additionalProperties: false }),
  responses: { 202: ConversionAnswer, 200: ConversionAnswer },
});

export const getConversion = defineOperation({
  method: 'GET',
  path: P,
  operationId: 'getConversion',
  tag,
  access: 'viewer',
  style: 'native',
  summary: "A model version's ONNX conversion: its state, the check's result, the ONNX file (404 when none was started)",
  params: VersionParams,
  responses: { 200: ConversionAnswer },
});
