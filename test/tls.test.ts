/**
 * Built-in TLS (`ferry server --tls-cert --tls-key`) for a single node without a proxy, with a self-signed
 * certificate made by openssl: a real server process, Node's https client trusting the certificate, plain HTTP
 * refused, the Ferry CLI with NODE_EXTRA_CA_CERTS, and the real mlflow client with MLFLOW_TRACKING_SERVER_CERT_PATH.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, ok, ROOT, runCli } from './support/ferry-process.js';

const PYTHON = join(ROOT, '.venv', 'bin', 'python');

function opensslMissing(): string | null {
  const r = spawnSync('openssl', ['version'], { encoding: 'utf8' });
  return r.status === 0 ? null : 'openssl is not installed';
}

function mlflowMissing(): string | null {
  if (!existsSync(PYTHON)) return 'no .venv (scripts/test.sh creates it)';
  return spawnSync(PYTHON, ['-c', 'import mlflow'], { encoding: 'utf8' }).status === 0 ? null : 'no mlflow in .venv';
}

/** A self-signed P-256 certificate for 127.0.0.1 (and its key) in `dir`. */
function selfSigned(dir: string, name: string): { cert: string; key: string } {
  const cert = join(dir, `${name}.pem`);
  const key = join(dir, `${name}-key.pem`);
  const r = spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-days',
      '2',
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`openssl failed: ${r.stderr}`);
  return { cert, key };
}

interface Started {
  url: string;
  child: ChildProcess;
  output(): string;
}

/** `ferry server` with the TLS flags (the flags themselves, not the environment), until it prints its address. */
async function startTlsServer(dataDir: string, cert: string, key: string, adminToken: string): Promise<Started> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('FERRY_')));
  const args = [join(ROOT, 'bin', 'ferry.js'), 'server', '--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir, '--tls-cert', cert, '--tls-key', key];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...env, FERRY_ADMIN_TOKEN: adminToken, FERRY_LOG_LEVEL: 'warn', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no address within 60 s:\n${out}`)), 60_000);
    child.stdout!.on('data', () => {
      const m = /Ferry listening on (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`ferry server exited (${code}):\n${out}`));
    });
  });
  return { url, child, output: () => out };
}

function get(url: string, opts: https.RequestOptions): Promise<{ status: number; body: string }> {
  const lib = url.startsWith('https:') ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.get(url, opts, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.setTimeout(10_000, () => req.destroy(new Error('timed out')));
    req.on('error', reject);
  });
}

const skip = opensslMissing();

describe.skipIf(skip !== null)(`built-in TLS${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let dir: string;
  let cert: string;
  let key: string;
  let server: Started | undefined;
  const adminToken = `ferry-test-${randomBytes(16).toString('hex')}`;
  const auth = { authorization: `Bearer ${adminToken}` };

  beforeAll(async () => {
    await ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), 'ferry-tls-'));
    ({ cert, key } = selfSigned(dir, 'server'));
    server = await startTlsServer(join(dir, 'data'), cert, key, adminToken);
  }, 360_000);

  afterAll(async () => {
    if (server && server.child.exitCode === null) {
      const exited = new Promise((r) => server!.child.once('exit', r));
      server.child.kill('SIGTERM');
      await exited;
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('listens on https and says so', () => {
    expect(server!.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });

  it('answers an https client that trusts the certificate, and refuses one that does not', async () => {
    const ca = readFileSync(cert);
    const res = await get(`${server!.url}/api/v1/whoami`, { ca, headers: auth });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ role: 'admin' });
    await expect(get(`${server!.url}/health`, {})).rejects.toThrow(/self-signed|self signed/i);
  });

  it('does not answer plain HTTP on its port', async () => {
    const plain = server!.url.replace('https:', 'http:');
    const outcome = await get(`${plain}/health`, {}).then(
      (r) => `answered ${r.status}`,
      (e: Error) => `failed: ${e.message}`,
    );
    expect(outcome).toMatch(/^failed: /);
  });

  it('the Ferry CLI works against it with NODE_EXTRA_CA_CERTS, and fails clearly without', async () => {
    const env = { FERRY_URL: server!.url, FERRY_TOKEN: adminToken };
    const out = ok(await runCli(['experiments', 'list', '--json'], { ...env, NODE_EXTRA_CA_CERTS: cert }));
    expect(JSON.stringify(JSON.parse(out))).toContain('Default');
    const refused = await runCli(['experiments', 'list', '--json'], env);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(/cannot reach Ferry at https:.*self[- ]signed/i);
  });

  const noMlflow = mlflowMissing();
  it.skipIf(noMlflow !== null)(
    `the mlflow client logs a run with MLFLOW_TRACKING_SERVER_CERT_PATH${noMlflow ? ` (skipped: ${noMlflow})` : ''}`,
    async () => {
      const script = [
        'import mlflow',
        "mlflow.set_experiment('tls-check')",
        'with mlflow.start_run() as run:',
        "    mlflow.log_param('alpha', '0.5')",
        "    mlflow.log_metric('rmse', 0.25)",
        'print(run.info.run_id)',
      ].join('\n');
      const env = { ...process.env, MLFLOW_TRACKING_URI: server!.url, MLFLOW_TRACKING_TOKEN: adminToken, MLFLOW_TRACKING_SERVER_CERT_PATH: cert };
      const child = spawn(PYTHON, ['-c', script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      const code = await new Promise<number | null>((r) => child.once('close', r));
      expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
      const runId = stdout.trim().split('\n').pop()!;
      const res = await get(`${server!.url}/api/2.0/mlflow/runs/get?run_id=${runId}`, { ca: readFileSync(cert), headers: auth });
      expect(res.status).toBe(200);
      const run = JSON.parse(res.body) as { run: { data: { metrics: { key: string; value: number }[]; params: { key: string; value: string }[] } } };
      expect(run.run.data.metrics).toEqual([expect.objectContaining({ key: 'rmse', value: 0.25 })]);
      expect(run.run.data.params).toEqual([{ key: 'alpha', value: '0.5' }]);
    },
    120_000,
  );

  it('refuses to start with one file of the pair, an unreadable file, or a key that is not the certificate’s', async () => {
    const dataDir = join(dir, 'refused');
    const base = ['server', '--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir];
    const onlyCert = await runCli([...base, '--tls-cert', cert]);
    expect(onlyCert.code).toBe(1);
    expect(onlyCert.stderr).toMatch(/--tls-cert was given without --tls-key/);
    const onlyKey = await runCli(base, { FERRY_TLS_KEY: key });
    expect(onlyKey.code).toBe(1);
    expect(onlyKey.stderr).toMatch(/--tls-key was given without --tls-cert/);
    const missing = await runCli([...base, '--tls-cert', join(dir, 'nope.pem'), '--tls-key', key]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/Cannot read --tls-cert file '.*nope\.pem' \(ENOENT\)/);
    const other = selfSigned(dir, 'other');
    const mismatched = await runCli([...base, '--tls-cert', cert, '--tls-key', other.key]);
    expect(mismatched.code).toBe(1);
    expect(mismatched.stderr).toMatch(/--tls-cert and --tls-key are not a PEM certificate and its private key/);
  }, 60_000);
});
