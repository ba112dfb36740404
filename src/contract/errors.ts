/**
 * The three error bodies Ferry answers with, one per API family: MLflow's {error_code, message} on
 * /api/2.0, RFC 9457 problem details on the native API, and the Open Inference Protocol's {error} on /v2.
 */
import { type TSchema, Type } from '@sinclair/typebox';

export type ErrorStyle = 'mlflow' | 'native' | 'v2';

export const MlflowError = Type.Object(
  {
    error_code: Type.String({ description: 'a stable code, e.g. RESOURCE_DOES_NOT_EXIST' }),
    message: Type.String(),
  },
  { additionalProperties: false },
);

export const FieldProblem = Type.Object({ field: Type.String(), message: Type.String() }, { additionalProperties: false });

export const Problem = Type.Object(
  {
    type: Type.String({ description: 'a URI naming the error code' }),
    title: Type.String({ description: 'the error code' }),
    status: Type.Integer(),
    detail: Type.String({ description: 'what went wrong, naming the field where there is one' }),
    code: Type.String({ description: 'a stable code, e.g. INVALID_PARAMETER_VALUE' }),
    errors: Type.Array(FieldProblem),
  },
  { additionalProperties: false, description: 'RFC 9457 problem details' },
);

export const V2Error = Type.Object({ error: Type.String(), code: Type.String({ description: "Ferry's stable error code" }) }, { additionalProperties: false });

const BODY: Record<ErrorStyle, { type: string; schema: TSchema }> = {
  mlflow: { type: 'application/json', schema: MlflowError },
  native: { type: 'application/problem+json', schema: Problem },
  v2: { type: 'application/json', schema: V2Error },
};

/** The documented error response of a style, with why this status can occur. */
export function errorResponse(style: ErrorStyle, description: string) {
  const { type, schema } = BODY[style];
  return { description, content: { [type]: { schema } } };
}
