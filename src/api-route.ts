/**
 * The shape every capability uses to declare its JSON API routes, so route files stay plain functions
 * (fields in, object out) and the server applies parsing, auth, audit and error rendering uniformly.
 */
import type { Readable } from 'node:stream';
import type { TSchema } from '@sinclair/typebox';
import type { Fields } from './fields.js';

export type Role = 'viewer' | 'editor' | 'admin';

export interface Principal {
  /** Token or user name; written to the audit log and used as a run's default user. */
  name: string;
  role: Role;
  kind: 'token' | 'user' | 'anonymous';
}

export interface RequestContext {
  principal: Principal;
  ip: string;
  /** Path parameters (for routes with :params). */
  params: Record<string, string>;
}

export interface ApiRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  /** The least role that may call it. */
  role: Role;
  summary: string;
  /** 'mlflow' renders errors as {error_code, message}; 'native' as RFC 9457 problem details; 'v2' as KServe's {error}. */
  style: 'mlflow' | 'native' | 'v2';
  /** JSON Schema of the body, for the OpenAPI description (the handler still validates and names fields). */
  body?: TSchema;
  /** 'none' for high-volume calls that are not administrative writes (predictions go to the prediction log). */
  audit?: 'none';
  /** A JSON array body is accepted too, and handed to the handler as this field. */
  arrayBody?: string;
  handler(fields: Fields, ctx: RequestContext): Promise<object>;
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
