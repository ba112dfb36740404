/**
 * The contract as Fastify sees it (route schemas) and as users see it: an OpenAPI 3.1 document at
 * /openapi.json and a browsable reference at /docs, both public (the shape of an API is not a secret),
 * served from local assets so an offline machine has them too.
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, FastifySchema } from 'fastify';
import type { Operation, OperationSpec } from '../contract/index.js';
import { strict } from './strict-schema.js';

const SUCCESS = [200, 201, 202, 204] as const;

/** The status a handler's answer is sent with: the operation's first success status. */
export function successStatus(op: Operation): number {
  return SUCCESS.find((s) => s in op.spec.responses) ?? 200;
}

/** Fastify's route schema for an operation: validation of params, query and body; responses for the docs. */
export function fastifySchema(op: Operation): FastifySchema & Record<string, unknown> {
  const s: OperationSpec = op.spec;
  return {
    operationId: s.operationId,
    summary: s.summary,
    ...(s.description ? { description: s.description } : {}),
    tags: [s.tag],
    ...(s.params ? { params: s.params } : {}),
    // The native API refuses fields it does not know (a typo is an error, never a silent drop); MLflow's and the
    // Open Inference Protocol's routes ignore them, as those protocols do.
    ...(s.query ? { querystring: s.style === 'native' ? strict(s.query) : s.query } : {}),
    ...(s.body ? { body: s.style === 'native' ? strict(s.body) : s.body } : {}),
    response: op.responses,
    ...(s.access === 'public' ? { security: [] } : {}),
  };
}

interface RouteConfig {
  op?: Operation;
}

/** Registers the OpenAPI generator; call before any route is added, so every route is seen. */
export async function installOpenApi(app: FastifyInstance, version: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Ferry API',
        version,
        description:
          "Ferry's HTTP API: experiment tracking and the model registry (MLflow's REST API under /api/2.0), " +
          'serving (JSON records and the Open Inference Protocol under /v2), the prediction log, monitoring, alerts and data (/api/v1). ' +
          'Send `Authorization: Bearer <token>`; basic auth (a user and password, or a token as the password) works too.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'A Ferry token (what MLFLOW_TRACKING_TOKEN sends)' } } },
      security: [{ bearer: [] }],
    },
    // A body that is not JSON (an uploaded file) is documented from the contract; Fastify never validates it.
    transform: ({ schema, url, route }) => {
      const op = (route.config as RouteConfig | undefined)?.op;
      if (!op?.spec.rawBody) return { schema, url };
      return { schema: { ...schema, body: { description: op.spec.rawBody.description, content: op.spec.rawBody.content } } as FastifySchema, url };
    },
    // The contract is JSON Schema draft 7 (what Ajv validates); the document is OpenAPI 3.1 (JSON Schema 2020-12).
    transformObject: (doc) => withRequestIds(toJsonSchema202012('openapiObject' in doc ? doc.openapiObject : doc.swaggerObject)),
  });
}

const REQUEST_ID = {
  description:
    "The request's id, in the logs and as a prediction's request_id: the caller's when it sent a usable one (1–200 visible ASCII characters, no spaces), else a new UUIDv7.",
  schema: { type: 'string', minLength: 1, maxLength: 200 },
};

/** Every operation takes an optional X-Request-Id and every answer carries one (src/server/request-id.ts). */
function withRequestIds<T>(doc: T): T {
  const paths = (doc as { paths?: Record<string, Record<string, { parameters?: object[]; responses?: Record<string, { headers?: object }> }>> }).paths ?? {};
  for (const ops of Object.values(paths)) {
    for (const op of Object.values(ops)) {
      if (!op || typeof op !== 'object' || !op.responses) continue;
      op.parameters = [...(op.parameters ?? []), { name: 'X-Request-Id', in: 'header', required: false, ...REQUEST_ID }];
      for (const res of Object.values(op.responses)) res.headers = { ...res.headers, 'X-Request-Id': REQUEST_ID };
    }
  }
  return doc;
}

/** Values that are data, not schemas: an `items` inside them is not a keyword. */
const DATA_KEYWORDS = new Set(['const', 'default', 'enum', 'example', 'examples']);

/**
 * A copy of the document with the draft-7 spellings that mean something else in JSON Schema 2020-12
 * rewritten: a tuple (TypeBox's `items: [..]` with `additionalItems`) becomes `prefixItems`, with `items` for
 * the rest. Generators and fuzzers reject an array-valued `items` in a 3.1 document as an invalid schema.
 * A copy, because the contract's own schema objects are what Ajv and the contract check go on using.
 */
export function toJsonSchema202012<T>(node: T, keysAreNames = false): T {
  if (Array.isArray(node)) return node.map((x: unknown) => toJsonSchema202012(x)) as T;
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
    // Under `properties` the keys are field names (a field may be called `default`), and each value a schema.
    out[k] = !keysAreNames && DATA_KEYWORDS.has(k) ? v : toJsonSchema202012(v, !keysAreNames && k === 'properties');
  }
  if (!keysAreNames && Array.isArray(out['items'])) {
    out['prefixItems'] = out['items'];
    delete out['items'];
    if ('additionalItems' in out) out['items'] = out['additionalItems'];
    delete out['additionalItems'];
  }
  return out as T;
}

/** Public routes: the OpenAPI document and the API reference. */
export async function registerApiDocs(app: FastifyInstance): Promise<void> {
  app.get('/openapi.json', { config: { public: true, style: 'native' } as object, schema: { hide: true } }, async () => app.swagger());
  await app.register(async (scope) => {
    // The reference's pages and assets are public like the document they render.
    scope.addHook('onRoute', (r) => {
      r.config = { ...(r.config as object), public: true, style: 'native' } as typeof r.config;
    });
    await scope.register(swaggerUi, {
      routePrefix: '/docs',
      uiConfig: { docExpansion: 'none', deepLinking: true, persistAuthorization: false, tryItOutEnabled: false },
      staticCSP: true,
    });
  });
}
