import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ApiRoute } from '../api-route.js';
import { FerryError, InvalidParameterError } from '../errors.js';
import type { Fields } from '../fields.js';

/** GET/DELETE-without-body read the query string (repeated keys = lists); others merge the JSON body over it. */
function fieldsOf(req: FastifyRequest): Fields {
  const query = (req.query ?? {}) as Fields;
  const body = req.body;
  if (body === undefined || body === null || body === '') return query;
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw new FerryError('MALFORMED_REQUEST', 'The request body must be a JSON object.');
  }
  return { ...query, ...(body as Fields) };
}

function pathParams(req: FastifyRequest): Record<string, string> {
  const params = (req.params ?? {}) as Record<string, string>;
  for (const [name, value] of Object.entries(params)) {
    if (value.includes('\0')) throw new InvalidParameterError(name, `Path parameter '${name}' must not contain NUL characters.`);
  }
  return params;
}

export function registerApiRoutes(app: FastifyInstance, routes: ApiRoute[], tag: string): void {
  for (const r of routes) {
    app.route({
      method: r.method,
      url: r.url,
      config: { role: r.role, style: r.style, ...(r.audit ? { audit: r.audit } : {}) },
      schema: { summary: r.summary, tags: [tag] },
      handler: async (req) => r.handler(fieldsOf(req), { principal: req.principal, ip: req.ip, params: pathParams(req) }),
    });
  }
}
