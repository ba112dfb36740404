/**
 * One operation of Ferry's wire contract: method, path, who may call it, and TypeBox schemas for every part
 * of the request and every response status. The server registers routes from these (validation, OpenAPI),
 * the SDK takes its types from them (Static<>). No runtime dependency beyond TypeBox, so the SDK and the
 * web UI can import it.
 */
import { Kind, type Static, type TSchema } from '@sinclair/typebox';
import { errorResponse, type ErrorStyle } from './errors.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** 'public' needs no token (health probes, the API description); the others are the least role that may call. */
export type Access = 'public' | 'viewer' | 'editor' | 'admin';

/** Which operations a deployment-scoped token may call (OperationSpec.tokenScope). */
export type TokenScope = 'any' | { deploymentParam: string };

/** A response given as a schema (JSON) or as explicit content types (a CSV export, a binary body, an error). */
export type ResponseSpec = TSchema | ContentResponse;

export interface ContentResponse {
  description: string;
  content: Record<string, { schema: TSchema }>;
}

/** A request body that is not JSON (an uploaded file): documented per content type, read by the route itself. */
export interface RawBody {
  description: string;
  content: Record<string, { schema: TSchema }>;
}

export interface OperationSpec {
  method: HttpMethod;
  /** Fastify-style path: `/api/v1/deployments/:name`; a trailing `*` takes the rest of the path. */
  path: string;
  /** Unique across the API; clients generated from the OpenAPI document name their methods after it. */
  operationId: string;
  summary: string;
  description?: string;
  /** The capability, for grouping in the API reference. */
  tag: string;
  access: Access;
  /**
   * What a token scoped to one deployment (a prediction-only caller, docs/security.md) may call: `{ deploymentParam }`
   * marks one of a deployment's prediction routes, naming the path parameter that holds the deployment (the token's
   * must match); 'any' marks a call that concerns no deployment and tells nothing about others (whoami). Absent:
   * such a token is refused (403), whatever its role would allow.
   */
  tokenScope?: TokenScope;
  /** How errors are rendered: MLflow's {error_code, message}, RFC 9457 problem details, or KServe's {error}. */
  style: ErrorStyle;
  params?: TSchema;
  query?: TSchema;
  /** A JSON body, validated before the handler runs. */
  body?: TSchema;
  /** A non-JSON body (file upload), documented but read by the route. */
  rawBody?: RawBody;
  /** Success statuses (and errors specific to this operation); the common error statuses are added. */
  responses: Record<number, ResponseSpec>;
}

export interface Operation<S extends OperationSpec = OperationSpec> {
  readonly spec: S;
  /** Every status this operation can answer, the common errors included. */
  readonly responses: Record<number, ResponseSpec>;
}

/** The statuses every operation of a style can answer besides its own (auth, host check, validation, limits). */
function commonErrors(spec: OperationSpec): Record<number, ResponseSpec> {
  const out: Record<number, ResponseSpec> = {};
  const add = (status: number, why: string) => (out[status] = errorResponse(spec.style, why));
  add(400, 'The request is invalid; the body names the field.');
  if (spec.access !== 'public') add(401, 'No credentials, or credentials that were not accepted.');
  add(
    403,
    spec.access === 'public' ? 'The Host header is not allowed (DNS-rebinding protection).' : 'The caller lacks the role, or the Host header is not allowed.',
  );
  add(404, 'The named object does not exist.');
  // Any request may carry a body, a GET or a DELETE too; the server parses (and limits) it all the same.
  add(413, 'The body is larger than the server accepts.');
  add(415, 'The Content-Type is not accepted.');
  add(500, 'An unexpected error; the server log has the details.');
  // Refused before any route is known, so always as problem details whatever the family's style.
  out[431] = errorResponse('native', 'The request line and headers together exceed 16 KiB.');
  return out;
}

export function defineOperation<const S extends OperationSpec>(spec: S): Operation<S> {
  return { spec, responses: { ...commonErrors(spec), ...spec.responses } };
}

/** The JSON schema of a response status, whichever way it was given. */
export function jsonSchemaOf(r: ResponseSpec | undefined): TSchema | undefined {
  if (!r) return undefined;
  if (Kind in r) return r as TSchema;
  const content = (r as ContentResponse).content;
  return content ? (content['application/json'] ?? content['application/problem+json'])?.schema : undefined;
}

type Or<T, D> = T extends TSchema ? Static<T> : D;
type SuccessStatus = 200 | 201 | 202 | 204;

/** The typed parts of a request to an operation, after validation and coercion. */
export interface RequestOf<S extends OperationSpec> {
  params: Or<S['params'], Record<string, never>>;
  query: Or<S['query'], Record<string, never>>;
  body: Or<S['body'], undefined>;
}

type JsonOf<R> = R extends { content: infer C }
  ? C extends { 'application/json': { schema: infer T } }
    ? T extends TSchema
      ? Static<T>
      : never
    : never
  : R extends TSchema
    ? Static<R>
    : never;

/** The body of a successful answer (the union over its success statuses). */
export type ResponseOf<S extends OperationSpec> = {
  [K in keyof S['responses']]: K extends SuccessStatus ? JsonOf<S['responses'][K]> : never;
}[keyof S['responses']];
