/**
 * Helpers for the loop scenarios: a model and a deployment of their own per scenario (so one scenario's triggers
 * and rollouts never touch another's), requests and their feedback or outcomes, a second caller, waiting.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect } from 'vitest';
import type { JobsTestServer } from '../jobs/support.js';
import { registerFixture } from '../support/models.js';
import { DATASET } from './support.js';

export { pushCreditDataset } from './support.js';

/** The credit training table: features and label per row (the label column is `default`). */
export function creditRows(): { features: Record<string, unknown>; label: number }[] {
  const [header, ...lines] = readFileSync(resolve('demo/credit_train.csv'), 'utf8').trim().split('\n');
  const cols = header!.split(',');
  const value = (v: string) => (v === '' ? null : Number.isNaN(Number(v)) ? v : Number(v));
  return lines.map((line) => {
    const cells = line.split(',').map(value);
    const features: Record<string, unknown> = {};
    let label = 0;
    cols.forEach((c, i) => {
      if (c === 'default') label = Number(cells[i]);
      else features[c] = cells[i];
    });
    return { features, label };
  });
}

/**
 * A model of the scenario's own: version 1 credit_gbdt (accuracy 0.7515 on the table), version 2 credit_gbdt_v2
 * (0.7235); `deployment` serves `serving` with the sticky key `customer`.
 */
export async function modelAndDeployment(t: JobsTestServer, model: string, deployment: string, serving = '1'): Promise<void> {
  expect(await registerFixture(t, model, 'credit_gbdt.onnx')).toBe('1');
  expect(await registerFixture(t, model, 'credit_gbdt_v2.onnx')).toBe('2');
  const dep = await t.call('POST', '/api/v1/deployments', { name: deployment, routes: [{ model, version: serving }], sticky_key: 'customer' });
  expect(dep.status, JSON.stringify(dep.body)).toBe(200);
}

/** A loop that takes any version the gate lets through (accuracy may fall by up to 1), on the table as holdout. */
export function lenientGate(): Record<string, unknown> {
  return { holdout: { dataset: DATASET }, production_window: null, label: 'default', thresholds: [{ metric: 'accuracy', absolute: -1 }] };
}

export async function createLoop(t: JobsTestServer, body: Record<string, unknown>): Promise<any> {
  const res = await t.call('POST', '/api/v1/loops', body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.loop;
}

export async function trigger(t: JobsTestServer, loop: string, body: Record<string, unknown> = {}): Promise<any> {
  const res = await t.call('POST', `/api/v1/loops/${loop}/trigger`, body);
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  return res.body;
}

export async function runOf(t: JobsTestServer, loop: string, seq: number): Promise<any> {
  const res = await t.call('GET', `/api/v1/loops/${loop}/runs/${seq}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.loop_run;
}

export async function runsOf(t: JobsTestServer, loop: string): Promise<any[]> {
  const res = await t.call('GET', `/api/v1/loops/${loop}/runs`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.loop_runs;
}

/** Polls `probe` until it answers something other than undefined (or fails after the timeout, naming `what`). */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits until the loop run is in `state` (answering its detail). */
export async function waitForState(t: JobsTestServer, loop: string, seq: number, state: string, timeoutMs = 30_000): Promise<any> {
  let last: any;
  try {
    return await eventually(
      `${loop}#${seq} to be ${state}`,
      async () => {
        last = await runOf(t, loop, seq);
        return last.state === state ? last : undefined;
      },
      timeoutMs,
    );
  } catch (err) {
    throw new Error(`${(err as Error).message}; it is ${last?.state}: ${JSON.stringify(last?.steps.map((s: any) => `${s.kind}:${s.status} ${s.reason}`))}`);
  }
}

export interface Served {
  requestId: string;
  version: string;
  unit: string;
  label: number;
}

/** One request per row to the deployment, as customer `unit` (the sticky key): what answered each. */
export async function predict(t: JobsTestServer, deployment: string, unit: string, row: { features: Record<string, unknown>; label: number }): Promise<Served> {
  const res = await t.call('POST', `/api/v1/deployments/${deployment}/predict`, { dataframe_records: [row.features], customer: unit });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return { requestId: res.body.request_id, version: String(res.body.model_version), unit, label: row.label };
}

export async function sendFeedback(t: JobsTestServer, items: { request_id: string; label: number }[]): Promise<void> {
  for (let i = 0; i < items.length; i += 5000) {
    const res = await t.call('POST', '/api/v1/feedback', { feedback: items.slice(i, i + 5000) });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.accepted).toBe(items.slice(i, i + 5000).length);
  }
}

export async function sendOutcomes(t: JobsTestServer, events: { request_id?: string; unit?: string; metric: string; value: number }[]): Promise<void> {
  const res = await t.call('POST', '/api/v1/outcomes', { outcomes: events });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body.accepted, JSON.stringify(res.body.unknown.slice(0, 3))).toBe(events.length);
}

/** The server as a second caller sees it: its own token (a distinct principal) in `auth` and `call`. */
export async function asCaller(t: JobsTestServer, name: string, role: 'viewer' | 'editor' | 'admin'): Promise<JobsTestServer> {
  const res = await t.call('POST', '/api/v1/tokens', { name, role });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  const auth = { authorization: `Bearer ${res.body.token as string}` };
  const call: JobsTestServer['call'] = async (method, url, payload) => {
    const r = await t.app.inject({ method, url, headers: auth, ...(payload ? { payload } : {}) });
    return { status: r.statusCode, body: r.json() };
  };
  return { ...t, auth, call };
}

/** The deployment as it stands: revision, spec. */
export async function deploymentOf(t: JobsTestServer, name: string): Promise<any> {
  const res = await t.call('GET', `/api/v1/deployments/${name}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.deployment;
}

export async function aliasOf(t: JobsTestServer, model: string, alias = 'champion'): Promise<string | null> {
  const res = await t.call('GET', `/api/2.0/mlflow/registered-models/alias?name=${model}&alias=${alias}`);
  return res.status === 200 ? String(res.body.model_version.version) : null;
}

export const stepsOf = (run: any): string[] => run.steps.map((s: any) => `${s.kind}:${s.status}`);
