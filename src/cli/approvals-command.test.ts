/** `ferry models policy|approve|gate` in-process against a listening test server (SQLite): tables, --json, exit codes. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/support/app.js';
import { ferryInProcess } from '../../test/support/cli-in-process.js';
import { parseFairnessFlag, parseMetricFlag, policyFromOptions } from './approvals-actions.js';

let t: TestApp;
let url: string;
let reviewer: string;

beforeAll(async () => {
  t = await startTestApp('sqlite');
  url = await t.app.listen({ port: 0, host: '127.0.0.1' });
  const run = await t.call('POST', '/api/2.0/mlflow/runs/create', { experiment_id: '0' });
  const runId = run.body.run.info.run_id as string;
  await t.call('POST', '/api/2.0/mlflow/runs/log-metric', { run_id: runId, key: 'accuracy', value: 0.91, timestamp: 1, step: 0 });
  await t.call('POST', '/api/2.0/mlflow/registered-models/create', { name: 'churn' });
  await t.call('POST', '/api/2.0/mlflow/model-versions/create', { name: 'churn', source: `runs:/${runId}/model`, run_id: runId });
  reviewer = (await t.call('POST', '/api/v1/tokens', { name: 'reviewer', role: 'admin' })).body.token;
});

afterAll(async () => {
  process.exitCode = undefined;
  await t?.close();
});

/** Runs `ferry ARGS` in this process as the token's holder; stdout as text and the exit code it set. */
const ferry = (token: string, ...args: string[]) => ferryInProcess(url, token, args);

describe('ferry models policy, approve, gate', () => {
  it('sets and shows a policy from flags, gates the version (exit 1 while unmet), records approvals', async () => {
    const set = await ferry(
      t.adminToken,
      'models',
      'policy',
      'set',
      'churn',
      'production',
      '--metric',
      'accuracy>=0.9',
      '--approvals',
      '1',
      '--roles',
      'admin',
    );
    expect(set.out).toContain('Set the approval policy of @production');
    expect(set.out).toMatch(/metric\s+accuracy >= 0\.9/);
    const shown = JSON.parse((await ferry(t.adminToken, 'models', 'policy', 'show', 'churn', '--json')).out);
    expect(shown.policies[0]).toMatchObject({ alias: 'production', required_approvals: 1, roles: ['admin'] });
    expect((await ferry(t.adminToken, 'models', 'policy', 'show', 'churn')).out).toMatch(/@production\s+accuracy >= 0\.9\s+1\s+admin/);

    let gate = await ferry(t.adminToken, 'models', 'gate', 'churn', '1', '--alias', 'production');
    expect(gate.code).toBe(1);
    expect(gate.out).toContain('NOT SATISFIED');
    expect(gate.out).toMatch(/pass\s+metric accuracy >= 0\.9\s+accuracy = 0\.91/);
    expect(gate.out).toContain('1 more independent approval');

    // The admin token created the version: its approval is recorded, not counted.
    const own = await ferry(t.adminToken, 'models', 'approve', 'churn', '1', '--alias', 'production', '--comment', 'mine');
    expect(own.out).toContain('does not count');
    const ok = JSON.parse((await ferry(reviewer, 'models', 'approve', 'churn', '1', '--alias', 'production', '--comment', 'reviewed', '--json')).out);
    expect(ok.approval).toMatchObject({ actor: 'reviewer', counts: true });
    expect(ok.gate.satisfied).toBe(true);
    gate = await ferry(reviewer, 'models', 'gate', 'churn', '1', '--alias', 'production', '--events');
    expect(gate.code).toBeUndefined();
    expect(gate.out).toContain('SATISFIED');
    expect(gate.out).toMatch(/approval\s+1\s+reviewer/);
    const rejected = JSON.parse((await ferry(reviewer, 'models', 'approve', 'churn', '1', '--alias', 'production', '--reject', '--json')).out);
    expect(rejected.gate.unmet).toContain('reviewer rejected the version.');

    expect((await ferry(t.adminToken, 'models', 'policy', 'delete', 'churn', 'production')).out).toContain('no longer guarded');
  });

  it('parses check flags and refuses malformed ones', () => {
    expect(parseMetricFlag('log_loss <= 0.35')).toEqual({ kind: 'metric', metric: 'log_loss', op: '<=', threshold: 0.35 });
    expect(parseFairnessFlag('demographic_parity_ratio:sex,age>=0.8')).toEqual({
      kind: 'fairness',
      metric: 'demographic_parity_ratio',
      features: ['sex', 'age'],
      min: 0.8,
    });
    expect(parseFairnessFlag('equalized_odds_difference:sex<=0.1')).toMatchObject({ max: 0.1 });
    expect(() => parseMetricFlag('accuracy>0.9')).toThrow(/NAME>=NUMBER/);
    expect(() => parseFairnessFlag('dpr>=0.8')).toThrow(/METRIC:FEATURE/);
    expect(() => policyFromOptions({ roles: 'viewer' })).toThrow(/cannot approve/);
    expect(policyFromOptions({ card: 'uses, evaluation', validation: true, approvals: 2 })).toEqual({
      checks: [{ kind: 'card', sections: ['uses', 'evaluation'] }, { kind: 'validation' }],
      required_approvals: 2,
    });
  });
});
