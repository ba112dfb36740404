/**
 * The shape every capability uses to declare its JSON API routes, so route files stay plain functions
 * (typed request in, object out) and the server applies validation, auth, audit and error rendering
 * uniformly. A route is an operation of the wire contract (src/contract/) plus its handler.
 */
import type { Readable } from 'node:stream';
import type { Operation, OperationSpec, RequestOf, ResponseOf } from './contract/index.js';
import type { Fields } from './fields.js';

export type Role = 'viewer' | 'editor' | 'admin';

export interface Principal {
  /** Token or user name; written to the audit log and used as a run's default user. */
  name: string;
  role: Role;
  kind: 'token' | 'user' | 'anonymous';
  /** The token a 'token' principal authenticated with (so it cannot revoke itself). */
  tokenId?: string;
  /** A prediction-only token's one deployment: it may call only the operations whose contract admits it (tokenScope). */
  scope?: { deployment: string };
  /** When the credential stops being accepted (epoch ms); absent: never. */
  expiresAt?: number;
}

export interface RequestContext {
  principal: Principal;
  ip: string;
  /** Path parameters (for routes with :params). */
  params: Record<string, string>;
  /** The request's id (X-Request-Id, the caller's or Ferry's). */
  requestId?: string;
}

/** What the server needs besides the contract: auditing and body conventions. */
export interface RouteOptions {
  /** 'none' for high-volume calls that are not administrative writes (predictions go to the prediction log). */
  audit?: 'none';
  /** A JSON array body is accepted too, and handed to the handler as this field. */
  arrayBody?: string;
}

/** A validated request: its typed parts, and `fields` (query merged with the body) for field readers. */
export type RouteInput<S extends OperationSpec = OperationSpec> = RequestOf<S> & { fields: Fields };

export interface ContractRoute extends RouteOptions {
  op: Operation;
  handler(input: RouteInput, ctx: RequestContext): Promise<object>;
}

export type ApiRoute = ContractRoute;

/** A route from a contract operation; the handler's input and answer are typed by the operation's schemas. */
export function route<S extends OperationSpec>(
  op: Operation<S>,
  handler: (input: RouteInput<S>, ctx: RequestContext) => Promise<ResponseOf<S> | RawResponse | Answer>,
  opts: RouteOptions = {},
): ContractRoute {
  return { ...opts, op: op as unknown as Operation, handler: handler as unknown as ContractRoute['handler'] };
}

/** An answer with a status other than the operation's first success status (a 503 from a readiness probe). */
export class Answer {
  constructor(
    readonly status: number,
    readonly body: object,
  ) {}
}

/** A handler's answer that is not JSON: an export (CSV, JSON Lines), streamed when large, or binary tensors. */
export class RawResponse {
  constructor(
    readonly contentType: string,
    readonly body: string | Buffer | Readable,
    /** Offered as a download (Content-Disposition: attachment). */
    readonly filename?: string,
    /** Protocol headers the body needs (Inference-Header-Content-Length); names and values built by Ferry. */
    readonly headers?: Record<string, string>,
  ) {}
}
