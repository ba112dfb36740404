// Starting and stopping the servers under test (Ferry, `mlflow models serve`; the peers in mlserver/ and bentoml/
// use the same helpers), each in its own process group on 127.0.0.1 with its log in a file, pinned to the run's
// server cores (usePlan), and registering + deploying the fixture model on Ferry.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { REPO, decodeV2Binary } from './common.mjs';
import { pinned } from '../lib/index.mjs';

export const FERRY_TOKEN = 'ferry-bench-admin-token-0123456789';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function tail(path, lines = 15) {
  try {
    return readFileSync(path, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// The run's core plan (bench/lib cpuPlan): every server starts on its server cores. Null: not pinned.
let plan = null;
export function usePlan(p) {
  plan = p;
}

/**
 * Starts a server detached (its own process group, so its CPU and its stop cover every process it forks), under
 * `taskset -c <server cores>` when the run pins; output to `logPath`.
 */
export function spawnLogged(cmd, args, logPath, env, cwd) {
  const fd = openSync(logPath, 'w');
  const [c, a] = pinned(plan, plan?.server, cmd, args);
  const proc = spawn(c, a, { cwd, env, stdio: ['ignore', fd, fd], detached: true });
  proc.exited = new Promise((r) => proc.on('exit', (code, signal) => r({ code, signal })));
  proc.exitCode_ = null;
  proc.on('exit', (code) => (proc.exitCode_ = code ?? -1));
  return proc;
}

export async function waitFor(name, proc, logPath, timeoutS, probe) {
  const deadline = Date.now() + timeoutS * 1000;
  while (Date.now() < deadline) {
    if (proc.exitCode_ !== null) throw new Error(`${name} exited (${proc.exitCode_}):\n${tail(logPath)}`);
    const v = await probe().catch(() => null);
    if (v) return v;
    await sleep(100);
  }
  throw new Error(`${name} did not come up within ${timeoutS}s:\n${tail(logPath)}`);
}

/**
 * `node bin/ferry.js server` on a free port; `nodeArgs` (e.g. --cpu-prof) go before the script. `root` is the
 * checkout to run (another revision's worktree for compare.mjs) and `name` tells its files and messages apart.
 */
export async function startFerry(tmp, { workers, logLevel, nodeArgs = [], timeoutS = 60, root = REPO, name = 'ferry' }) {
  const logPath = join(tmp, `${name}.log`);
  const env = { ...process.env, FERRY_ADMIN_TOKEN: FERRY_TOKEN, FERRY_INFERENCE_WORKERS: String(workers), FERRY_LOG_LEVEL: logLevel };
  const args = [...nodeArgs, join(root, 'bin', 'ferry.js'), 'server', '--host', '127.0.0.1', '--port', '0', '--data-dir', join(tmp, name)];
  const proc = spawnLogged(process.execPath, args, logPath, env, tmp);
  const url = await waitFor(name, proc, logPath, timeoutS, async () => /Ferry listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(tail(logPath, 50))?.[1]);
  await waitFor(name, proc, logPath, timeoutS, async () => (await fetch(`${url}/health`)).ok);
  return { name, url, proc, logPath, headers: { Authorization: `Bearer ${FERRY_TOKEN}` } };
}

async function call(srv, method, path, body, raw = false) {
  const res = await fetch(`${srv.url}${path}`, {
    method,
    headers: { ...srv.headers, ...(body === undefined ? {} : { 'Content-Type': raw ? 'application/octet-stream' : 'application/json' }) },
    body: body === undefined ? undefined : raw ? body : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} -> ${res.status}: ${text.slice(0, 500)}`);
  return text ? JSON.parse(text) : {};
}

/** Uploads the model file, registers it as version 1 and deploys it with the given batching. */
export async function deployOnFerry(srv, { modelPath, model, deployment, batching }) {
  const id = randomUUID();
  await call(srv, 'PUT', `/api/2.0/mlflow-artifacts/artifacts/uploads/${id}/model.onnx`, readFileSync(modelPath), true);
  await call(srv, 'POST', '/api/2.0/mlflow/registered-models/create', { name: model });
  await call(srv, 'POST', '/api/2.0/mlflow/model-versions/create', { name: model, source: `mlflow-artifacts:/uploads/${id}/model.onnx` });
  const t0 = performance.now();
  const res = await call(srv, 'POST', '/api/v1/deployments', { name: deployment, routes: [{ model, version: '1' }], batching });
  return { loadMs: performance.now() - t0, status: res.deployment?.status };
}

/** POSTs one JSON body and returns the parsed answer (used to check answers before loading a server). */
export function postJson(srv, path, bodyText) {
  return fetch(`${srv.url}${path}`, { method: 'POST', headers: { ...srv.headers, 'Content-Type': 'application/json' }, body: bodyText }).then(async (r) => {
    const text = await r.text();
    if (!r.ok) throw new Error(`${srv.name} POST ${path} -> ${r.status}: ${text.slice(0, 500)}`);
    return JSON.parse(text);
  });
}

/** POSTs one binary v2 body ({headers, base64}) and returns its outputs decoded ({name: number[]}). */
export async function postV2Binary(srv, path, body) {
  const r = await fetch(`${srv.url}${path}`, { method: 'POST', headers: { ...srv.headers, ...body.headers }, body: Buffer.from(body.base64, 'base64') });
  const bytes = Buffer.from(await r.arrayBuffer());
  if (!r.ok) throw new Error(`${srv.name} POST ${path} -> ${r.status}: ${bytes.toString('utf8', 0, 500)}`);
  return decodeV2Binary(bytes, Number(r.headers.get('inference-header-content-length')));
}

/** Turns the deployment's monitoring (prediction log + profiles) on or off. */
export async function setMonitoring(srv, deployment, enabled) {
  await call(srv, 'PUT', `/api/v1/deployments/${deployment}/monitoring`, { enabled });
}

export async function getText(srv, path) {
  const r = await fetch(`${srv.url}${path}`, { headers: srv.headers });
  return r.text();
}

/** `mlflow models serve -m DIR --env-manager local` with its default worker count (1 uvicorn worker). */
export async function startMlflowServe(tmp, { python, modelDir, workers, timeoutS = 180 }) {
  const logPath = join(tmp, 'mlflow-serve.log');
  const port = await freePort();
  const bin = join(python, '..');
  // mlflow execs `uvicorn` by name: the venv's bin must be on PATH, as when the venv is activated.
  const env = { ...process.env, PATH: `${bin}:${process.env.PATH}`, MLFLOW_DISABLE_TELEMETRY: 'true', DO_NOT_TRACK: 'true' };
  const args = ['models', 'serve', '-m', modelDir, '--env-manager', 'local', '--host', '127.0.0.1', '--port', String(port)];
  if (workers) args.push('--workers', String(workers));
  const proc = spawnLogged(join(bin, 'mlflow'), args, logPath, env, tmp);
  const url = `http://127.0.0.1:${port}`;
  await waitFor('mlflow models serve', proc, logPath, timeoutS, async () => (await fetch(`${url}/ping`)).ok);
  return { name: 'mlflow', url, proc, logPath, headers: {} };
}

/** SIGTERM to the whole process group, SIGKILL after `graceS`. */
export async function stop(srv, graceS = 10) {
  if (!srv || srv.proc.exitCode_ !== null) return;
  const group = -srv.proc.pid;
  try {
    process.kill(group, 'SIGTERM');
  } catch {
    return;
  }
  const timedOut = await Promise.race([srv.proc.exited.then(() => false), sleep(graceS * 1000).then(() => true)]);
  if (timedOut) {
    try {
      process.kill(group, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
}
