/** Ferry's wire contract: every route's params, query, body and responses as TypeBox schemas (no runtime deps). */
export {
  defineOperation,
  jsonSchemaOf,
  type Access,
  type ContentResponse,
  type HttpMethod,
  type Operation,
  type OperationSpec,
  type RawBody,
  type RequestOf,
  type ResponseOf,
  type ResponseSpec,
} from './operation.js';
export { errorResponse, FieldProblem, MlflowError, Problem, V2Error, type ErrorStyle } from './errors.js';
export * from './common.js';
