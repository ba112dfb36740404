/** Helpers for loop tests: a listening server whose job worker and loop driver run fast, the credit fixtures. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { registerFixture } from '../support/models.js';
import type { StoreKind } from '../support/stores.js';
import { type JobsTestServer, startJobsServer } from '../jobs/support.js';

export const MODEL = 'credit-risk';
export const DEPLOYMENT = 'credit';
export const DATASET = 'credit-train';

export async function startLoopsServer(kind: StoreKind, env: Record<string, string> = {}): Promise<JobsTestServer> {
  const t = await startJobsServer(kind, {
    FERRY_LOOPS_TICK_MS: '50',
    FERRY_LOOPS_POLL_MS: '100',
    FERRY_LOOPS_TRIGGER_SECONDS: '0',
    FERRY_LOOPS_LEASE_SECONDS: '5',
    ...env,
  });
  t.app.ferry.loops.start();
  return t;
}

/**
 * A loops server for the tests of the enclosing block: started (then `setup` run on it) in beforeAll, closed in
 * afterAll. The returned handle forwards to it, so tests write `t.call(...)` as with startLoopsServer.
 */
export function useLoopsServer(kind: StoreKind, setup: (t: JobsTestServer) => Promise<unknown> = async () => {}): JobsTestServer {
  let inner: JobsTestServer | undefined;
  beforeAll(async () => {
    inner = await startLoopsServer(kind);
    await setup(inner);
  }, 120_000);
  afterAll(() => inner?.close());
  const get = (): JobsTestServer => {
    if (!inner) throw new Error('The loops server starts in beforeAll; use it inside tests.');
    return inner;
  };
  // Forwards reads and the spread (`{ ...t }`, as asCaller does) to the server once it has started.
  return new Proxy({} as JobsTestServer, {
    get: (_, key) => Reflect.get(get(), key),
    has: (_, key) => Reflect.has(get(), key),
    ownKeys: () => Reflect.ownKeys(get()),
    getOwnPropertyDescriptor: (_, key) => Reflect.getOwnPropertyDescriptor(get(), key),
  });
}

/** The credit training table as a new version of dataset `name`; its version number. */
export async function pushCreditDataset(t: JobsTestServer, name = DATASET): Promise<number> {
  const push = await t.app.inject({
    method: 'POST',
    url: `/api/v1/datasets/${name}/versions?filename=credit_train.csv`,
    headers: { ...t.auth, 'content-type': 'text/csv' },
    payload: readFileSync(resolve('demo/credit_train.csv')),
  });
  expect(push.statusCode, push.body).toBe(201);
  return push.json().version.version as number;
}

/**
 * The credit story's starting point: the training table as a dataset, model versions 1 (credit_gbdt: accuracy
 * 0.7515 on the table) and 2 (credit_gbdt_v2: 0.7235), and a deployment serving version 1.
 */
export async function creditSetup(t: JobsTestServer): Promise<void> {
  await pushCreditDataset(t);
  expect(await registerFixture(t, MODEL, 'credit_gbdt.onnx')).toBe('1');
  expect(await registerFixture(t, MODEL, 'credit_gbdt_v2.onnx')).toBe('2');
  const dep = await t.call('POST', '/api/v1/deployments', { name: DEPLOYMENT, routes: [{ model: MODEL, version: '1' }] });
  expect(dep.status, JSON.stringify(dep.body)).toBe(200);
}

/** A loop spec judged on the training table as holdout (accuracy may fall by at most `absolute`). */
export function gateOnHoldout(absolute = -0.01): Record<string, unknown> {
  return { holdout: { dataset: DATASET }, production_window: null, label: 'default', thresholds: [{ metric: 'accuracy', absolute }] };
}

/** Polls a loop run until it ends (or the time runs out), answering its detail. */
export async function waitForRun(t: JobsTestServer, loop: string, seq: number, timeoutMs = 60_000, until?: (r: any) => boolean): Promise<any> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await t.call('GET', `/api/v1/loops/${loop}/runs/${seq}`);
    const run = body.loop_run;
    if ((until ? until(run) : run?.ended_at !== null && run?.ended_at !== undefined) || Date.now() > end) return run;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * The rollout most loop tests use: a 1s shadow, one canary step of at most 2s ('extend' lets a run with no traffic
 * through at the end) judged on accuracy from feedback; `extra` adds or overrides fields.
 */
export function quickRollout(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    shadow: { duration: '1s' },
    steps: [{ weight: 50, min_units: 1, max_duration: '2s' }],
    on_insufficient_data: 'extend',
    on_inconclusive: 'extend',
    primary_metric: { metric: 'model:accuracy', kind: 'ratio', window: '1s' },
    ...extra,
  };
}

/**
 * Creates loop `name` on the credit model and deployment, judged on the holdout and promoting at once (no shadow, no
 * canary) unless `fields` say otherwise; fails the test unless created. The loop as created.
 */
export async function createCreditLoop(t: Pick<JobsTestServer, 'call'>, name: string, fields: Record<string, unknown> = {}): Promise<any> {
  const created = await t.call('POST', '/api/v1/loops', {
    name,
    model: MODEL,
    deployment: DEPLOYMENT,
    gate: gateOnHoldout(),
    rollout: { shadow: null, steps: [] },
    ...fields,
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.loop;
}

export const kinds = (run: any): string[] => run.steps.map((s: any) => `${s.kind}:${s.status}`);
