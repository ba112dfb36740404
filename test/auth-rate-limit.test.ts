/**
 * Failed sign-ins are rate-limited per client address and per username: past the limit the caller is refused with
 * 429 and Retry-After before its credential is checked, a right password included. Real app, real store, inject().
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { LocalArtifactStore } from '../src/artifacts/index.js';
import { loadConfig } from '../src/config.js';
import type { Store } from '../src/store/index.js';
import { forEachStore, freshStore, type StoreKind } from './support/stores.js';

interface LimitedApp {
  app: FastifyInstance;
  admin: { authorization: string };
  close(): Promise<void>;
}

async function startApp(kind: StoreKind, env: Record<string, string> = {}): Promise<LimitedApp> {
  const handle = await freshStore(kind);
  const store: Store = await handle.open();
  const dir = mkdtempSync(join(tmpdir(), 'ferry-ratelimit-'));
  const app = await buildApp({
    config: loadConfig({ dataDir: dir, store: handle.url }, env),
    store,
    artifacts: new LocalArtifactStore(join(dir, 'a')),
    logger: false,
  });
  const { token } = await app.ferry.auth.createToken('admin', 'admin', 'test');
  return {
    app,
    admin: { authorization: `Bearer ${token}` },
    close: async () => {
      await app.close();
      await store.close();
      await handle.cleanup();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const basic = (u: string, p: string) => ({ authorization: `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}` });

async function whoami(app: FastifyInstance, headers: Record<string, string>, remoteAddress = '127.0.0.1') {
  return app.inject({ method: 'GET', url: '/api/v1/whoami', headers, remoteAddress });
}

async function newUser(t: LimitedApp, username: string): Promise<string> {
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: t.admin, payload: { username, role: 'viewer' } });
  expect(res.statusCode).toBe(200);
  return (res.json() as { password: string }).password;
}

forEachStore('sign-in rate limiting (defaults)', (kind) => {
  let t: LimitedApp;
  beforeAll(async () => {
    t = await startApp(kind);
  });
  afterAll(async () => t?.close());

  it('locks an address after 20 failures, for any credential, and says when to retry', async () => {
    const ip = '198.51.100.1';
    for (let i = 0; i < 20; i++) {
      const res = await whoami(t.app, { authorization: `Bearer fry_wrong_${i}` }, ip);
      expect(res.statusCode, `attempt ${i + 1}`).toBe(401);
    }
    const locked = await whoami(t.app, { authorization: 'Bearer fry_wrong_again' }, ip);
    expect(locked.statusCode).toBe(429);
    expect(locked.json()).toMatchObject({ code: 'TOO_MANY_SIGN_IN_ATTEMPTS', status: 429 });
    expect(locked.json().detail).toMatch(/from this address/);
    const retryAfter = Number(locked.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(600);
    // The admin's own token is refused from that address too: nothing is checked while it is locked.
    expect((await whoami(t.app, t.admin, ip)).statusCode).toBe(429);
    // The MLflow routes answer in MLflow's shape (its client retries 429 after Retry-After).
    const mlflow = await t.app.inject({ method: 'GET', url: '/api/2.0/mlflow/experiments/search', headers: t.admin, remoteAddress: ip });
    expect(mlflow.statusCode).toBe(429);
    expect(mlflow.json()).toMatchObject({ error_code: 'TOO_MANY_SIGN_IN_ATTEMPTS' });
    expect(mlflow.headers['retry-after']).toBeDefined();
    // Another address is not affected; a request without credentials is not a failed sign-in (401, not 429).
    expect((await whoami(t.app, t.admin, '198.51.100.2')).statusCode).toBe(200);
    expect((await whoami(t.app, {}, ip)).statusCode).toBe(401);
  });

  it('locks a username after 10 failures from anywhere, its right password included, and only that username', async () => {
    const password = await newUser(t, 'carol');
    const other = await newUser(t, 'dave');
    for (let i = 0; i < 10; i++) expect((await whoami(t.app, basic('carol', `guess-${i}`), `203.0.113.${i + 1}`)).statusCode).toBe(401);
    const locked = await whoami(t.app, basic('carol', password), '203.0.113.99');
    expect(locked.statusCode).toBe(429);
    expect(locked.json().detail).toMatch(/for this user/);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect((await whoami(t.app, basic('dave', other), '203.0.113.99')).statusCode).toBe(200);
    // The guessing addresses each failed once: they may still sign in as someone else.
    expect((await whoami(t.app, t.admin, '203.0.113.1')).statusCode).toBe(200);
  });

  it("a user's successful sign-in clears that user's failures", async () => {
    const password = await newUser(t, 'erin');
    const ip = (i: number) => `192.0.2.${i + 1}`;
    for (let i = 0; i < 9; i++) expect((await whoami(t.app, basic('erin', 'typo'), ip(i))).statusCode).toBe(401);
    expect((await whoami(t.app, basic('erin', password), ip(50))).statusCode).toBe(200);
    for (let i = 0; i < 9; i++) expect((await whoami(t.app, basic('erin', 'typo'), ip(i + 10))).statusCode).toBe(401);
    expect((await whoami(t.app, basic('erin', password), ip(51))).statusCode).toBe(200);
  });

  it('counts failures and refusals in /metrics', async () => {
    const text = (await t.app.inject({ method: 'GET', url: '/metrics', headers: t.admin })).body;
    expect(text).toMatch(/ferry_auth_failures_total\{reason="bad_token"\} (\d+)/);
    expect(Number(/ferry_auth_failures_total\{reason="bad_token"\} (\d+)/.exec(text)![1])).toBeGreaterThanOrEqual(20);
    expect(Number(/ferry_auth_failures_total\{reason="bad_password"\} (\d+)/.exec(text)![1])).toBeGreaterThanOrEqual(28);
    expect(Number(/ferry_auth_rate_limited_total\{scope="address"\} (\d+)/.exec(text)![1])).toBeGreaterThanOrEqual(3);
    expect(Number(/ferry_auth_rate_limited_total\{scope="user"\} (\d+)/.exec(text)![1])).toBe(1);
  });
});

describe('sign-in rate limiting (configured)', () => {
  it('counts the forwarded address behind a trusted proxy, and the peer otherwise', async () => {
    const limits = { FERRY_AUTH_MAX_FAILURES_PER_IP: '3' };
    const trusted = await startApp('sqlite', { ...limits, FERRY_TRUST_PROXY: '10.0.0.0/8' });
    const direct = await startApp('sqlite', limits);
    try {
      const via = (app: FastifyInstance, client: string, auth: Record<string, string>) =>
        app.inject({ method: 'GET', url: '/api/v1/whoami', headers: { ...auth, 'x-forwarded-for': client }, remoteAddress: '10.0.0.2' });
      for (let i = 0; i < 3; i++) {
        expect((await via(trusted.app, '203.0.113.7', { authorization: 'Bearer nope' })).statusCode).toBe(401);
        expect((await via(direct.app, '203.0.113.7', { authorization: 'Bearer nope' })).statusCode).toBe(401);
      }
      // Trusted: the guessing client is locked, another client behind the same proxy is not.
      expect((await via(trusted.app, '203.0.113.7', trusted.admin)).statusCode).toBe(429);
      expect((await via(trusted.app, '203.0.113.8', trusted.admin)).statusCode).toBe(200);
      // Not trusted: X-Forwarded-For is ignored, so the proxy's own address is what got locked.
      expect((await via(direct.app, '203.0.113.8', direct.admin)).statusCode).toBe(429);
    } finally {
      await trusted.close();
      await direct.close();
    }
  });

  it('0 turns a limit off', async () => {
    const t = await startApp('sqlite', { FERRY_AUTH_MAX_FAILURES_PER_IP: '0', FERRY_AUTH_MAX_FAILURES_PER_USER: '0' });
    try {
      for (let i = 0; i < 40; i++) expect((await whoami(t.app, basic('admin', 'wrong'))).statusCode).toBe(401);
      expect((await whoami(t.app, t.admin)).statusCode).toBe(200);
    } finally {
      await t.close();
    }
  });

  it('refuses a bad setting, naming it', () => {
    expect(() => loadConfig({}, { FERRY_AUTH_MAX_FAILURES_PER_IP: '-1' })).toThrow(/auth-max-failures-per-ip/);
    expect(() => loadConfig({ authMaxFailuresPerUser: 'ten' }, {})).toThrow(/auth-max-failures-per-user/);
    expect(() => loadConfig({}, { FERRY_AUTH_FAILURE_WINDOW_S: '0' })).toThrow(/auth-failure-window-s/);
    expect(loadConfig({}, {})).toMatchObject({ authMaxFailuresPerIp: 20, authMaxFailuresPerUser: 10, authFailureWindowSeconds: 600 });
  });
});
