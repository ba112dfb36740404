/**
 * Helpers for the loop durability tests, which run real `ferry server` processes (a crash hook SIGKILLs them):
 * a training project whose job registers a copy of a fixture model through the mlflow client, the credit
 * fixtures set up over HTTP, a loop spec that trains, shadows, canaries once and promotes quickly, and the
 * account of one loop run — its steps, jobs, MLflow runs, revisions and alias — with the checks that it was
 * driven once.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect } from 'vitest';
import { type FerryProcess, type FerryServer, startFerry } from '../support/ferry-process.js';
import { type ServerSetup, call, uploadZip, waitFor } from '../support/ferry-servers.js';
import { VENV_BIN, zipOf } from '../jobs/support.js';
import { DATASET, gateOnHoldout, quickRollout } from './support.js';

/** Settings for every server of these tests: fast driver looks, short leases (a restart takes over soon). */
export function durabilityEnv(): Record<string, string> {
  return {
    FERRY_LOOPS_TICK_MS: '50',
    FERRY_LOOPS_POLL_MS: '100',
    FERRY_LOOPS_TRIGGER_SECONDS: '0',
    FERRY_LOOPS_LEASE_SECONDS: '2',
    FERRY_JOBS_POLL_MS: '100',
    FERRY_JOBS_LEASE_SECONDS: '2',
    PATH: `${VENV_BIN}:${process.env['PATH']}`,
  };
}

const MLPROJECT = `name: copy-model
entry_points:
  main:
    parameters:
      model: {type: string}
      file: {type: string, default: better.onnx}
    command: "python train.py {model} {file}"
`;
// "Trains" by registering a fixture as a new version of the loop's model, logged to the job's own MLflow run
// (MLFLOW_RUN_ID), which is how the loop finds the version its job made. better.onnx is the champion's twin
// (the gate passes with no change), worse.onnx the weaker credit_gbdt_v2 (the gate rejects it).
const TRAIN_PY = `import sys
import mlflow, mlflow.onnx, onnx
with mlflow.start_run():
    mlflow.onnx.log_model(onnx.load(sys.argv[2]), name="model", registered_model_name=sys.argv[1])
print("registered", flush=True)
`;

function trainingZip(): Promise<Buffer> {
  const model = (f: string) => readFileSync(resolve('test/fixtures/models', f));
  return zipOf({ MLproject: MLPROJECT, 'train.py': TRAIN_PY, 'better.onnx': model('credit_gbdt.onnx'), 'worse.onnx': model('credit_gbdt_v2.onnx') });
}

async function putBytes(server: FerryServer, path: string, contentType: string, data: Buffer): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method: path.includes('mlflow-artifacts') ? 'PUT' : 'POST',
    headers: { authorization: `Bearer ${server.adminToken}`, 'content-type': contentType },
    body: new Uint8Array(data),
  });
}

/** Registers credit_gbdt as a version of `model` over HTTP (the way an mlflow client uploads and registers). */
export async function registerCredit(server: FerryServer, model: string): Promise<string> {
  const path = `uploads/${model}-${Date.now()}/model.onnx`;
  const put = await putBytes(
    server,
    `/api/2.0/mlflow-artifacts/artifacts/${path}`,
    'application/octet-stream',
    readFileSync(resolve('test/fixtures/models/credit_gbdt.onnx')),
  );
  expect(put.status, await put.text()).toBe(200);
  await call(server, 'POST', '/api/2.0/mlflow/registered-models/create', { name: model }); // may exist already
  const res = await call(server, 'POST', '/api/2.0/mlflow/model-versions/create', { name: model, source: `mlflow-artifacts:/${path}` });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.model_version.version as string;
}

/** The credit training table as a dataset (the gate's holdout), once per store. */
async function pushCreditTable(server: FerryServer): Promise<void> {
  const res = await putBytes(
    server,
    `/api/v1/datasets/${DATASET}/versions?filename=credit_train.csv`,
    'text/csv',
    readFileSync(resolve('demo/credit_train.csv')),
  );
  expect(res.status, await res.text()).toBe(201);
}

/** A model with version 1 (credit_gbdt) served by a new deployment of the same name. */
async function creditModelAndDeployment(server: FerryServer, name: string): Promise<void> {
  expect(await registerCredit(server, name)).toBe('1');
  const dep = await call(server, 'POST', '/api/v1/deployments', { name, routes: [{ model: name, version: '1' }] });
  expect(dep.status, JSON.stringify(dep.body)).toBe(200);
}

/**
 * What every loop of these tests needs, spread over the servers (one replica writes what another reads): the
 * training table through the first, the training project through the second (or the only one), and for each of
 * `models` a model and deployment of that name through server i % n; the project's digest.
 */
export async function creditFixtures(servers: FerryServer[], models: string[]): Promise<string> {
  await pushCreditTable(servers[0]!);
  const project = await uploadZip(servers[1 % servers.length]!, await trainingZip());
  for (const [i, name] of models.entries()) await creditModelAndDeployment(servers[i % servers.length]!, name);
  return project;
}

/**
 * A loop that trains (the project registers a copy of the champion, so the gate passes with no change), shadows
 * for 1s, canaries one step of at most 2s (no traffic: 'extend' lets it through at the end) and promotes.
 */
function trainingLoop(name: string, model: string, deployment: string, project: string, file = 'better.onnx'): Record<string, unknown> {
  return {
    name,
    model,
    deployment,
    training: { project, parameters: { model, file }, timeout: '5m' },
    gate: gateOnHoldout(-0.01),
    rollout: quickRollout(),
  };
}

/** Creates the training loop above (`name` on `model`, promoting into `deployment`). */
export async function createTrainingLoop(server: FerryServer, name: string, model: string, deployment: string, project: string, file?: string): Promise<void> {
  const res = await call(server, 'POST', '/api/v1/loops', trainingLoop(name, model, deployment, project, file));
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}

/** Triggers a loop by hand; the new run's seq. */
export async function trigger(server: FerryServer, loop: string): Promise<number> {
  const res = await call(server, 'POST', `/api/v1/loops/${loop}/trigger`, { reason: 'durability test' });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  expect(res.body.coalesced).toBe(false);
  return res.body.loop_run.seq as number;
}

export async function runDetail(server: FerryServer, loop: string, seq: number): Promise<any> {
  const res = await call(server, 'GET', `/api/v1/loops/${loop}/runs/${seq}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.loop_run;
}

/** Polls until the run has ended (or the time runs out); its detail. */
export function waitForEnd(server: FerryServer, loop: string, seq: number, timeoutMs = 120_000): Promise<any> {
  return waitFor(
    () => runDetail(server, loop, seq),
    (r) => r.ended_at !== null,
    timeoutMs,
    100,
  );
}

/** Waits for a server to end by itself (the crash hook); the signal that ended it (null: still running). */
export async function waitForDeath(server: ServerProcess, timeoutMs: number): Promise<NodeJS.Signals | null> {
  const end = Date.now() + timeoutMs;
  while (server.running()) {
    if (Date.now() > end) return null;
    await new Promise((r) => setTimeout(r, 50));
  }
  return server.endedBy();
}

/** Everything a loop run left behind, read over HTTP. */
export interface RunAccount {
  run: any;
  /** The jobs submitted as the run (`loop:<loop>#<seq>`). */
  jobs: any[];
  /** MLflow runs of this loop run (named `<loop> #<seq>`) in the experiments of those jobs. */
  trackingRuns: number;
  /** `created_by` of the deployment revisions the run wrote. */
  revisions: string[];
  /** The versions of the model that the run's job registered. */
  registered: string[];
  alias: string | null;
}

async function accountOf(server: FerryServer, loop: string, seq: number, model: string, deployment: string, alias = 'champion'): Promise<RunAccount> {
  const run = await runDetail(server, loop, seq);
  const by = `loop:${loop}#${seq}`;
  const jobs = (await call(server, 'GET', `/api/v1/jobs?submitted_by=${encodeURIComponent(by)}`)).body.jobs as any[];
  let trackingRuns = 0;
  for (const experiment of new Set(jobs.map((j) => j.experiment_id))) {
    const res = await call(server, 'POST', '/api/2.0/mlflow/runs/search', { experiment_ids: [experiment], max_results: 1000 });
    // The loop's runs share its experiment; this run's job named its MLflow run `<loop> #<seq>`.
    trackingRuns += ((res.body.runs ?? []) as any[]).filter((r) => r.info.run_name === `${loop} #${seq}`).length;
  }
  const revs = (await call(server, 'GET', `/api/v1/deployments/${deployment}/revisions`)).body.revisions as any[];
  const revisions = revs.map((r) => String(r.created_by)).filter((c) => c.startsWith(`${by} `));
  const versions = await call(server, 'GET', `/api/2.0/mlflow/model-versions/search?filter=${encodeURIComponent(`name='${model}'`)}&max_results=1000`);
  expect(versions.status, JSON.stringify(versions.body)).toBe(200);
  const runIds = new Set(jobs.map((j) => j.run_id));
  const registered = ((versions.body.model_versions ?? []) as any[]).filter((v) => runIds.has(v.run_id)).map((v) => String(v.version));
  const a = await call(server, 'GET', `/api/2.0/mlflow/registered-models/alias?name=${model}&alias=${alias}`);
  return { run, jobs, trackingRuns, revisions, registered, alias: a.status === 200 ? String(a.body.model_version.version) : null };
}

const TERMINAL_KINDS = ['promoted', 'rolled_back', 'rejected', 'failed', 'cancelled', 'dry_run'];

/** The steps of a straight run that trains, by how it ends (holds, recorded once per verdict, left out). */
const PATHS = {
  promoted: [
    'triggered:info',
    'training:started',
    'training:passed',
    'registered:passed',
    'evaluating:passed',
    'shadow:started',
    'shadow:passed',
    'canary:started',
    'canary:passed',
    'promoted:passed',
  ],
  rejected: ['triggered:info', 'training:started', 'training:passed', 'registered:passed', 'evaluating:failed', 'rejected:failed'],
};

/**
 * A training run driven once to its end: steps numbered 1..n with the straight path's kinds, none repeated, one
 * terminal step; one job run once with one MLflow run and one registered version (the candidate); promoted: one
 * revision per change (one promotion) and the alias on the candidate; rejected: no revision, the alias elsewhere.
 * The loop's model and deployment share the name `model` (as creditFixtures makes them).
 */
export async function expectDrivenOnce(server: FerryServer, loop: string, seq: number, model: string, outcome: keyof typeof PATHS): Promise<void> {
  const acc = await accountOf(server, loop, seq, model, model);
  const { run } = acc;
  const why = JSON.stringify(run.steps.map((s: any) => `${s.seq} ${s.kind}:${s.status} ${s.reason}`));
  expect(run.state, why).toBe(outcome);
  expect(
    run.steps.map((s: any) => s.seq),
    why,
  ).toEqual(run.steps.map((_: unknown, i: number) => i + 1));
  const kinds: string[] = run.steps.map((s: any) => `${s.kind}:${s.status}`);
  expect(
    kinds.filter((k) => !k.endsWith(':info') || k === 'triggered:info'),
    why,
  ).toEqual(PATHS[outcome]);
  expect(run.steps.filter((s: any) => TERMINAL_KINDS.includes(s.kind)).length, why).toBe(1);
  expect(
    acc.jobs.map((j) => ({ state: j.state, attempts: j.attempts })),
    why,
  ).toEqual([{ state: 'succeeded', attempts: 1 }]);
  expect(acc.trackingRuns, why).toBe(1);
  expect(acc.registered, why).toEqual([run.candidate_version]);
  expect(run.steps.find((s: any) => s.kind === 'training')?.links.job_id).toBe(acc.jobs[0].job_id);
  const by = `loop:${loop}#${run.seq}`;
  if (outcome === 'promoted') {
    expect([...acc.revisions].sort(), why).toEqual([`${by} (canary 1/1)`, `${by} (promotion)`, `${by} (shadow)`]);
    expect(acc.alias).toBe(run.candidate_version);
  } else {
    expect(acc.revisions, why).toEqual([]);
    expect(acc.alias).not.toBe(run.candidate_version);
  }
}

/**
 * Starts `ferry server` like startServer does, but from dist/ as it is: startFerry rebuilds dist/ whenever src/
 * is newer, and while other work edits src/ that means a build before each restart — minutes over a test of many
 * restarts, and a restarted server running other code than the one that crashed. ensureBuilt() runs once, in
 * the test's setup.
 */
export type ServerProcess = FerryProcess;

/**
 * `port`: a restart listens where the dead server did — as a restarted replica would — because a local job the
 * dead one started outlives it and goes on calling back to that address (its MLflow client retries).
 */
export function spawnServer(
  s: ServerSetup,
  dataDir: string,
  o: { env?: Record<string, string>; port?: number } = {},
  timeoutMs = 60_000,
): Promise<ServerProcess> {
  return startFerry({
    dataDir,
    adminToken: s.adminToken,
    timeoutMs,
    ...(o.port === undefined ? {} : { port: o.port }),
    asBuilt: true,
    isolated: true,
    env: { FERRY_STORE: s.storeUrl, FERRY_SECRET_KEY: s.secretKey, ...s.env, ...o.env },
  });
}
