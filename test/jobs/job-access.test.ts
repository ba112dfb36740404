/**
 * Who may do what with jobs, what is audited, and what stays secret: roles (viewers read, editors submit and
 * cancel their own, admins cancel any and alone configure executors), the audit log of every submit and
 * cancel, executor tokens (never returned, only ciphertext at rest), the per-job token (editor rights, revoked
 * at the end, never written by Ferry: not in the log, the API, the server's log output or its data dir), the
 * job's environment (none of the server's secrets), and the signed source URL.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import yauzl from 'yauzl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { LocalArtifactStore } from '../../src/artifacts/index.js';
import { loadConfig } from '../../src/config.js';
import type { Store } from '../../src/store/index.js';
import { forEachStore, freshStore, type StoreHandle } from '../support/stores.js';
import { fullLog, HAVE_VENV, VENV_BIN, waitForJob, zipOf } from './support.js';

const MLPROJECT = `name: access
entry_points:
  sleep:
    command: "python -c 'import time; time.sleep(60)'"
  probe:
    parameters:
      out: path
    command: "python probe.py {out}"
`;
// Writes what it sees to a file the test reads (never to stdout: a job printing its own token is its business,
// and this test is about what Ferry writes), and prints what its token may do.
const PROBE = `import json, os, sys, urllib.request, urllib.error
tok = os.environ['MLFLOW_TRACKING_TOKEN']
with open(sys.argv[1], 'w') as f:
    json.dump(dict(os.environ), f)
def call(path):
    req = urllib.request.Request(os.environ['MLFLOW_TRACKING_URI'] + path, headers={'Authorization': 'Bearer ' + tok})
    try:
        with urllib.request.urlopen(req) as r:
            return [r.status, json.loads(r.read())]
    except urllib.error.HTTPError as e:
        return [e.code, None]
print('WHOAMI=' + json.dumps(call('/api/v1/whoami'), separators=(',', ':')), flush=True)
print('TOKENS=' + json.dumps(call('/api/v1/tokens')[0]), flush=True)
`;

const TERMINAL = ['succeeded', 'failed', 'cancelled'];

/** Every file under a folder, with its bytes. */
function filesUnder(dir: string): { path: string; data: Buffer }[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => ({ path: join(e.parentPath, e.name), data: readFileSync(join(e.parentPath, e.name)) }));
}

function zipNames(buf: Buffer): Promise<string[]> {
  return new Promise((resolve, reject) =>
    yauzl.fromBuffer(buf, { lazyEntries: false }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error('no zip'));
      const names: string[] = [];
      zip.on('entry', (e: yauzl.Entry) => names.push(e.fileName));
      zip.on('end', () => resolve(names));
      zip.on('error', reject);
    }),
  );
}

forEachStore('job access and secrets', (kind) => {
  describe.skipIf(!HAVE_VENV)('roles, audit, secrets', () => {
    let app: FastifyInstance;
    let store: Store;
    let handle: StoreHandle;
    let dataDir: string;
    const scratch = mkdtempSync(join(tmpdir(), 'ferry-access-'));
    const serverLog: string[] = [];
    const tokens: Record<'admin' | 'viewer' | 'alice' | 'bob', string> = { admin: '', viewer: '', alice: '', bob: '' };
    const fakeSecret = `fake-secret-${randomBytes(12).toString('hex')}`;
    const envAdminToken = `ferry-admin-${randomBytes(12).toString('hex')}`;
    const savedEnv: Record<string, string | undefined> = {};
    let digest = '';

    const as = async (who: keyof typeof tokens, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) => {
      const res = await app.inject({ method, url, headers: { authorization: `Bearer ${tokens[who]}` }, ...(payload ? { payload } : {}) });
      return { status: res.statusCode, body: res.json(), text: res.body };
    };
    const adminView = { call: (m: 'GET', url: string) => as('admin', m, url) } as never;

    beforeAll(async () => {
      // The server's environment holds secrets a job must not inherit.
      const env = {
        FERRY_JOBS_POLL_MS: '100',
        FERRY_JOBS_LEASE_SECONDS: '5',
        FERRY_JOBS_LOCAL_CONCURRENCY: '1',
        PATH: `${VENV_BIN}:${process.env['PATH']}`,
        FAKE_SECRET: fakeSecret,
        FERRY_ADMIN_TOKEN: envAdminToken,
      };
      for (const [k, v] of Object.entries(env)) {
        savedEnv[k] = process.env[k];
        process.env[k] = v;
      }
      handle = await freshStore(kind);
      store = await handle.open();
      dataDir = mkdtempSync(join(tmpdir(), 'ferry-app-'));
      const config = loadConfig({ dataDir, store: handle.url, insecureNoAuth: false }, {});
      // The server's own logger settings, at its most talkative level, written where the test can read them.
      const stream = new Writable({
        write(chunk: Buffer, _enc, done) {
          serverLog.push(chunk.toString('utf8'));
          done();
        },
      });
      app = await buildApp({
        config,
        store,
        artifacts: new LocalArtifactStore(join(dataDir, 'artifacts')),
        logger: { level: 'trace', redact: ['req.headers.authorization'], stream },
        contractCheck: true,
      });
      const auth = app.ferry.auth;
      tokens.admin = (await auth.createToken('admin', 'admin', 'test')).token;
      tokens.viewer = (await auth.createToken('viewer1', 'viewer', 'test')).token;
      tokens.alice = (await auth.createToken('alice', 'editor', 'test')).token;
      tokens.bob = (await auth.createToken('bob', 'editor', 'test')).token;
      const address = await app.listen({ host: '127.0.0.1', port: 0 });
      app.ferry.jobs.start(address);
      const zip = await zipOf({ MLproject: MLPROJECT, 'probe.py': PROBE });
      const up = await app.inject({ method: 'POST', url: '/api/v1/jobs/projects', headers: { authorization: `Bearer ${tokens.alice}` }, payload: zip });
      expect(up.statusCode).toBe(201);
      digest = up.json().project.digest;
    }, 60_000);

    afterAll(async () => {
      await app?.close();
      await store?.close();
      await handle?.cleanup();
      for (const [k, v] of Object.entries(savedEnv)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
      rmSync(scratch, { recursive: true, force: true });
    });

    const jobIds: Record<string, string> = {};

    it('viewers read jobs but cannot upload, submit or cancel', async () => {
      const a1 = await as('alice', 'POST', '/api/v1/jobs', { project: digest, entry_point: 'sleep' });
      expect(a1.status).toBe(201);
      jobIds['a1'] = a1.body.job.job_id;
      const id = jobIds['a1']!;
      expect((await as('viewer', 'GET', '/api/v1/jobs')).body.jobs.map((j: any) => j.job_id)).toContain(id);
      expect((await as('viewer', 'GET', `/api/v1/jobs/${id}`)).status).toBe(200);
      expect((await as('viewer', 'GET', `/api/v1/jobs/${id}/logs`)).status).toBe(200);
      expect((await as('viewer', 'GET', `/api/v1/jobs/projects/${digest}`)).status).toBe(200);
      expect((await as('viewer', 'GET', '/api/v1/executors')).status).toBe(200);
      const upload = await app.inject({
        method: 'POST',
        url: '/api/v1/jobs/projects',
        headers: { authorization: `Bearer ${tokens.viewer}` },
        payload: await zipOf({ MLproject: MLPROJECT }),
      });
      expect(upload.statusCode).toBe(403);
      expect((await as('viewer', 'POST', '/api/v1/jobs', { project: digest, entry_point: 'sleep' })).status).toBe(403);
      expect((await as('viewer', 'POST', `/api/v1/jobs/${id}/cancel`, {})).status).toBe(403);
      expect((await as('viewer', 'GET', `/api/v1/jobs/${id}`)).body.job.cancel_requested).toBe(false);
    });

    it("editors cancel their own jobs, not others'; admins cancel any", async () => {
      const a2 = await as('alice', 'POST', '/api/v1/jobs', { project: digest, entry_point: 'sleep' });
      const b1 = await as('bob', 'POST', '/api/v1/jobs', { project: digest, entry_point: 'sleep' });
      jobIds['a2'] = a2.body.job.job_id;
      jobIds['b1'] = b1.body.job.job_id;
      const bobOnAlice = await as('bob', 'POST', `/api/v1/jobs/${jobIds['a1']}/cancel`, {});
      expect(bobOnAlice.status).toBe(403);
      expect(bobOnAlice.body.detail).toContain("submitted by 'alice'");
      expect((await as('alice', 'POST', `/api/v1/jobs/${jobIds['b1']}/cancel`, {})).status).toBe(403);
      expect((await as('bob', 'GET', `/api/v1/jobs/${jobIds['a1']}`)).body.job.cancel_requested).toBe(false);
      expect((await as('alice', 'POST', `/api/v1/jobs/${jobIds['a1']}/cancel`, {})).status).toBe(200);
      expect((await as('admin', 'POST', `/api/v1/jobs/${jobIds['b1']}/cancel`, {})).status).toBe(200);
      expect((await as('admin', 'POST', `/api/v1/jobs/${jobIds['a2']}/cancel`, {})).status).toBe(200);
      for (const k of ['a1', 'a2', 'b1']) expect((await waitForJob(adminView, jobIds[k]!, TERMINAL, 30_000)).state).toBe('cancelled');
    }, 60_000);

    it('only admins create, change or delete executors', async () => {
      const body = { kind: 'local', enabled: false };
      for (const who of ['viewer', 'alice'] as const) {
        expect((await as(who, 'PUT', '/api/v1/executors/extra', body)).status).toBe(403);
      }
      expect((await as('admin', 'PUT', '/api/v1/executors/extra', body)).status).toBe(200);
      for (const who of ['viewer', 'alice'] as const) {
        expect((await as(who, 'PUT', '/api/v1/executors/extra', { kind: 'local', enabled: true })).status).toBe(403);
        expect((await as(who, 'DELETE', '/api/v1/executors/extra')).status).toBe(403);
      }
      expect((await as('admin', 'GET', '/api/v1/executors/extra')).body.executor.enabled).toBe(false);
      expect((await as('admin', 'DELETE', '/api/v1/executors/extra')).status).toBe(200);
      expect((await as('admin', 'GET', '/api/v1/executors/extra')).status).toBe(404);
    });

    it('audits every submit and cancel, refused ones too', async () => {
      const want = [
        { actor: 'alice', action: 'POST /api/v1/jobs', status: 201 },
        { actor: 'bob', action: 'POST /api/v1/jobs', status: 201 },
        { actor: 'viewer1', action: 'POST /api/v1/jobs', status: 403 },
        { actor: 'viewer1', action: 'POST /api/v1/jobs/projects', status: 403 },
        { actor: 'alice', action: 'POST /api/v1/jobs/projects', status: 201 },
        { actor: 'bob', action: 'POST /api/v1/jobs/:job_id/cancel', path: `/api/v1/jobs/${jobIds['a1']}/cancel`, status: 403 },
        { actor: 'viewer1', action: 'POST /api/v1/jobs/:job_id/cancel', path: `/api/v1/jobs/${jobIds['a1']}/cancel`, status: 403 },
        { actor: 'alice', action: 'POST /api/v1/jobs/:job_id/cancel', path: `/api/v1/jobs/${jobIds['a1']}/cancel`, status: 200 },
        { actor: 'admin', action: 'POST /api/v1/jobs/:job_id/cancel', path: `/api/v1/jobs/${jobIds['b1']}/cancel`, status: 200 },
        { actor: 'admin', action: 'POST /api/v1/jobs/:job_id/cancel', path: `/api/v1/jobs/${jobIds['a2']}/cancel`, status: 200 },
        { actor: 'admin', action: 'PUT /api/v1/executors/:name', status: 200 },
        { actor: 'alice', action: 'PUT /api/v1/executors/:name', status: 403 },
      ];
      // The audit row is written as the answer goes out: wait for it rather than race it.
      await expect
        .poll(async () => (await as('admin', 'GET', '/api/v1/audit?limit=1000')).body.entries)
        .toEqual(expect.arrayContaining(want.map((w) => expect.objectContaining(w))));
      const entries = (await as('admin', 'GET', '/api/v1/audit?limit=1000')).body.entries as any[];
      expect(entries.filter((e) => e.action === 'POST /api/v1/jobs' && e.status === 201)).toHaveLength(3);
      expect(entries.filter((e) => e.action === 'POST /api/v1/jobs/:job_id/cancel' && e.status === 200)).toHaveLength(3);
    });

    it('never returns an executor token, and stores it only sealed', async () => {
      const secret = `s3cret-${randomBytes(16).toString('hex')}`;
      const put = await as('admin', 'PUT', '/api/v1/executors/ray-a', { kind: 'ray', address: 'http://127.0.0.1:9', token: secret, enabled: false });
      expect(put.status).toBe(200);
      expect(put.body.executor.has_token).toBe(true);
      // Changing another setting without the token keeps it.
      const again = await as('admin', 'PUT', '/api/v1/executors/ray-a', { kind: 'ray', address: 'http://127.0.0.1:10', enabled: false });
      expect(again.body.executor.has_token).toBe(true);
      const answers = [
        put.text,
        again.text,
        (await as('admin', 'GET', '/api/v1/executors/ray-a')).text,
        (await as('admin', 'GET', '/api/v1/executors')).text,
        (await as('viewer', 'GET', '/api/v1/executors')).text,
        (await as('admin', 'GET', '/api/v1/audit?limit=1000')).text,
        (await app.inject({ url: '/openapi.json' })).body,
      ];
      for (const a of answers) expect(a).not.toContain(secret);
      const row = await store.db.selectFrom('job_executors').selectAll().where('name', '=', 'ray-a').executeTakeFirstOrThrow();
      expect(row.secrets).toMatch(/^v1\./);
      for (const enc of [secret, Buffer.from(secret).toString('base64'), Buffer.from(secret).toString('base64url'), Buffer.from(secret).toString('hex')]) {
        expect(JSON.stringify(row)).not.toContain(enc);
      }
      // The sealed value opens to it with the server's key (it is the token, not a placeholder).
      expect((await app.ferry.jobs.executors.settings('ray-a')).token).toBe(secret);
      expect(serverLog.join('')).not.toContain(secret);
    });

    it("gives a job an editor token of its own, revokes it at the end, and never writes it; the job sees none of the server's secrets", async () => {
      const out = join(scratch, 'probe.json');
      const sub = await as('alice', 'POST', '/api/v1/jobs', { project: digest, entry_point: 'probe', parameters: { out } });
      expect(sub.status).toBe(201);
      const id = sub.body.job.job_id as string;
      jobIds['probe'] = id;
      const job = await waitForJob(adminView, id, TERMINAL, 60_000);
      const log = await fullLog(adminView, id);
      expect(job.state, log).toBe('succeeded');
      const seen = JSON.parse(readFileSync(out, 'utf8')) as Record<string, string>;
      const token = seen['MLFLOW_TRACKING_TOKEN']!;
      expect(token.length).toBeGreaterThan(20);

      // Editor rights, in the job's own name; not admin.
      expect(log).toContain(`WHOAMI=${JSON.stringify([200, { name: id, role: 'editor', kind: 'token' }])}`);
      expect(log).toContain('TOKENS=403');
      // Revoked once the job ended.
      const after = await app.inject({ url: '/api/v1/whoami', headers: { authorization: `Bearer ${token}` } });
      expect(after.statusCode).toBe(401);

      // The server's secrets stayed with the server.
      expect(Object.keys(seen)).not.toContain('FAKE_SECRET');
      expect(Object.keys(seen)).not.toContain('FERRY_ADMIN_TOKEN');
      for (const v of Object.values(seen)) {
        expect(v).not.toContain(fakeSecret);
        expect(v).not.toContain(envAdminToken);
        for (const t of Object.values(tokens)) expect(v).not.toContain(t);
      }
      expect(seen['MLFLOW_RUN_ID']).toBe(job.run_id);
      expect(seen['FERRY_JOB_ID']).toBe(id);

      // Never written by Ferry: not in the log, the API's answers, the run, the server's log, nor any file of its data dir.
      const texts = [
        log,
        (await as('admin', 'GET', `/api/v1/jobs/${id}`)).text,
        (await as('admin', 'GET', '/api/v1/jobs')).text,
        (await as('admin', 'GET', `/api/v1/jobs/${id}/logs`)).text,
        (await as('admin', 'GET', `/api/2.0/mlflow/runs/get?run_id=${job.run_id}`)).text,
        (await as('admin', 'GET', '/api/v1/tokens')).text,
        (await as('admin', 'GET', '/api/v1/audit?limit=1000')).text,
        serverLog.join(''),
      ];
      for (const text of texts) expect(text).not.toContain(token);
      // Nor in the store (only its hash is kept), whichever store this is.
      for (const table of ['tokens', 'jobs', 'job_log_chunks', 'audit_log'] as const) {
        const rows = await store.db.selectFrom(table).selectAll().execute();
        expect(
          JSON.stringify(rows, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)),
          table,
        ).not.toContain(token);
      }
      expect(serverLog.join('')).toContain(id);
      // The log artifact is written just after the job is marked ended.
      await expect.poll(() => filesUnder(dataDir).some((f) => f.path.endsWith(join('ferry-job', 'job.log')))).toBe(true);
      const files = filesUnder(dataDir);
      for (const f of files) expect(f.data.includes(token), f.path).toBe(false);
    }, 90_000);

    it('serves the source zip only on a valid, unexpired signature', async () => {
      const id = jobIds['probe']!;
      const other = jobIds['a1']!;
      const service = app.ferry.jobs.service;
      const get = (query: string) => app.inject({ url: `/api/v1/jobs/${id}/source.zip${query}` });
      const good = service.signSource(id, 60_000);
      const expired = service.signSource(id, -60_000);
      const otherJob = service.signSource(other, 60_000);
      const flip = (s: string) => (s[0] === 'A' ? 'B' : 'A') + s.slice(1);

      // No signature: refused by the contract before the handler (expires and signature are required).
      const unsigned = await get('');
      expect(unsigned.statusCode).toBe(400);
      expect(unsigned.headers['content-type']).not.toContain('zip');
      for (const [query, why] of [
        [`?expires=${good.expires}&signature=${flip(good.signature)}`, 'tampered'],
        [`?expires=${good.expires + 1}&signature=${good.signature}`, 'expiry moved'],
        [`?expires=${expired.expires}&signature=${expired.signature}`, 'expired'],
        [`?expires=${otherJob.expires}&signature=${otherJob.signature}`, "another job's"],
        [`?expires=${good.expires}&signature=${'A'.repeat(43)}`, 'made up'],
      ] as const) {
        const res = await get(query);
        expect(res.statusCode, why).toBe(403);
        expect(res.headers['content-type'], why).not.toContain('zip');
      }
      const ok = await get(`?expires=${good.expires}&signature=${good.signature}`);
      expect(ok.statusCode).toBe(200);
      expect(ok.headers['content-type']).toContain('application/zip');
      expect(ok.rawPayload.equals(await service.projectZip(digest))).toBe(true);
      expect((await zipNames(ok.rawPayload)).sort()).toEqual(['project/MLproject', 'project/probe.py']);
    });

    it("serves a project's zip on its own signature, one URL for every job of a window", async () => {
      const service = app.ferry.jobs.service;
      const get = (d: string, query: string) => app.inject({ url: `/api/v1/jobs/projects/${d}/source.zip${query}` });
      const hour = 3600_000;
      const t = Math.floor(Date.now() / hour) * hour;
      const good = service.signProjectSource(digest, hour, t + 1000);
      // Every job of the window gets the same URL (Ray caches a working_dir by its URL); it lives one to two windows.
      expect(service.signProjectSource(digest, hour, t + hour - 1)).toEqual(good);
      expect(good.expires * 1000).toBe(t + 2 * hour);
      expect(service.signProjectSource(digest, hour, t + hour).expires).toBe(good.expires + 3600);
      const otherProject = service.signProjectSource(`sha256:${'0'.repeat(64)}`, hour);
      const expired = service.signProjectSource(digest, hour, t - 3 * hour);
      const jobs = service.signSource(jobIds['probe']!, hour);
      const flip = (s: string) => (s[0] === 'A' ? 'B' : 'A') + s.slice(1);
      expect((await get(digest, '')).statusCode).toBe(400);
      for (const [query, why] of [
        [`?expires=${good.expires}&signature=${flip(good.signature)}`, 'tampered'],
        [`?expires=${good.expires + 1}&signature=${good.signature}`, 'expiry moved'],
        [`?expires=${expired.expires}&signature=${expired.signature}`, 'expired'],
        [`?expires=${otherProject.expires}&signature=${otherProject.signature}`, "another project's"],
        [`?expires=${jobs.expires}&signature=${jobs.signature}`, "a job's signature"],
      ] as const) {
        const res = await get(digest, query);
        expect(res.statusCode, why).toBe(403);
        expect(res.headers['content-type'], why).not.toContain('zip');
      }
      const ok = await get(digest, `?expires=${good.expires}&signature=${good.signature}`);
      expect(ok.statusCode).toBe(200);
      expect(ok.headers['content-type']).toContain('application/zip');
      expect(ok.rawPayload.equals(await service.projectZip(digest))).toBe(true);
    });
  });
});
