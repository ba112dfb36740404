/** `ferry models fairness` and `ferry deployments fairness` in-process against a listening test server (SQLite): tables and --json. */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/support/app.js';
import { ferryInProcess } from '../../test/support/cli-in-process.js';
import { registerFixture } from '../../test/support/models.js';
import { labelArg } from './fairness-actions.js';

let t: TestApp;
let url: string;
const csv = readFileSync(new URL('../../test/fixtures/models/credit_train.csv', import.meta.url), 'utf8');

beforeAll(async () => {
  t = await startTestApp('sqlite');
  url = await t.app.listen({ port: 0, host: '127.0.0.1' });
  await registerFixture(t, 'credit', 'credit_gbdt.onnx');
  const push = await t.app.inject({
    method: 'POST',
    url: '/api/v1/datasets/credit/versions?filename=credit_train.csv',
    headers: { ...t.auth, 'content-type': 'text/csv' },
    payload: csv,
  });
  expect(push.statusCode).toBe(201);
  expect((await t.call('POST', '/api/v1/deployments', { name: 'credit', routes: [{ model: 'credit', version: '1' }] })).status).toBe(200);
}, 60_000);

afterAll(async () => {
  await t?.close();
});

/** Runs `ferry ARGS` in this process as the admin; stdout as text. */
const ferry = async (...args: string[]): Promise<string> => (await ferryInProcess(url, t.adminToken, args)).out;

describe('ferry models fairness, ferry deployments fairness', () => {
  it('creates a report and prints groups as rows with their counts, then lists and shows it', async () => {
    const table = await ferry(
      'models',
      'fairness',
      'credit',
      '1',
      '--dataset',
      'credit',
      '--label',
      'default',
      '--sensitive',
      'home_ownership',
      '--metric',
      'selection_rate,tpr',
    );
    expect(table).toMatch(/By home_ownership/);
    expect(table).toMatch(/GROUP\s+N\s+SELECTION\s+TPR\s+NOTE/);
    expect(table).toMatch(/\n\(missing\)\s+\d+\s/);
    expect(table).toMatch(/Four-fifths \(heuristic\)\s+(not )?flagged/);
    const json = JSON.parse(await ferry('models', 'fairness', 'credit', '1', '--list', '--json'));
    expect(json.reports).toHaveLength(1);
    const id = String(json.reports[0].id);
    expect(await ferry('models', 'fairness', 'credit', '1', '--list')).toMatch(
      new RegExp(`^ID\\s+DATASET.*\\n\\s*${id}\\s+credit@1\\s+home_ownership\\s+2000`, 's'),
    );
    const shown = JSON.parse(await ferry('models', 'fairness', 'credit', '1', '--report', id, '--json'));
    const rows = shown.report.analyses[0].frames[0].groups;
    // Counts always shown: every row is in one group.
    expect(rows.reduce((s: number, g: { n: number }) => s + g.n, 0)).toBe(2000);
  }, 60_000);

  it('prints live fairness per window', async () => {
    const lines = csv.trim().split('\n');
    const cols = lines[0]!.split(',');
    const instances = lines.slice(1, 101).map((l) =>
      Object.fromEntries(
        l
          .split(',')
          .map((v, i) => [cols[i]!, v === '' ? null : /^[-\d.]+$/.test(v) ? Number(v) : v] as const)
          .filter(([k]) => k !== 'default'),
      ),
    );
    expect((await t.call('POST', '/api/v1/deployments/credit/predict', { instances })).status).toBe(200);
    const table = await ferry('deployments', 'fairness', 'credit', '--feature', 'home_ownership', '--from', '1h', '--window', '30m');
    expect(table).toMatch(/Whole range: \d+ predictions, 0 labelled/);
    expect(table).toMatch(/GROUP\s+N\s+SELECTION\s+LABELLED\s+COVERAGE\s+TPR\s+FPR/);
    const json = JSON.parse(await ferry('deployments', 'fairness', 'credit', '--feature', 'home_ownership', '--json'));
    expect(json.overall.n + json.overall.missing_feature).toBe(100);
  }, 60_000);

  it('reads labels as typed', () => {
    expect([labelArg('1'), labelArg('true'), labelArg('yes'), labelArg('-1')]).toEqual([1, true, 'yes', -1]);
  });
});
