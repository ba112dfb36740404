/**
 * The contract as Fastify sees it (route schemas) and as users see it: an OpenAPI 3.1 document at
 * /openapi.json and a browsable reference at /docs, both public (the shape of an API is not a secret),
 * served from local assets so an offline machine has them too.
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, FastifySchema } from 'fastify';
import type { Operation, OperationSpec } from '../contract/index.js';

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
    ...(s.query ? { querystring: s.query } : {}),
    ...(s.body ? { body: s.body } : {}),
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
  });
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
