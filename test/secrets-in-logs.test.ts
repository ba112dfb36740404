/**
 * No secret in any log line: real `ferry server` processes (SQLite and PostgreSQL) at the most verbose log level,
 * their output captured to files, go through everything that carries a credential — the admin token printed at
 * first start, tokens and users created, bearer and basic auth right and wrong, a revoked token, a sign-in lockout,
 * the mlflow client with a token and with a username and password, a webhook notifier's signing secret, a cluster
 * executor's token — then every log file is searched for every one of them, as is, URL-encoded and inside base64.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { type FerryProcess, ROOT, startFerry } from './support/ferry-process.js';
import { base64Cores, filesUnder, type Secret, scanForSecrets } from './support/secret-scan.js';
import { forEachStore, freshStore, type StoreHandle } from './support/stores.js';
import { VENV_BIN, zipOf } from './jobs/support.js';

const PYTHON = join(ROOT, '.venv', 'bin', 'python');
const secretOf = (prefix: string) => `${prefix}-${randomBytes(18).toString('base64url')}`;
/** A job that keeps the token Ferry gives it (in a file the test reads, never in its output) and logs a run with it. */
const KEEP_TOKEN_PROJECT = {
  MLproject: 'name: keep-token\nentry_points:\n  main:\n    parameters:\n      out: {type: string}\n    command: "python keep_token.py {out}"\n',
  'keep_token.py': [
    'import os, sys, mlflow',
    "open(sys.argv[1], 'w').write(os.environ['MLFLOW_TRACKING_TOKEN'])",
    'with mlflow.start_run():',
    "    mlflow.log_metric('x', 1)",
    "print('done', flush=True)",
  ].join('\n'),
};

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

async function call(url: string, authorization: string, method: string, path: string, body?: object): Promise<{ status: number; body: any }> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { authorization, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** The mlflow client logs a run with the given credentials in its environment. */
async function mlflowRun(url: string, env: Record<string, string>): Promise<void> {
  const script = [
    'import mlflow',
    "mlflow.set_experiment('secrets-check')",
    'with mlflow.start_run():',
    "    mlflow.log_param('alpha', '0.5')",
    "    mlflow.log_metric('rmse', 0.25)",
  ].join('\n');
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('MLFLOW_')));
  const child = spawn(PYTHON, ['-c', script], { env: { ...clean, MLFLOW_TRACKING_URI: url, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const code = await new Promise<number | null>((r) => child.once('close', r));
  expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
}

describe('the secret scanner', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-scan-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds a secret as is, URL-encoded, and inside any base64 text, naming the line but never showing the secret', () => {
    const password = 'pa ss/word+with=odd&chars';
    const token = 'fry_0123456789abcdefghij';
    const log = join(dir, 'a.log');
    writeFileSync(
      log,
      [
        '{"msg":"clean line"}',
        `{"headers":{"authorization":"${basic('someone', password)}"}}`,
        `{"url":"/x?p=${encodeURIComponent(password)}"}`,
        `{"blob":"${Buffer.from(`xx${token}yy`).toString('base64')}"}`,
        `plain ${token}`,
      ].join('\n'),
    );
    const found = scanForSecrets(
      [log],
      [
        { label: 'the password', value: password },
        { label: 'the token', value: token },
      ],
    );
    expect(found.map((f) => [f.line, f.label, f.form])).toEqual([
      [2, 'the password', 'base64'],
      [3, 'the password', 'url-encoded'],
      [4, 'the token', 'base64'],
      [5, 'the token', 'as is'],
    ]);
    expect(JSON.stringify(found)).not.toContain(token);
    expect(scanForSecrets([log], [{ label: 'the token', value: token }], (_f, line) => line.startsWith('plain'))).toHaveLength(1);
    expect(() => scanForSecrets([log], [{ label: 'short', value: 'abc' }])).toThrow(/too short/);
  });

  it('reads base64 cores that do not depend on what surrounds the secret', () => {
    const secret = 'a-secret-of-some-length';
    for (const pre of ['', 'x', 'xy', 'xyz:']) {
      const b64 = Buffer.from(`${pre}${secret}tail`).toString('base64');
      expect(base64Cores(secret).some((c) => b64.includes(c))).toBe(true);
    }
  });
});

forEachStore('no secret in any server log', (kind) => {
  const logDir = mkdtempSync(join(tmpdir(), 'ferry-logs-'));
  const dataDir = mkdtempSync(join(tmpdir(), 'ferry-logs-data-'));
  let handle: StoreHandle | undefined;
  let server: FerryProcess | undefined;
  afterAll(async () => {
    await server?.stop();
    await handle?.cleanup();
    rmSync(logDir, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('writes none of the tokens, passwords and keys it was given or gave out', async () => {
    handle = await freshStore(kind);
    const secretKey = randomBytes(32).toString('hex');
    server = await startFerry({
      dataDir,
      timeoutMs: 60_000,
      env: {
        FERRY_STORE: handle.url,
        FERRY_SECRET_KEY: secretKey,
        // The most verbose level pino has; and no preset admin token: the server makes one and prints it once.
        FERRY_LOG_LEVEL: 'trace',
        FERRY_ADMIN_TOKEN: '',
        FERRY_AUTH_MAX_FAILURES_PER_USER: '3',
        // Local jobs find the test venv's python (with mlflow) first.
        PATH: `${VENV_BIN}:${process.env['PATH']}`,
        FERRY_JOBS_POLL_MS: '100',
      },
    });
    const url = server.url;
    // The token line follows the address line: it may not have arrived yet.
    for (let i = 0; i < 100 && !/Admin token \S+\n/.test(server.output()); i++) await new Promise((r) => setTimeout(r, 100));
    const admin = /Admin token (\S+)/.exec(server.output())?.[1];
    expect(admin, server.output()).toMatch(/^\S{20,}$/);
    const asAdmin = `Bearer ${admin}`;
    const secrets: Secret[] = [
      { label: 'the admin token', value: admin! },
      { label: 'FERRY_SECRET_KEY', value: secretKey },
    ];
    if (kind === 'postgres') {
      const pgPassword = decodeURIComponent(new URL(inject('postgresUrl')!).password);
      secrets.push({ label: "the PostgreSQL user's password", value: pgPassword });
    }

    // Tokens: made, used, revoked and used again.
    const editor = await call(url, asAdmin, 'POST', '/api/v1/tokens', { name: 'ci-editor', role: 'editor' });
    const viewer = await call(url, asAdmin, 'POST', '/api/v1/tokens', { name: 'ci-viewer', role: 'viewer' });
    expect([editor.status, viewer.status]).toEqual([200, 200]);
    secrets.push({ label: 'the editor token', value: editor.body.token }, { label: 'the viewer token', value: viewer.body.token });
    expect((await call(url, `Bearer ${viewer.body.token}`, 'GET', '/api/v1/whoami')).status).toBe(200);
    expect((await call(url, asAdmin, 'DELETE', `/api/v1/tokens/${viewer.body.token_id}`)).status).toBe(200);
    expect((await call(url, `Bearer ${viewer.body.token}`, 'GET', '/api/v1/whoami')).status).toBe(401);
    const wrongToken = secretOf('fry_wrong');
    secrets.push({ label: 'a wrong token', value: wrongToken });
    expect((await call(url, `Bearer ${wrongToken}`, 'GET', '/api/v1/whoami')).status).toBe(401);

    // Users: basic auth right and wrong, a token as the password, and a lockout.
    const user = await call(url, asAdmin, 'POST', '/api/v1/users', { username: 'alice', role: 'editor' });
    expect(user.status).toBe(200);
    secrets.push({ label: "alice's password", value: user.body.password });
    expect((await call(url, basic('alice', user.body.password), 'GET', '/api/v1/whoami')).status).toBe(200);
    expect((await call(url, basic('anyone', editor.body.token), 'GET', '/api/v1/whoami')).status).toBe(200);
    const wrongPasswords = [secretOf('guess-one'), secretOf('guess-two'), secretOf('guess-three')];
    wrongPasswords.forEach((p, i) => secrets.push({ label: `wrong password ${i + 1}`, value: p }));
    for (const p of wrongPasswords) expect((await call(url, basic('alice', p), 'GET', '/api/v1/whoami')).status).toBe(401);
    expect((await call(url, basic('alice', user.body.password), 'GET', '/api/v1/whoami')).status).toBe(429);

    // Secrets in request bodies: a webhook notifier's signing key (set, then changed) and a Ray executor's token.
    expect((await call(url, asAdmin, 'PUT', '/api/v1/alerts/destinations', { allow: ['127.0.0.1'] })).status).toBe(200);
    const hookSecrets = [secretOf('hook-secret-1'), secretOf('hook-secret-2')];
    hookSecrets.forEach((s, i) => secrets.push({ label: `notifier secret ${i + 1}`, value: s }));
    const hook = await call(url, asAdmin, 'POST', '/api/v1/alerts/notifiers', { name: 'receiver', url: 'http://127.0.0.1:9/hook', secret: hookSecrets[0] });
    expect(hook.status).toBe(200);
    expect((await call(url, asAdmin, 'PUT', `/api/v1/alerts/notifiers/${hook.body.notifier.id}`, { secret: hookSecrets[1] })).status).toBe(200);
    const rayToken = secretOf('ray-token');
    secrets.push({ label: "the Ray executor's token", value: rayToken });
    expect((await call(url, asAdmin, 'PUT', '/api/v1/executors/cluster', { kind: 'ray', address: 'http://127.0.0.1:9', token: rayToken })).status).toBe(200);

    // Credentials in a URL's query: a signed project link's signature (what Ray and Kubernetes jobs fetch), and a
    // client that put its token there. Refused or not, the request line is logged.
    const signature = randomBytes(32).toString('hex');
    const queryToken = secretOf('query-token');
    secrets.push({ label: "a signed link's signature", value: signature }, { label: 'a token in a query', value: queryToken });
    const link = await fetch(`${url}/api/v1/jobs/projects/${'0'.repeat(64)}/source.zip?expires=${Date.now() + 60_000}&signature=${signature}`);
    expect(link.status).toBeGreaterThanOrEqual(400);
    expect((await fetch(`${url}/api/v1/whoami?token=${queryToken}`, { headers: { authorization: asAdmin } })).status).toBeLessThan(500);

    // The mlflow client, with a token and with a username and password.
    if (existsSync(PYTHON)) {
      await mlflowRun(url, { MLFLOW_TRACKING_TOKEN: editor.body.token });
      const bob = await call(url, asAdmin, 'POST', '/api/v1/users', { username: 'bob', role: 'editor' });
      secrets.push({ label: "bob's password", value: bob.body.password });
      await mlflowRun(url, { MLFLOW_TRACKING_USERNAME: 'bob', MLFLOW_TRACKING_PASSWORD: bob.body.password });
    }

    // A local job: the token the server makes for it, handed over in its environment.
    if (existsSync(PYTHON)) {
      const upload = await fetch(`${url}/api/v1/jobs/projects`, {
        method: 'POST',
        headers: { authorization: asAdmin, 'content-type': 'application/zip' },
        body: new Uint8Array(await zipOf(KEEP_TOKEN_PROJECT)),
      });
      expect(upload.status).toBe(201);
      const digest = ((await upload.json()) as { project: { digest: string } }).project.digest;
      const out = join(logDir, 'job-token.txt');
      const job = await call(url, asAdmin, 'POST', '/api/v1/jobs', { project: digest, parameters: { out } });
      expect(job.status).toBe(201);
      let state = '';
      for (let i = 0; i < 900 && !['succeeded', 'failed', 'cancelled'].includes(state); i++) {
        await new Promise((r) => setTimeout(r, 100));
        state = (await call(url, asAdmin, 'GET', `/api/v1/jobs/${job.body.job.job_id}`)).body.job.state;
      }
      expect(state).toBe('succeeded');
      secrets.push({ label: "the job's token", value: readFileSync(out, 'utf8') });
    }

    await server.stop();
    const serverLog = join(logDir, `server-${kind}.log`);
    writeFileSync(serverLog, server.output());
    const files = [serverLog, ...filesUnder(dataDir, (name) => name.endsWith('.log'))];
    // The job's own log is among them.
    if (existsSync(PYTHON)) expect(files.filter((f) => f.endsWith('job.log'))).toHaveLength(1);

    // The scan is not vacuous: request logging at trace level wrote a line per request, the failed ones included.
    const output = server.output();
    expect(output).toContain('"msg":"incoming request"');
    expect((output.match(/"statusCode":401/g) ?? []).length).toBeGreaterThanOrEqual(5);
    // The admin token appears once, where it is meant to: the first-start line that shows it to the person.
    const banner = (_file: string, line: string) => /^Admin token \S+$/.test(line.trim());
    const all = scanForSecrets(files, secrets);
    expect(all.filter((f) => f.label === 'the admin token')).toEqual([expect.objectContaining({ file: serverLog, form: 'as is' })]);
    expect(scanForSecrets(files, secrets, banner)).toEqual([]);
  }, 360_000);
});
