/** Helpers for conversion tests: the Python fixture that logs models with their native flavors, and waiting. */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { TestApp } from '../support/app.js';
import { VENV_BIN } from '../jobs/support.js';

const run = promisify(execFile);
const FIXTURE = resolve(import.meta.dirname, 'fixtures', 'log_model.py');

export interface Logged {
  version: string;
  run_id: string;
  rows: Record<string, number>[];
  probabilities: number[][] | null;
  labels: number[] | null;
  train_csv: string;
}

/** Pushes CSV text as a new version of a Ferry dataset; its digest and number. */
export async function pushCsv(t: TestApp, name: string, body: string): Promise<{ digest: string; version: number }> {
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/v1/datasets/${name}/versions?filename=train.csv`,
    headers: { ...t.auth, 'content-type': 'text/csv' },
    payload: body,
  });
  if (res.statusCode >= 300) throw new Error(`push ${name}: ${res.statusCode} ${res.body}`);
  return res.json().version as { digest: string; version: number };
}

/**
 * Logs a model with the real mlflow client against the listening test server (asynchronously: the server answers
 * in this same process). kind: logistic | custom | pyfunc (see the fixture).
 */
export async function logModel(url: string, token: string, kind: 'logistic' | 'custom' | 'pyfunc', name: string): Promise<Logged> {
  const { stdout } = await run(join(VENV_BIN, 'python'), [FIXTURE, kind, name], {
    env: { ...process.env, MLFLOW_TRACKING_URI: url, MLFLOW_TRACKING_TOKEN: token, GIT_PYTHON_REFRESH: 'quiet' },
    maxBuffer: 16 * 1024 * 1024,
    timeout: 120_000,
  });
  return JSON.parse(stdout.trim().split('\n').pop()!) as Logged;
}

/** Polls a version's conversion until it has ended (or the time runs out, answering its last state). */
export async function waitForConversion(t: TestApp, model: string, version: string, timeoutMs = 120_000): Promise<any> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const { status, body } = await t.call('GET', `/api/v1/models/${model}/versions/${version}/conversion`);
    const state = status === 200 ? body.conversion.state : null;
    if (state === 'succeeded' || state === 'failed' || Date.now() > end) return status === 200 ? body.conversion : body;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The version's tags as a map. */
export async function versionTags(t: TestApp, model: string, version: string): Promise<Record<string, string>> {
  const { body } = await t.call('GET', `/api/2.0/mlflow/model-versions/get?name=${model}&version=${version}`);
  return Object.fromEntries((body.model_version.tags ?? []).map((x: { key: string; value: string }) => [x.key, x.value]));
}

/**
 * A stand-in for projects/onnx-convert in a fresh temp folder: the same entry point and parameters, `command`
 * instead of the job, and any extra files. The caller removes the folder.
 */
export function standInProject(command: string, files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-convert-standin-'));
  writeFileSync(
    join(dir, 'MLproject'),
    `name: stand-in
entry_points:
  main:
    parameters:
      model: string
      version: string
      source: string
      destination: string
      training_data: {type: string, default: ""}
    command: "${command}"
`,
  );
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}
