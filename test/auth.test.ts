import { describe, expect, it } from 'vitest';
import { startTestApp, useTestApp } from './support/app.js';
import { forEachStore } from './support/stores.js';

describe('auth on every route', () => {
  const t = useTestApp('sqlite');

  it('refuses an anonymous call on every registered route except the health probes, the API description and signed project links', async () => {
    const routes = t.app.ferry.routes.filter((r) => r.method !== 'HEAD');
    expect(routes.length).toBeGreaterThan(60);
    // The health probes, the API description and its browsable reference (/docs and its assets) are public; and a
    // job's or project's zip, whose signed URL is its credential (test/jobs/ checks an unsigned or expired one is refused).
    const open = routes
      .filter((r) => r.public && !r.url.startsWith('/docs'))
      .map((r) => r.url)
      .sort();
    expect(open).toEqual([
      '/api/v1/jobs/:job_id/source.zip',
      '/api/v1/jobs/projects/:digest/source.zip',
      '/health',
      '/openapi.json',
      '/ready',
      '/v2/health/live',
      '/v2/health/ready',
    ]);
    expect(routes.filter((r) => r.url.startsWith('/docs') && !r.public)).toEqual([]);
    for (const r of routes.filter((x) => !x.public)) {
      const url = r.url.replace(/:(\w+)/g, 'x').replace('*', 'some/file.txt');
      const res = await t.app.inject({ method: r.method as 'GET', url, payload: ['GET', 'DELETE'].includes(r.method) ? undefined : {} });
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(401);
    }
  });

  it('refuses a wrong token and a wrong basic password with 401', async () => {
    const bad = await t.app.inject({ method: 'GET', url: '/api/2.0/mlflow/experiments/search', headers: { authorization: 'Bearer fry_wrong' } });
    expect(bad.statusCode).toBe(401);
    expect(bad.json()).toMatchObject({ error_code: 'UNAUTHENTICATED' });
    const basic = Buffer.from('admin:nope').toString('base64');
    const res = await t.app.inject({ method: 'GET', url: '/api/2.0/mlflow/experiments/search', headers: { authorization: `Basic ${basic}` } });
    expect(res.statusCode).toBe(401);
  });

  it('enforces roles: a viewer reads but cannot write; an editor cannot manage tokens', async () => {
    const viewer = (await t.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: t.auth, payload: { name: 'v', role: 'viewer' } })).json() as {
      token: string;
    };
    const editor = (await t.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: t.auth, payload: { name: 'e', role: 'editor' } })).json() as {
      token: string;
    };
    const asViewer = { authorization: `Bearer ${viewer.token}` };
    expect((await t.app.inject({ method: 'GET', url: '/api/2.0/mlflow/experiments/search', headers: asViewer })).statusCode).toBe(200);
    const write = await t.app.inject({ method: 'POST', url: '/api/2.0/mlflow/experiments/create', headers: asViewer, payload: { name: 'x' } });
    expect(write.statusCode).toBe(403);
    expect(write.json()).toMatchObject({ error_code: 'PERMISSION_DENIED' });
    const asEditor = { authorization: `Bearer ${editor.token}` };
    expect((await t.app.inject({ method: 'POST', url: '/api/2.0/mlflow/experiments/create', headers: asEditor, payload: { name: 'x' } })).statusCode).toBe(200);
    const tok = await t.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: asEditor, payload: { name: 'y', role: 'admin' } });
    expect(tok.statusCode).toBe(403);
    expect(tok.json()).toMatchObject({ status: 403, code: 'PERMISSION_DENIED' });
  });

  it('revoked tokens stop working; token secrets are stored hashed and never listed', async () => {
    const created = (await t.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: t.auth, payload: { name: 'tmp', role: 'viewer' } })).json() as {
      token: string;
      token_id: string;
    };
    const h = { authorization: `Bearer ${created.token}` };
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/whoami', headers: h })).json()).toMatchObject({ name: 'tmp', role: 'viewer' });
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/tokens', headers: t.auth });
    expect(list.body).not.toContain(created.token);
    const rows = await t.store.db.selectFrom('tokens').select('token_hash').execute();
    expect(rows.map((r) => r.token_hash)).not.toContain(created.token);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/tokens/${created.token_id}`, headers: t.auth })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/whoami', headers: h })).statusCode).toBe(401);
  });

  it('refuses to revoke the token the request came with, or delete the user it is signed in as; another admin can', async () => {
    const admin2 = (await t.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: t.auth, payload: { name: 'admin2', role: 'admin' } })).json() as {
      token: string;
      token_id: string;
    };
    const as2 = { authorization: `Bearer ${admin2.token}` };
    const self = await t.app.inject({ method: 'DELETE', url: `/api/v1/tokens/${admin2.token_id}`, headers: as2 });
    expect(self.statusCode).toBe(400);
    expect(self.json()).toMatchObject({ code: 'INVALID_STATE' });
    expect(self.json().detail).toContain('another admin credential');
    // The same token sent as a basic-auth password is still itself.
    const viaBasic = { authorization: `Basic ${Buffer.from(`x:${admin2.token}`).toString('base64')}` };
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/tokens/${admin2.token_id}`, headers: viaBasic })).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/whoami', headers: as2 })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/tokens/${admin2.token_id}`, headers: t.auth })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/whoami', headers: as2 })).statusCode).toBe(401);

    const boss = (await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: t.auth, payload: { username: 'boss', role: 'admin' } })).json() as {
      password: string;
    };
    const asBoss = { authorization: `Basic ${Buffer.from(`boss:${boss.password}`).toString('base64')}` };
    const selfDelete = await t.app.inject({ method: 'DELETE', url: '/api/v1/users/boss', headers: asBoss });
    expect(selfDelete.statusCode).toBe(400);
    expect(selfDelete.json()).toMatchObject({ code: 'INVALID_STATE' });
    expect((await t.app.inject({ method: 'DELETE', url: '/api/v1/users/boss', headers: t.auth })).statusCode).toBe(200);
  });

  it('basic auth works with a user password and with a token as the password', async () => {
    const user = (await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: t.auth, payload: { username: 'alice', role: 'editor' } })).json() as {
      password: string;
    };
    expect(user.password.length).toBeGreaterThanOrEqual(20);
    const basic = (u: string, p: string) => ({ authorization: `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}` });
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/whoami', headers: basic('alice', user.password) })).json()).toMatchObject({
      name: 'alice',
      role: 'editor',
      kind: 'user',
    });
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/whoami', headers: basic('anyone', t.adminToken) })).json()).toMatchObject({ role: 'admin' });
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/whoami', headers: basic('alice', 'wrong') })).statusCode).toBe(401);
  });

  it('answers an unknown route with 404 for any signed-in role (401 when anonymous)', async () => {
    const viewer = (await t.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: t.auth, payload: { name: 'v2', role: 'viewer' } })).json() as {
      token: string;
    };
    const res = await t.app.inject({ method: 'GET', url: '/api/3.0/mlflow/server-info', headers: { authorization: `Bearer ${viewer.token}` } });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error_code: 'ENDPOINT_NOT_FOUND' });
    expect((await t.app.inject({ method: 'GET', url: '/api/2.0/mlflow/nothing' })).statusCode).toBe(401);
  });

  it('rejects a Host header that is not allowed (DNS rebinding)', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/2.0/mlflow/experiments/search', headers: { ...t.auth, host: 'evil.example:5050' } });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ error_code: 'HOST_NOT_ALLOWED' });
    const ok = await t.app.inject({ method: 'GET', url: '/health', headers: { host: '127.0.0.1:5050' } });
    expect(ok.statusCode).toBe(200);
  });

  it('answers health probes sent to a pod IP (kubelet), and nothing else at that Host', async () => {
    const podIp = { host: '10.244.1.17:5050' };
    for (const url of ['/health', '/ready', '/v2/health/live', '/v2/health/ready']) {
      const res = await t.app.inject({ method: 'GET', url, headers: podIp });
      expect(res.statusCode, url).toBe(200);
    }
    for (const url of ['/api/v1/whoami', '/openapi.json', '/metrics', '/api/2.0/mlflow/experiments/search', '/health/../api/v1/whoami']) {
      const res = await t.app.inject({ method: 'GET', url, headers: { ...t.auth, ...podIp } });
      expect(res.statusCode, url).toBe(403);
      expect(res.body, url).toContain('HOST_NOT_ALLOWED');
    }
    const post = await t.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: { ...t.auth, ...podIp }, payload: { name: 'x' } });
    expect(post.statusCode).toBe(403);
  });

  it('audits every write and every artifact download, with who, what, when and from where', async () => {
    await t.app.inject({ method: 'POST', url: '/api/2.0/mlflow/experiments/create', headers: t.auth, payload: { name: 'audited' } });
    await t.app.inject({
      method: 'PUT',
      url: '/api/2.0/mlflow-artifacts/artifacts/1/a.txt',
      headers: { ...t.auth, 'content-type': 'text/plain' },
      payload: 'hello',
    });
    await t.app.inject({ method: 'GET', url: '/api/2.0/mlflow-artifacts/artifacts/1/a.txt', headers: t.auth });
    await new Promise((r) => setTimeout(r, 50)); // audit rows are written after the response
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/audit?limit=10', headers: t.auth });
    const entries = (res.json() as { entries: { action: string; actor: string; ip: string; path: string; ts: number }[] }).entries;
    expect(entries.map((e) => e.action)).toEqual(
      expect.arrayContaining(['POST /api/2.0/mlflow/experiments/create', 'PUT /api/2.0/mlflow-artifacts/artifacts/*', 'artifact.read']),
    );
    const read = entries.find((e) => e.action === 'artifact.read')!;
    expect(read).toMatchObject({ actor: 'admin', ip: '127.0.0.1', path: '/api/2.0/mlflow-artifacts/artifacts/1/a.txt' });
    expect(read.ts).toBeGreaterThan(Date.now() - 60_000);
  });
});

describe('--insecure-no-auth', () => {
  it('lets anonymous callers through as admin', async () => {
    const t = await startTestApp('sqlite', { insecureNoAuth: true });
    const res = await t.app.inject({ method: 'POST', url: '/api/2.0/mlflow/experiments/create', payload: { name: 'open' } });
    expect(res.statusCode).toBe(200);
    await t.close();
  });
});

forEachStore('the audit log', (kind) => {
  const t = useTestApp(kind);

  it('pages from any audit id or time the contract takes, and refuses bounds no id or time can reach (the fuzzer found a 500 on PostgreSQL)', async () => {
    await t.app.inject({ method: 'POST', url: '/api/2.0/mlflow/experiments/create', headers: t.auth, payload: { name: 'audited-bounds' } });
    await new Promise((r) => setTimeout(r, 50)); // audit rows are written after the response
    const top = await t.app.inject({ method: 'GET', url: '/api/v1/audit?before=2147483647&since=0', headers: t.auth });
    expect(top.statusCode).toBe(200);
    expect(top.json().entries.length).toBeGreaterThan(0);
    for (const q of ['before=1149330199366', 'since=1e300', `since=${2 ** 64}`]) {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/audit?${q}`, headers: t.auth });
      expect(res.statusCode, q).toBe(400);
      expect(res.json().errors[0].field, q).toBe(q.split('=')[0]);
    }
  });
});
