// The soak's mixed workload: what a production Ferry sees at once. Each kind is one HTTP call; `pick(n)` chooses the
// n-th call's kind from the weights by a fixed interleaving (no randomness: two runs send the same sequence).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from '../scale/replica.mjs';

export const DEPLOYMENT = 'soak';
export const MODEL = 'credit_gbdt';
const fixtures = join(REPO, 'test', 'fixtures', 'models');
const expected = JSON.parse(readFileSync(join(fixtures, `${MODEL}.expected.json`), 'utf8'));
/** The fixture's recorded rows (the last has an unseen category, as live traffic does). */
export const RECORDS = expected.records;
export const MODEL_FILE = join(fixtures, `${MODEL}.onnx`);
export const REFERENCE_CSV = join(fixtures, 'credit_train.csv');

/** Kind → share of the calls. Predictions dominate, as they do in production; reads are what dashboards poll. */
export const WEIGHTS = {
  predict: 64, // with prediction logging on (the deployment's default)
  feedback: 8, // ground truth for predictions answered a few seconds earlier
  log_batch: 15, // tracking writes from training runs
  drift: 2, // the drift report a dashboard refreshes
  ui: 11, // the UI's polling: its page, deployment lists and details, run search, the prediction log
};

const UI_CALLS = [
  ['GET', '/'],
  ['GET', '/api/v1/deployments'],
  ['GET', `/api/v1/deployments/${DEPLOYMENT}`],
  ['GET', `/api/v1/deployments/${DEPLOYMENT}/predictions?limit=20`],
  ['POST', '/api/2.0/mlflow/runs/search'],
];

/** The kind of the n-th call: a smooth weighted round robin over WEIGHTS (every window of 100 calls has the mix). */
export function picker() {
  const kinds = Object.keys(WEIGHTS);
  const total = kinds.reduce((s, k) => s + WEIGHTS[k], 0);
  const current = Object.fromEntries(kinds.map((k) => [k, 0]));
  return () => {
    let best = kinds[0];
    for (const k of kinds) {
      current[k] += WEIGHTS[k];
      if (current[k] > current[best]) best = k;
    }
    current[best] -= total;
    return best;
  };
}

/**
 * Builds the n-th call of a kind: {method, path, body?}. `ctx` holds the run ids, the experiment and a ring of
 * request ids answered at least `feedbackDelayMs` ago (null when none yet: the call becomes a prediction).
 */
export function buildCall(kind, n, ctx) {
  switch (kind) {
    case 'predict':
      return { kind, method: 'POST', path: `/api/v1/deployments/${DEPLOYMENT}/predict`, body: { instances: [RECORDS[n % RECORDS.length]] } };
    case 'feedback': {
      const id = ctx.feedbackId();
      if (!id) return buildCall('predict', n, ctx);
      return { kind, method: 'POST', path: '/api/v1/feedback', body: { feedback: [{ request_id: id, label: n % 2 }] } };
    }
    case 'log_batch': {
      const ts = Date.now();
      const metrics = [];
      for (let k = 0; k < 10; k++) metrics.push({ key: `m${k}`, value: ((n * 31 + k) % 1000) / 7, step: n, timestamp: ts });
      return { kind, method: 'POST', path: '/api/2.0/mlflow/runs/log-batch', body: { run_id: ctx.runIds[n % ctx.runIds.length], metrics } };
    }
    case 'drift':
      return { kind, method: 'GET', path: `/api/v1/deployments/${DEPLOYMENT}/drift` };
    case 'ui': {
      const [method, path] = UI_CALLS[n % UI_CALLS.length];
      const body = method === 'POST' ? { experiment_ids: [ctx.experimentId], max_results: 20 } : undefined;
      return { kind, method, path, body };
    }
    default:
      throw new Error(`unknown kind ${kind}`);
  }
}
