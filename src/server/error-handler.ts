/**
 * The one place errors become HTTP responses. MLflow-compatible routes answer {error_code, message}
 * (what MLflow clients parse); native routes answer RFC 9457 problem details. Unexpected errors are
 * logged with their stack and answered with a generic 500 that leaks nothing (no SQL, no paths).
 */
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ERROR_STATUS, type ErrorCode, FerryError, type FieldProblem } from '../errors.js';
import { isStoreUnavailable, isUniqueViolation } from '../store/index.js';
import { requestId as newRequestId } from '../serving/index.js';
import { REQUEST_ID_HEADER } from './request-id.js';

function styleOf(req: FastifyRequest): 'mlflow' | 'native' | 'v2' {
  const cfg = req.routeOptions?.config as { style?: 'mlflow' | 'native' | 'v2' } | undefined;
  if (cfg?.style) return cfg.style;
  if (req.url.startsWith('/v2')) return 'v2';
  return /^\/(ajax-)?api\/[23]\.0\//.test(req.url) ? 'mlflow' : 'native';
}

export function send(req: FastifyRequest, reply: FastifyReply, code: ErrorCode, message: string, errors: FieldProblem[] = []) {
  const status = ERROR_STATUS[code];
  // Also here: the router's refusals (frameworkError) run no onRequest hook.
  reply.status(status).header('content-type', 'application/json; charset=utf-8').header(REQUEST_ID_HEADER, req.id);
  if (code === 'OVERLOADED' || code === 'STORE_UNAVAILABLE') reply.header('retry-after', '1');
  const style = styleOf(req);
  if (style === 'mlflow') return reply.send({ error_code: code, message });
  // The Open Inference Protocol's error body is {"error": "..."}; the code rides along for programs.
  if (style === 'v2') return reply.send({ error: message, code });
  return reply
    .header('content-type', 'application/problem+json; charset=utf-8')
    .send({ type: `https://ferry.dev/errors/${code.toLowerCase()}`, title: code, status, detail: message, code, errors });
}

interface AjvError {
  instancePath?: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
  /** With Ajv's verbose option: the schema holding the failed keyword. */
  parentSchema?: Record<string, unknown>;
}

/**
 * A value that matches none of an anyOf's forms is reported once, for the anyOf, rather than once per form;
 * an anyOf of constants (an enum written as literals) reads as its list of allowed values.
 */
function summarizeAnyOf(errors: AjvError[]): AjvError[] {
  const unions = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  if (unions.length === 0) return errors;
  const covered = (e: AjvError) => unions.some((u) => u !== e && (e.instancePath ?? '').startsWith(u.instancePath ?? ''));
  return errors
    .filter((e) => !covered(e))
    .map((e) => {
      const forms = (e.parentSchema?.[e.keyword] as Record<string, unknown>[] | undefined) ?? [];
      if ((e.keyword === 'anyOf' || e.keyword === 'oneOf') && forms.length > 0 && forms.every((f) => 'const' in f)) {
        return { ...e, keyword: 'enum', params: { allowedValues: forms.map((f) => f['const']) } };
      }
      return e.keyword === 'anyOf' || e.keyword === 'oneOf' ? { ...e, message: 'matches none of the allowed forms' } : e;
    });
}

function dedupe(problems: FieldProblem[]): FieldProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => !seen.has(p.message) && (seen.add(p.message), true));
}

/** `/routes/0/weight` → `routes[0].weight`: the field as users write it. */
function fieldName(path: string, extra?: unknown): string {
  const parts = path
    .split('/')
    .filter(Boolean)
    .map((p) => p.replaceAll('~1', '/').replaceAll('~0', '~'));
  if (typeof extra === 'string') parts.push(extra);
  return parts.reduce((acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '');
}

/** A schema validation failure (Ajv) as a field problem, worded like the handlers' own messages. */
export function fieldProblem(v: AjvError, where?: string): { field: string; message: string } {
  const p = v.params;
  if (v.keyword === 'required') {
    const field = fieldName(v.instancePath ?? '', p['missingProperty']);
    return { field, message: `Missing value for required parameter '${field}'.` };
  }
  if (v.keyword === 'additionalProperties') {
    const field = fieldName(v.instancePath ?? '', p['additionalProperty']);
    return { field, message: `Unknown parameter '${field}'.` };
  }
  const field = fieldName(v.instancePath ?? '') || (where === 'body' ? 'body' : (where ?? 'request'));
  // A pattern is read by its description (what a user can act on), not as the regular expression.
  const described = v.keyword === 'pattern' && typeof v.parentSchema?.['description'] === 'string' ? `expected ${v.parentSchema['description']}` : undefined;
  const detail =
    v.keyword === 'enum' && Array.isArray(p['allowedValues'])
      ? `must be one of ${p['allowedValues'].map((x) => JSON.stringify(x)).join(', ')}`
      : (described ?? v.message ?? 'is invalid');
  return { field, message: `Invalid value for parameter '${field}': ${detail}.` };
}

function isDiskFull(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}

/** Maps framework errors (body parsing, limits, validation) onto Ferry codes. */
function classify(err: FastifyError): { code: ErrorCode; message: string; errors: FieldProblem[] } | null {
  if (err instanceof FerryError) return { code: err.code, message: err.message, errors: err.errors };
  if (err.validation) {
    const errors = dedupe(summarizeAnyOf(err.validation as AjvError[]).map((v) => fieldProblem(v, err.validationContext)));
    return { code: 'INVALID_PARAMETER_VALUE', message: errors.map((e) => e.message).join(' '), errors };
  }
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { code: 'PAYLOAD_TOO_LARGE', message: 'Request body is larger than the server accepts.', errors: [] };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Unsupported Content-Type: send application/json.', errors: [] };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { code: 'MALFORMED_REQUEST', message: 'The JSON body is empty.', errors: [] };
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { code: 'BAD_REQUEST', message: 'Content-Length does not match the body.', errors: [] };
  }
  if (err instanceof SyntaxError || err.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return { code: 'MALFORMED_REQUEST', message: `Malformed JSON body: ${err.message}`, errors: [] };
  }
  // Last line of defence for races the services do not name themselves: never a 500 for a duplicate.
  if (isUniqueViolation(err))
    return { code: 'RESOURCE_ALREADY_EXISTS', message: 'A concurrent request created the same object; read it back or retry.', errors: [] };
  // PostgreSQL down or restarting: transient, so a 503 the client retries (MLflow's client does), never a 500.
  if (isStoreUnavailable(err)) return { code: 'STORE_UNAVAILABLE', message: 'The metadata store is unavailable; retry in a moment.', errors: [] };
  // A full disk under the artifact store or the data dir (a spooled upload): nothing of the upload was kept.
  if (isDiskFull(err))
    return { code: 'INSUFFICIENT_STORAGE', message: 'The server has no storage space left for this upload; nothing of it was kept.', errors: [] };
  if (err.statusCode === 413) return { code: 'PAYLOAD_TOO_LARGE', message: err.message, errors: [] };
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) return { code: 'BAD_REQUEST', message: err.message, errors: [] };
  return null;
}

/** The longest path parameter (or `*` tail, e.g. an artifact path) the router accepts. */
export const MAX_PATH_PARAM_LENGTH = 4096;

/** Errors the router raises before any route runs: a URL it cannot decode, a path parameter that is too long. */
export function frameworkError(err: FastifyError, req: FastifyRequest, reply: FastifyReply) {
  if (err.code === 'FST_ERR_MAX_PARAM_LENGTH')
    return send(req, reply, 'INVALID_PARAMETER_VALUE', `A path parameter is longer than ${MAX_PATH_PARAM_LENGTH} characters.`);
  return send(req, reply, 'MALFORMED_REQUEST', 'The URL is malformed (bad percent-encoding).');
}

/**
 * Requests Node refuses before Fastify parses them (headers too large, a timeout, bad HTTP): the route is unknown,
 * so the answer is always problem details, written straight to the socket.
 */
export function clientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [code, detail]: [ErrorCode, string] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? ['HEADERS_TOO_LARGE', 'The request line and headers together exceed 16 KiB.']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? ['REQUEST_TIMEOUT', 'The request did not arrive in time.']
        : ['BAD_REQUEST', 'The request is not valid HTTP.'];
  const status = ERROR_STATUS[code];
  const body = JSON.stringify({ type: `https://ferry.dev/errors/${code.toLowerCase()}`, title: code, status, detail, code, errors: [] });
  if (socket.writable) {
    // No request was read, so no caller id: a fresh one, as every answer has.
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/problem+json; charset=utf-8\r\nX-Request-Id: ${newRequestId()}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const known = classify(err);
    if (known) return send(req, reply, known.code, known.message, known.errors);
    req.log.error({ err }, 'unhandled error');
    return send(req, reply, 'INTERNAL_ERROR', 'Internal server error; the server log has the details.');
  });
  app.setNotFoundHandler((req, reply) => send(req, reply, 'ENDPOINT_NOT_FOUND', `No API endpoint ${req.method} ${req.url.split('?')[0]}.`));
}
