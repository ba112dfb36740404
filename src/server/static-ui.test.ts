import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/support/app.js';
import { isReservedPath, registerStaticUi, resolveUiPath } from './static-ui.js';

const INDEX = '<!doctype html><title>Ferry</title><div id="root"></div>';

function uiFolder(): string {
  const root = mkdtempSync(join(tmpdir(), 'ferry-ui-'));
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'index.html'), INDEX);
  writeFileSync(join(root, 'assets', 'index-Ab12Cd.js'), 'console.log(1)');
  writeFileSync(join(root, 'assets', 'index-Ef34Gh.css'), 'body{}');
  writeFileSync(join(root, 'robots.txt'), 'User-agent: *');
  writeFileSync(join(root, '.secret'), 'no');
  return root;
}

/** A bare app with the UI hook and a stand-in auth hook that refuses everything after it. */
async function appWith(root: string, allowedHosts: readonly string[] = ['*']): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  registerStaticUi(app, { root, allowedHosts });
  app.addHook('onRequest', async (_req, reply) => reply.status(401).send({ error_code: 'UNAUTHENTICATED' }));
  app.get('/api/2.0/mlflow/experiments/search', async () => ({ experiments: [] }));
  await app.ready();
  return app;
}

describe('resolveUiPath', () => {
  const root = '/srv/ui';
  it('resolves plain paths under the root', () => {
    expect(resolveUiPath(root, '/assets/a.js')).toBe('/srv/ui/assets/a.js');
    expect(resolveUiPath(root, '/')).toBe('/srv/ui');
  });
  it('refuses traversal, dotfiles, NUL bytes, backslashes and bad encoding', () => {
    for (const p of ['/../etc/passwd', '/assets/../../x', '/%2e%2e/etc/passwd', '/.env', '/a/.git/config', '/a%00.js', '/..%5c..%5cx', '/%E0%A4%A']) {
      expect(resolveUiPath(root, p), p).toBeNull();
    }
  });
  it('knows the API paths', () => {
    for (const p of ['/api', '/api/2.0/mlflow/x', '/v2/models', '/metrics', '/health', '/ready', '/openapi.json', '/API/x'])
      expect(isReservedPath(p), p).toBe(true);
    for (const p of ['/', '/runs', '/assets/x.js', '/apis', '/healthy']) expect(isReservedPath(p), p).toBe(false);
  });
});

describe('static UI', () => {
  let root: string;
  let app: FastifyInstance;
  beforeAll(async () => {
    root = uiFolder();
    app = await appWith(root);
  });
  afterAll(async () => {
    await app.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('serves index.html at / without a token, never cached, with security headers', async () => {
    const res = await app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe(INDEX);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['content-security-policy']).not.toContain('unsafe');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('serves hashed assets with their content type and a long cache', async () => {
    const js = await app.inject({ method: 'GET', url: '/assets/index-Ab12Cd.js' });
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const css = await app.inject({ method: 'GET', url: '/assets/index-Ef34Gh.css' });
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    const txt = await app.inject({ method: 'GET', url: '/robots.txt' });
    expect(txt.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(txt.headers['cache-control']).toBe('public, max-age=300');
  });

  it('answers HEAD with headers only', async () => {
    const res = await app.inject({ method: 'HEAD', url: '/assets/index-Ab12Cd.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-length']).toBe('14');
    expect(res.body).toBe('');
  });

  it('falls back to index.html for app paths, but not for missing assets', async () => {
    const page = await app.inject({ method: 'GET', url: '/experiments/1?x=y' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toBe(INDEX);
    const missing = await app.inject({ method: 'GET', url: '/assets/gone-123.js' });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toMatch(/^text\/plain/);
  });

  it('never serves outside the folder or dotfiles', async () => {
    for (const url of [
      '/../package.json',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/%2e%2e/%2e%2e/package.json',
      '/.secret',
      '/assets/..%2f..%2f.secret',
      '/assets/%2e%2e/.secret',
    ]) {
      const res = await app.inject({ method: 'GET', url });
      // A refusal, or at most the app's own page (an extension-less path); never the file.
      if (res.statusCode === 200) expect(res.body, url).toBe(INDEX);
      else expect([401, 404], url).toContain(res.statusCode);
      expect(res.body, url).not.toMatch(/^no$|"name"/);
    }
  });

  it('leaves API paths, other methods and matched routes to the API', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/nope' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/v2/models/x' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'POST', url: '/' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/api/2.0/mlflow/experiments/search' })).statusCode).toBe(401);
  });

  it('applies the Host check', async () => {
    const strict = await appWith(root, ['localhost']);
    expect((await strict.inject({ method: 'GET', url: '/', headers: { host: 'evil.example' } })).statusCode).toBe(401);
    expect((await strict.inject({ method: 'GET', url: '/', headers: { host: 'localhost:5050' } })).statusCode).toBe(200);
    await strict.close();
  });

  it('says how to build the UI when dist/ui is missing', async () => {
    const empty = await appWith(join(root, 'does-not-exist'));
    const res = await empty.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain('npm run build');
    await empty.close();
  });
});

describe('static UI in the real app', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('sqlite');
  });
  afterAll(async () => t.close());

  it('answers / without a token (the page or the not-built note), and keeps the API closed', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/' });
    expect([200, 404]).toContain(page.statusCode);
    expect(page.headers['content-security-policy']).toBeDefined();
    const api = await t.app.inject({ method: 'GET', url: '/api/2.0/mlflow/nope' });
    expect(api.statusCode).toBe(401);
    expect(api.json()).toMatchObject({ error_code: 'UNAUTHENTICATED' });
    const authed = await t.app.inject({ method: 'GET', url: '/api/2.0/mlflow/nope', headers: t.auth });
    expect(authed.statusCode).toBe(404);
    // The UI adds no route: every registered route still needs a token (test/auth.test.ts).
    expect(t.app.ferry.routes.some((r) => r.url === '/' || r.url === '/*')).toBe(false);
  });
});
