/** The one place the SDK talks HTTP: URL building, auth header, JSON in/out, error mapping. */
import type { Static, TSchema } from '@sinclair/typebox';
import type { Operation, OperationSpec, RawBody, ResponseOf } from '../contract/operation.js';
import { apiErrorFrom, FerryConnectionError, networkReason } from './errors.js';

export type QueryValue = string | number | boolean | readonly (string | number)[] | undefined;
export type Query = Record<string, QueryValue>;

export interface ClientOptions {
  /** Base URL of the server; default $FERRY_URL, else http://127.0.0.1:5050. */
  url?: string;
  /** Bearer token; default $FERRY_TOKEN. Without one, requests go unauthenticated. */
  token?: string;
  /** Per-request time limit in milliseconds (default 30000; 0 = none). */
  timeoutMs?: number;
  /** A fetch implementation (default: the global fetch). */
  fetch?: typeof fetch;
}

/** The path parameters of an operation: every one its path names. */
type ParamsPart<S extends OperationSpec> = S['params'] extends TSchema
  ? { params: { [K in keyof Static<S['params']>]-?: string | number } }
  : { params?: never };
/** The query fields an operation declares, as the contract names them (any text: a query string is text). */
type QueryPart<S extends OperationSpec> = S['query'] extends TSchema ? { query?: { [K in keyof Static<S['query']>]?: QueryValue } } : { query?: never };

/**
 * What a call to a contract operation sends, named as the contract names it: path parameters, query fields
 * and its JSON body (the schema's type; bytes for an operation that takes a file).
 */
export type CallInput<S extends OperationSpec> = ParamsPart<S> &
  QueryPart<S> &
  (S['body'] extends TSchema
    ? { body?: Static<S['body']> }
    : S['rawBody'] extends { content: { 'application/json': { schema: infer J extends TSchema } } }
      ? { body: Static<J> }
      : S['rawBody'] extends RawBody
        ? { body: Uint8Array }
        : { body?: never });

/** The argument list of a call: optional when the operation needs nothing. */
type CallArgs<S extends OperationSpec> = Record<string, never> extends CallInput<S> ? [input?: CallInput<S>] : [input: CallInput<S>];

interface LooseInput {
  params?: Record<string, string | number>;
  query?: Query;
  body?: object | Uint8Array;
}

/**
 * The operation's path with each `:param` filled in and percent-encoded (a trailing `*` takes a path whose
 * segments are encoded one by one), so the SDK can only call paths the server declares.
 */
export function pathOf(op: Operation, params: Record<string, string | number> = {}): string {
  const value = (name: string) => {
    const v = params[name];
    if (v === undefined) throw new TypeError(`${op.spec.operationId}: no value for the path parameter '${name}'`);
    return String(v);
  };
  return op.spec.path
    .replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(value(name)))
    .replace(/\*$/, () => value('*').split('/').map(encodeURIComponent).join('/'));
}

export const DEFAULT_URL = 'http://127.0.0.1:5050';

function envVar(name: string): string | undefined {
  // `process` may not exist (the SDK also runs in browsers).
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const v = env?.[name];
  return v === undefined || v === '' ? undefined : v;
}

export class HttpClient {
  readonly url: string;
  readonly token: string | undefined;
  private readonly timeoutMs: number;
  private readonly fetchImpl: typeof fetch;

  constructor(opts: ClientOptions = {}) {
    this.url = (opts.url || envVar('FERRY_URL') || DEFAULT_URL).replace(/\/+$/, '');
    this.token = opts.token || envVar('FERRY_TOKEN') || undefined;
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.fetchImpl = opts.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  get<T>(path: string, query: Query = {}): Promise<T> {
    return this.request<T>('GET', path, { query });
  }

  post<T>(path: string, body: object = {}): Promise<T> {
    return this.request<T>('POST', path, { body });
  }

  put<T>(path: string, body: object = {}): Promise<T> {
    return this.request<T>('PUT', path, { body });
  }

  delete<T>(path: string, query: Query = {}): Promise<T> {
    return this.request<T>('DELETE', path, { query });
  }

  /**
   * Calls a contract operation: its method, its path with the parameters filled in, the query and the JSON
   * body; the answer typed as the operation's success response. A POST or PUT without a body sends `{}`.
   */
  call<S extends OperationSpec>(op: Operation<S>, ...[input]: CallArgs<S>): Promise<ResponseOf<S>> {
    const { params, query, body } = (input ?? {}) as LooseInput;
    const { method } = op.spec;
    const withBody = body ?? (method === 'POST' || method === 'PUT' || method === 'PATCH' ? {} : undefined);
    return this.request<ResponseOf<S>>(method, pathOf(op, params), { ...(query ? { query } : {}), ...(withBody !== undefined ? { body: withBody } : {}) });
  }

  /** Calls an operation whose answer (or body) is text, e.g. a CSV export or a CSV reference. */
  async callText<S extends OperationSpec>(
    op: Operation<S>,
    input: ParamsPart<S> & QueryPart<S> & { body?: string; contentType?: string; accept?: string },
  ): Promise<string> {
    const { params, ...rest } = input as LooseInput & { body?: string; contentType?: string; accept?: string };
    return (await this.send(op.spec.method, pathOf(op, params), rest)).text;
  }

  /** Streams a file to an operation that takes one (see upload); the answer typed as the operation's. */
  callUpload<S extends OperationSpec>(
    op: Operation<S>,
    input: ParamsPart<S> & QueryPart<S> & { body: ReadableStream<Uint8Array> | Blob | Uint8Array; contentType?: string },
  ): Promise<ResponseOf<S>> {
    const { params, ...rest } = input as Omit<LooseInput, 'body'> & { body: ReadableStream<Uint8Array> | Blob | Uint8Array; contentType?: string };
    return this.upload<ResponseOf<S>>(op.spec.method, pathOf(op, params), rest);
  }

  /** The streamed answer of an operation that answers a file (see download). */
  async callDownload<S extends OperationSpec>(op: Operation<S>, input: ParamsPart<S> & QueryPart<S>): Promise<Response> {
    const { params, query } = input as LooseInput;
    const res = await this.raw(op.spec.method, pathOf(op, params), { query: query ?? {}, timeout: false, accept: '*/*' });
    if (!res.ok) throw apiErrorFrom(res.status, res.statusText, await res.text());
    return res;
  }

  /** A JSON object body is sent as JSON; bytes (an .onnx file) as application/octet-stream. */
  async request<T>(method: string, path: string, opts: { query?: Query; body?: object | Uint8Array } = {}): Promise<T> {
    const binary = opts.body instanceof Uint8Array;
    const { text, status, statusText } = await this.send(method, path, {
      ...(opts.query ? { query: opts.query } : {}),
      ...(opts.body !== undefined
        ? { body: binary ? (opts.body as Uint8Array) : JSON.stringify(opts.body), contentType: binary ? 'application/octet-stream' : 'application/json' }
        : {}),
    });
    if (text === '') return {} as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw apiErrorFrom(status, statusText, `expected JSON from ${method} ${path}, got: ${text.slice(0, 200)}`);
    }
  }

  /**
   * A large body (a data file) streamed as it is read, without the request timeout (a multi-GB upload takes
   * longer than any sensible one); the answer is parsed as JSON.
   */
  async upload<T>(
    method: string,
    path: string,
    opts: { query?: Query; body: ReadableStream<Uint8Array> | Blob | Uint8Array; contentType?: string },
  ): Promise<T> {
    const res = await this.raw(method, path, { ...opts, timeout: false });
    const text = await res.text();
    if (!res.ok) throw apiErrorFrom(res.status, res.statusText, text);
    return JSON.parse(text) as T;
  }

  /** The raw response of a download (streamed by the caller); errors are thrown as for JSON calls. */
  async download(path: string, query: Query = {}): Promise<Response> {
    const res = await this.raw('GET', path, { query, timeout: false, accept: '*/*' });
    if (!res.ok) throw apiErrorFrom(res.status, res.statusText, await res.text());
    return res;
  }

  private async raw(
    method: string,
    path: string,
    opts: { query?: Query; body?: ReadableStream<Uint8Array> | Blob | Uint8Array; contentType?: string; accept?: string; timeout: boolean },
  ): Promise<Response> {
    const headers: Record<string, string> = { accept: opts.accept ?? 'application/json' };
    if (this.token) headers['authorization'] = `Bearer ${this.token}`;
    if (opts.body !== undefined) headers['content-type'] = opts.contentType ?? 'application/octet-stream';
    const streaming = typeof ReadableStream !== 'undefined' && opts.body instanceof ReadableStream;
    try {
      return await this.fetchImpl(this.url + path + queryString(opts.query ?? {}), {
        method,
        headers,
        body: opts.body as unknown as BodyInit | undefined,
        // Node's fetch streams a ReadableStream body only in half-duplex mode.
        ...(streaming ? { duplex: 'half' } : {}),
        signal: opts.timeout && this.timeoutMs > 0 ? AbortSignal.timeout(this.timeoutMs) : undefined,
      } as RequestInit);
    } catch (err) {
      throw new FerryConnectionError(this.url, networkReason(err), { cause: err });
    }
  }

  /** Any body with its content type; the answer as text (exports such as CSV). Errors are thrown as for JSON calls. */
  async send(
    method: string,
    path: string,
    opts: { query?: Query; body?: string | Uint8Array; contentType?: string; accept?: string } = {},
  ): Promise<{ text: string; status: number; statusText: string }> {
    const target = this.url + path + queryString(opts.query ?? {});
    const headers: Record<string, string> = { accept: opts.accept ?? 'application/json' };
    if (this.token) headers['authorization'] = `Bearer ${this.token}`;
    if (opts.body !== undefined) headers['content-type'] = opts.contentType ?? 'application/octet-stream';
    let res: Response;
    try {
      res = await this.fetchImpl(target, {
        method,
        headers,
        body: opts.body === undefined ? undefined : (opts.body as unknown as BodyInit),
        signal: this.timeoutMs > 0 ? AbortSignal.timeout(this.timeoutMs) : undefined,
      });
    } catch (err) {
      throw new FerryConnectionError(this.url, networkReason(err), { cause: err });
    }
    const text = await res.text();
    if (!res.ok) throw apiErrorFrom(res.status, res.statusText, text);
    return { text, status: res.status, statusText: res.statusText };
  }
}

/** `?a=1&b=x&b=y` — lists become repeated keys (what the server reads as a list); undefined is left out. */
export function queryString(query: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) params.append(key, String(item));
    else params.append(key, String(value));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}
