import Fastify from 'fastify';
import { Counter, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { registerApiRoutes } from './api-routes.js';
import { installContractCheck } from './contract-check.js';
import { installErrorHandling } from './error-handler.js';
import { serverRoutes } from './server-routes.js';

/** The server's routes on a bare app with the contract check on, over a store that answers or not. */
async function appWith(storeAnswers: boolean) {
  const app = Fastify({ logger: false });
  installErrorHandling(app);
  const violations = installContractCheck(app);
  app.decorateRequest('principal', null as never);
  const metrics = new Registry();
  new Counter({ name: 'ferry_test_total', help: 'a test counter', registers: [metrics] }).inc(3);
  const ping = async () => {
    if (!storeAnswers) throw new Error('connection refused');
  };
  registerApiRoutes(app, serverRoutes({ ping, version: '9.9.9', metrics }));
  await app.ready();
  return { app, violations };
}

describe('the server routes', () => {
  it('answer the probes, server-info and metrics as their contract says', async () => {
    const { app, violations } = await appWith(true);
    expect((await app.inject({ url: '/health' })).json()).toEqual({ status: 'ok' });
    expect((await app.inject({ url: '/ready' })).json()).toEqual({ status: 'ready' });
    expect((await app.inject({ url: '/v2/health/live' })).json()).toEqual({ live: true });
    expect((await app.inject({ url: '/v2/health/ready' })).json()).toEqual({ ready: true });
    expect((await app.inject({ url: '/api/2.0/mlflow/server-info' })).json()).toEqual({ version: '9.9.9', server: 'ferry' });
    const metrics = await app.inject({ url: '/metrics' });
    expect(metrics.statusCode).toBe(200);
    expect(metrics.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(metrics.body).toContain('ferry_test_total 3');
    expect(violations).toEqual([]);
  });

  it('answer 503 from both readiness probes when the store does not answer, with declared bodies', async () => {
    const { app, violations } = await appWith(false);
    const ready = await app.inject({ url: '/ready' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toEqual({ status: 'unavailable', detail: 'The metadata store does not answer.' });
    const v2 = await app.inject({ url: '/v2/health/ready' });
    expect(v2.statusCode).toBe(503);
    expect(v2.json()).toEqual({ ready: false });
    // Liveness does not depend on the store.
    expect((await app.inject({ url: '/health' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/v2/health/live' })).statusCode).toBe(200);
    expect(violations).toEqual([]);
  });
});
