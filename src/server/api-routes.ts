import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Answer, type ApiRoute, type ContractRoute, RawResponse, type RouteInput } from '../api-route.js';
import { fastifySchema, successStatus } from './openapi.js';
import { dropNulls, refuseNul } from './request-hygiene.js';
import { FerryError, InvalidParameterError } from '../errors.js';
import type { Fields } from '../fields.js';
import { splitV2Body, V2_BINARY, V2_HEADER_LENGTH } from '../serving/index.js';

/** GET/DELETE-without-body read the query string (repeated keys = lists); others merge the JSON body over it. */
function fieldsOf(req: FastifyRequest, arrayBody?: string): Fields {
  const query = (req.query ?? {}) as Fields;
  const body = req.body;
  if (body === undefined || body === null || body === '') return query;
  if (arrayBody && Array.isArray(body)) return { ...query, [arrayBody]: body };
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw new FerryError('MALFORMED_REQUEST', 'The request body must be a JSON object.');
  }
  return { ...query, ...(body as Fields) };
}

/** Path parameters as the text of the path (a params schema may have coerced one to a number). */
function pathParams(req: FastifyRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries((req.params ?? {}) as Record<string, unknown>)) {
    const text = String(value);
    if (text.includes('\0')) throw new InvalidParameterError(name, `Path parameter '${name}' must not contain NUL characters.`);
    out[name] = text;
  }
  return out;
}

/** Registers routes; each takes its path, schemas, access and tag from its contract operation. */
export function registerApiRoutes(app: FastifyInstance, routes: ApiRoute[]): void {
  for (const r of routes) {
    registerContractRoute(app, r);
  }
}

/** What every request to the route gets before validation (request-hygiene.ts), as a synchronous hook. */
function hygiene(r: ContractRoute) {
  const { spec } = r.op;
  return (req: FastifyRequest, _reply: FastifyReply, done: (err?: Error) => void) => {
    try {
      // A JSON array body is validated (and handled) as its object form, so schema errors name `field[i]...`.
      if (r.arrayBody && Array.isArray(req.body)) req.body = { [r.arrayBody]: req.body };
      refuseNul(req.query, '');
      // The hot paths' raw bodies (predictions) are checked by their codecs, row by row.
      if (spec.body) {
        refuseNul(req.body, '');
        dropNulls(spec.body, req.body);
      }
      done();
    } catch (err) {
      done(err as Error);
    }
  };
}

/** A route from its contract operation: Fastify validates params, query and body (Ajv) and documents all of it. */
function registerContractRoute(app: FastifyInstance, r: ContractRoute): void {
  const { spec } = r.op;
  const config: Record<string, unknown> = {
    op: r.op,
    ...(spec.access === 'public' ? { public: true } : { role: spec.access }),
    style: spec.style,
    ...(r.audit ? { audit: r.audit } : {}),
  };
  app.route({
    method: spec.method,
    url: spec.path,
    config,
    // High-volume calls (predictions) skip per-request access logs: two log lines cost more than the
    // inference itself; their metrics (and, with monitoring, the prediction log) record them. Errors still log.
    ...(r.audit === 'none' ? { logLevel: 'warn' as const } : {}),
    // Only where there is something to check: the hot paths (predict, infer) take no query and a raw body, so they
    // pay for no extra hook.
    ...(spec.query || spec.body || r.arrayBody ? { preValidation: hygiene(r) } : {}),
    schema: fastifySchema(r.op),
    handler: async (req, reply) => {
      const input = { params: req.params ?? {}, query: req.query ?? {}, body: req.body, fields: fieldsOf(req, r.arrayBody) } as RouteInput;
      const out = await r.handler(input, { principal: req.principal, ip: req.ip, params: pathParams(req), requestId: req.id });
      if (out instanceof Answer) return reply.status(out.status).send(out.body);
      const status = successStatus(r.op);
      if (status !== 200) reply.status(status);
      return out instanceof RawResponse ? sendRaw(reply, out) : out;
    },
  });
}

function sendRaw(reply: FastifyReply, out: RawResponse) {
  reply.type(out.contentType);
  // The file name is built by Ferry from a validated name, never from raw input.
  if (out.filename) reply.header('content-disposition', `attachment; filename="${out.filename.replace(/[^A-Za-z0-9._-]/g, '_')}"`);
  if (out.headers) reply.headers(out.headers);
  return reply.send(out.body);
}

/**
 * Body parser for the v2 inference routes: any content type, parsed as JSON. With the binary tensor extension
 * (an Inference-Header-Content-Length header) only the header's bytes are JSON; the rest rides along under
 * V2_BINARY for the route to decode against the model's signature.
 */
export function parseV2Body(req: FastifyRequest, body: Buffer, done: (err: Error | null, body?: unknown) => void): void {
  const header = req.headers[V2_HEADER_LENGTH];
  let parts: { json: Buffer; binary?: Buffer } | Error;
  try {
    parts = splitV2Body(body, header);
  } catch (err) {
    parts = err as Error;
  }
  let parsed = parts instanceof Error ? parts : parseJsonLenient(parts.json);
  let binary = parts instanceof Error ? undefined : parts.binary;
  // tritonclient writes Inference-Header-Content-Length into the caller's headers dict, so a later JSON-only
  // request sent with the same dict carries a stale length. A body that is whole JSON has no binary part.
  if (parsed instanceof Error && header !== undefined) {
    const whole = parseJsonLenient(body);
    if (!(whole instanceof Error)) [parsed, binary] = [whole, undefined];
  }
  if (parts instanceof Error && parsed instanceof Error) return done(parts);
  if (parsed instanceof Error) return done(new FerryError('MALFORMED_REQUEST', `Malformed JSON body: ${parsed.message}`));
  if (binary && parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) (parsed as Record<symbol, unknown>)[V2_BINARY] = binary;
  done(null, parsed);
}

/** JSON, or the parse error; empty is undefined. */
function parseJsonLenient(bytes: Buffer): unknown {
  const text = bytes.toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (err) {
    // Python clients (tritonclient via json.dumps) write NaN and Infinity as bare words, as Triton accepts.
    try {
      return JSON.parse(bareNonFinite(text));
    } catch {
      return err as Error;
    }
  }
}

/** Rewrites bare NaN / ±Infinity outside strings: NaN → null (a missing value), Infinity → 1e999. */
export function bareNonFinite(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (inString) {
      out += ch;
      if (ch === '\\') out += text[++i] ?? '';
      else if (ch === '"') inString = false;
    } else if (ch === '"') {
      inString = true;
      out += ch;
    } else if (text.startsWith('NaN', i)) {
      out += 'null';
      i += 2;
    } else if (text.startsWith('Infinity', i)) {
      out += '1e999';
      i += 7;
    } else out += ch;
  }
  return out;
}

/** Tables sent as files (a monitoring reference): CSV or JSON Lines, handed to the handler as text. */
export const TABLE_CONTENT_TYPES = ['text/csv', 'application/x-ndjson', 'application/jsonl', 'application/x-jsonlines'];

export function parseTableBody(req: FastifyRequest, body: string | Buffer, done: (err: Error | null, body?: unknown) => void): void {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  if (text.includes('\0')) return done(new FerryError('MALFORMED_REQUEST', 'The table must not contain NUL characters.'));
  const csv = String(req.headers['content-type'] ?? '').startsWith('text/csv');
  done(null, { file_format: csv ? 'csv' : 'jsonl', file_text: text });
}
