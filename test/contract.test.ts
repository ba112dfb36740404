/**
 * The wire contract, checked from the running app: every route is described completely in /openapi.json,
 * the description and its reference are public, validation failures name the field in the route's style,
 * and the contract check catches an answer that strays from its schema.
 */
import { Type } from '@sinclair/typebox';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { route } from '../src/api-route.js';
import { defineOperation } from '../src/contract/index.js';
import { registerApiRoutes } from '../src/server/api-routes.js';
import { installContractCheck } from '../src/server/contract-check.js';
import { installErrorHandling } from '../src/server/error-handler.js';
import { useTestApp } from './support/app.js';

interface OpenApiOperation {
  operationId?: string;
  tags?: string[];
  summary?: string;
  parameters?: { name: string; in: string }[];
  requestBody?: unknown;
  responses?: Record<string, unknown>;
}

describe('the OpenAPI description', () => {
  const t = useTestApp('sqlite');

  it('is public, OpenAPI 3.1, and describes every registered route completely', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json() as {
      openapi: string;
      paths: Record<string, Record<string, OpenApiOperation>>;
      components: { securitySchemes: Record<string, unknown> };
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.securitySchemes['bearer']).toMatchObject({ type: 'http', scheme: 'bearer' });
    const problems: string[] = [];
    const ids = new Map<string, string>();
    const routes = t.app.ferry.routes.filter((r) => r.method !== 'HEAD' && !r.url.startsWith('/docs') && r.url !== '/openapi.json');
    for (const r of routes) {
      const path = r.url.replace(/:(\w+)/g, '{$1}').replace(/\*$/, '{*}');
      const op = doc.paths[path]?.[r.method.toLowerCase()];
      const name = `${r.method} ${r.url}`;
      if (!r.contract) problems.push(`${name}: not declared by a contract operation`);
      if (!op) {
        problems.push(`${name}: not in the document`);
        continue;
      }
      if (!op.operationId) problems.push(`${name}: no operationId`);
      else if (ids.has(op.operationId)) problems.push(`${name}: operationId ${op.operationId} also used by ${ids.get(op.operationId)}`);
      else ids.set(op.operationId, name);
      if (!op.tags?.length) problems.push(`${name}: no tags`);
      if (!op.summary) problems.push(`${name}: no summary`);
      const statuses = Object.keys(op.responses ?? {});
      if (!statuses.some((s) => s.startsWith('2'))) problems.push(`${name}: no success response`);
      if (!statuses.includes('400') || !statuses.includes('500')) problems.push(`${name}: error responses missing`);
      for (const p of r.url.match(/:(\w+)/g) ?? []) {
        if (!op.parameters?.some((x) => x.in === 'path' && x.name === p.slice(1))) problems.push(`${name}: path parameter ${p} undescribed`);
      }
      if (['POST', 'PUT', 'PATCH'].includes(r.method) && !op.requestBody && !r.url.startsWith('/v2/health'))
        problems.push(`${name}: no request body described`);
    }
    expect(problems).toEqual([]);
    // Every operation documents the request id it takes and echoes.
    const whoami = doc.paths['/api/v1/whoami']!['get']! as OpenApiOperation & { responses: Record<string, { headers?: Record<string, unknown> }> };
    expect(whoami.parameters).toContainEqual(expect.objectContaining({ name: 'X-Request-Id', in: 'header', required: false }));
    expect(Object.values(whoami.responses).every((r) => r.headers?.['X-Request-Id'])).toBe(true);
  });

  it('has a browsable reference at /docs, served from local assets without a token', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    // No CDN: every script and stylesheet the page loads is served by Ferry itself.
    const assets = [...page.body.matchAll(/(?:src|href)="([^"]+\.(?:js|css))"/g)].map((m) => m[1]!);
    expect(assets.length).toBeGreaterThan(0);
    for (const a of assets) {
      expect(a, a).not.toMatch(/^https?:/);
      const res = await t.app.inject({ method: 'GET', url: new URL(a, 'http://x/docs/').pathname });
      expect(res.statusCode, a).toBe(200);
    }
    const spec = await t.app.inject({ method: 'GET', url: '/docs/json' });
    expect(spec.statusCode).toBe(200);
    expect(spec.json()).toMatchObject({ openapi: '3.1.0' });
  });

  it('renders a schema validation failure in the native style, naming the field', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: t.auth, payload: { role: 'viewer' } });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ code: 'INVALID_PARAMETER_VALUE', errors: [{ field: 'name' }] });
    const role = await t.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: t.auth, payload: { name: 'x', role: 'root' } });
    expect(role.statusCode).toBe(400);
    // One problem for the field, listing what it may be (not one per literal of the union).
    expect(role.json().errors).toEqual([{ field: 'role', message: `Invalid value for parameter 'role': must be one of "viewer", "editor", "admin".` }]);
    const limit = await t.app.inject({ method: 'GET', url: '/api/v1/audit?limit=abc', headers: t.auth });
    expect(limit.statusCode).toBe(400);
    expect(limit.json()).toMatchObject({ errors: [{ field: 'limit' }] });
  });
});

describe('requests refused before any handler runs', () => {
  const t = useTestApp('sqlite');

  it('treats a null field the schema does not allow as absent, and refuses NUL anywhere, naming the field', async () => {
    const made = await t.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: t.auth, payload: { name: 'nullable', role: null } });
    expect(made.statusCode).toBe(200);
    expect(made.json()).toMatchObject({ name: 'nullable', role: 'viewer' });
    const missing = await t.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: t.auth, payload: { name: null } });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().errors[0]).toMatchObject({ field: 'name' });
    const nul = await t.app.inject({ method: 'POST', url: '/api/2.0/mlflow/experiments/create', headers: t.auth, payload: { name: 'a\u0000b' } });
    expect(nul.statusCode).toBe(400);
    expect(nul.json()).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE' });
    expect(nul.json().message).toContain("'name'");
    const query = await t.app.inject({ method: 'GET', url: '/api/v1/audit?actor=a%00b', headers: t.auth });
    expect(query.statusCode).toBe(400);
    expect(query.json().errors[0]).toMatchObject({ field: 'actor' });
  });

  it('answers an over-long path parameter with a 400 in the family style, and over-large headers with a 431 problem', async () => {
    const long = await t.app.inject({ method: 'GET', url: `/api/v1/deployments/${'a'.repeat(5000)}`, headers: t.auth });
    expect(long.statusCode).toBe(400);
    expect(long.json()).toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
    const url = await t.app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const res = await fetch(`${url}/api/v1/whoami`, { headers: { ...t.auth, 'x-padding': 'p'.repeat(20_000) } });
      expect(res.status).toBe(431);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(await res.json()).toMatchObject({ code: 'HEADERS_TOO_LARGE', status: 431 });
    } finally {
      await t.app.server.close();
    }
  });
});

describe('the contract check', () => {
  const op = defineOperation({
    method: 'GET',
    path: '/thing',
    operationId: 'getThing',
    tag: 'test',
    access: 'public',
    style: 'native',
    summary: 'A thing',
    query: Type.Object({ extra: Type.Optional(Type.Boolean()), wrong: Type.Optional(Type.Boolean()) }),
    responses: { 200: Type.Object({ name: Type.String(), tags: Type.Array(Type.Object({ key: Type.String() })) }) },
  });

  async function app() {
    const a = Fastify();
    installErrorHandling(a);
    const violations = installContractCheck(a);
    a.decorateRequest('principal', null as never);
    registerApiRoutes(a, [
      route(op, async ({ query }) => {
        if (query.extra) return { name: 'x', tags: [{ key: 'k', value: 'undeclared' }] } as never;
        if (query.wrong) return { name: 1, tags: [] } as never;
        return { name: 'x', tags: [{ key: 'k' }] };
      }),
    ]);
    return { a, violations };
  }

  it('passes a conforming answer and fails one with an undeclared field or a wrong type', async () => {
    const { a, violations } = await app();
    expect((await a.inject({ url: '/thing' })).statusCode).toBe(200);
    const extra = await a.inject({ url: '/thing?extra=true' });
    expect(extra.statusCode).toBe(500);
    expect(extra.json().detail).toContain("/tags/0 must NOT have additional properties 'value'");
    const wrong = await a.inject({ url: '/thing?wrong=true' });
    expect(wrong.statusCode).toBe(500);
    expect(wrong.json().detail).toContain('/name must be string');
    expect(violations.map((v) => v.status)).toEqual([200, 200]);
  });
});

describe('validation messages', () => {
  const t = useTestApp('sqlite');

  it('explains a pattern by its description rather than the regular expression', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/deployments',
      headers: t.auth,
      payload: { name: 'Bad_Name', routes: [{ model: 'm', version: '1' }] },
    });
    expect(res.statusCode).toBe(400);
    const problem = res.json().errors[0];
    expect(problem.field).toBe('name');
    expect(problem.message).toContain('lowercase letters, digits and dashes');
    expect(problem.message).not.toContain('^[a-z0-9]');
  });

  it('refuses a field the native API does not know (a typo is not silently dropped); MLflow routes ignore one, as MLflow does', async () => {
    const typo = await t.app.inject({
      method: 'POST',
      url: '/api/v1/deployments',
      headers: t.auth,
      payload: { name: 'typo', routes: [{ model: 'm', version: '1' }], batchng: { max_batch_size: 8 } },
    });
    expect(typo.statusCode).toBe(400);
    expect(typo.json().errors).toEqual([{ field: 'batchng', message: "Unknown parameter 'batchng'." }]);
    const nested = await t.app.inject({
      method: 'POST',
      url: '/api/v1/deployments',
      headers: t.auth,
      payload: { name: 'typo', routes: [{ model: 'm', version: '1', wieght: 3 }] },
    });
    expect(nested.json().errors[0].field).toBe('routes[0].wieght');
    const query = await t.app.inject({ method: 'GET', url: '/api/v1/audit?limt=5', headers: t.auth });
    expect(query.statusCode).toBe(400);
    expect(query.json().errors[0].field).toBe('limt');
    const mlflow = await t.app.inject({
      method: 'POST',
      url: '/api/2.0/mlflow/experiments/create',
      headers: t.auth,
      payload: { name: 'lenient', some_future_field: 1 },
    });
    expect(mlflow.statusCode).toBe(200);
  });
});
