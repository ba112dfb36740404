/**
 * Errors the SDK throws. An HTTP error answer becomes a FerryApiError whatever style the route uses:
 * MLflow's `{error_code, message}` or RFC 9457 problem details `{type, title, status, detail, code, errors}`.
 * A request that never got an answer (refused, DNS, timeout) becomes a FerryConnectionError.
 */
import type { FieldProblem } from './types.js';

export class FerryApiError extends Error {
  /** HTTP status of the answer. */
  readonly status: number;
  /** Ferry's stable error code (e.g. RESOURCE_DOES_NOT_EXIST), or HTTP_<status> when the body had none. */
  readonly code: string;
  /** Field-level problems (native API only; empty otherwise). */
  readonly errors: FieldProblem[];
  /** The body as received, for debugging. */
  readonly body: unknown;

  constructor(status: number, code: string, message: string, errors: FieldProblem[] = [], body?: unknown) {
    super(message);
    this.name = 'FerryApiError';
    this.status = status;
    this.code = code;
    this.errors = errors;
    this.body = body;
  }
}

export class FerryConnectionError extends Error {
  readonly url: string;
  constructor(url: string, reason: string, options?: { cause?: unknown }) {
    super(`cannot reach Ferry at ${url}: ${reason}`, options);
    this.name = 'FerryConnectionError';
    this.url = url;
  }
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function fieldProblems(v: unknown): FieldProblem[] {
  if (!Array.isArray(v)) return [];
  return v
    .filter((p): p is Record<string, unknown> => typeof p === 'object' && p !== null)
    .map((p) => ({ field: String(p['field'] ?? ''), message: String(p['message'] ?? '') }));
}

/** Builds the error for a non-2xx answer from its status and raw body text. */
export function apiErrorFrom(status: number, statusText: string, text: string): FerryApiError {
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON (a proxy's HTML page, say): fall through with the text
  }
  if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
    const b = body as Record<string, unknown>;
    // MLflow style
    const mlflowCode = str(b['error_code']);
    if (mlflowCode) return new FerryApiError(status, mlflowCode, str(b['message']) ?? mlflowCode, [], body);
    // RFC 9457 problem details
    const code = str(b['code']) ?? str(b['title']);
    const detail = str(b['detail']) ?? str(b['message']) ?? str(b['title']);
    if (code || detail) return new FerryApiError(status, code ?? `HTTP_${status}`, detail ?? code!, fieldProblems(b['errors']), body);
  }
  const snippet = typeof body === 'string' ? body.trim().slice(0, 200) : '';
  const message = `HTTP ${status}${statusText ? ` ${statusText}` : ''}${snippet ? `: ${snippet}` : ''}`;
  return new FerryApiError(status, `HTTP_${status}`, message, [], body);
}

/** A short human reason out of what fetch threw (its `cause` carries the socket error). */
export function networkReason(err: unknown): string {
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) return 'the request timed out';
  const cause = err instanceof Error ? (err as Error & { cause?: unknown }).cause : undefined;
  const pick = (e: unknown): string | undefined => {
    if (!(e instanceof Error)) return undefined;
    const inner = (e as Error & { errors?: unknown[] }).errors; // AggregateError: one per address tried
    if (Array.isArray(inner) && inner.length > 0) return pick(inner[0]);
    const code = (e as Error & { code?: unknown }).code;
    return str(e.message) ?? (typeof code === 'string' ? code : undefined);
  };
  return pick(cause) ?? pick(err) ?? String(err);
}
