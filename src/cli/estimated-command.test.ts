/** `ferry monitoring estimated NAME` (built, as a child process) against a real server, and its table cells. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FerryServer, failed, ok, ROOT, runCli, startFerry } from '../../test/support/ferry-process.js';
import { FerryClient } from '../sdk/index.js';
import { metricCell, metricsOf } from './estimated-actions.js';

const FIXTURES = join(ROOT, 'test', 'fixtures', 'models');
const csv = readFileSync(join(FIXTURES, 'credit_train.csv'));

function trainRows(): Record<string, unknown>[] {
  const [head, ...lines] = csv.toString('utf8').trim().split('\n');
  const cols = head!.split(',');
  return lines.map((l) =>
    Object.fromEntries(
      l
        .split(',')
        .map((v, i) => [cols[i]!, v === '' ? null : /^[-\d.]+$/.test(v) ? Number(v) : v])
        .filter(([k]) => k !== 'default'),
    ),
  );
}

let server: FerryServer;
let env: Record<string, string>;
let sdk: FerryClient;
const ferry = (...args: string[]) => runCli(args, env, { timeoutMs: 60_000 });

beforeAll(async () => {
  server = await startFerry();
  env = { FERRY_URL: server.url, FERRY_TOKEN: server.adminToken };
  sdk = new FerryClient({ url: server.url, token: server.adminToken });
  ok(await ferry('models', 'register', join(FIXTURES, 'credit_gbdt.onnx'), '--name', 'credit'));
  ok(await ferry('deploy', 'risk', '--model', 'credit', '--version', '1'));
  await sdk.data.push('credit-ref', new Uint8Array(csv), { filename: 'credit_train.csv' });
  await sdk.deployments.predict('risk', { instances: trainRows().slice(0, 300) });
}, 360_000);

afterAll(async () => {
  await server?.stop();
});

describe('ferry monitoring estimated', () => {
  it('prints one line per window with estimates and bands, and the API answer with --json', async () => {
    const table = ok(await ferry('monitoring', 'estimated', 'risk', '--dataset', 'credit-ref@1', '--since', '1h', '--metrics', 'roc_auc,accuracy'));
    expect(table).toMatch(/^risk: model credit\/1, .* windows of 1h$/m);
    expect(table).toMatch(/^reference credit-ref@1, label 'default', 2000 rows$/m);
    expect(table).toMatch(/^calibration (isotonic|none): /m);
    expect(table).toMatch(/^window +rows +labelled +roc_auc +accuracy/m);
    expect(table).toMatch(/^overall +300 +0 \(0%\) +0\.\d{3} \[0\.\d{3}, [01]\.\d{3}\] +0\.\d{3} \[/m);
    const json = JSON.parse(ok(await ferry('monitoring', 'estimated', 'risk', '--dataset', 'credit-ref@1', '--since', '1h', '--json')));
    expect(json.overall.rows).toBe(300);
    expect(json.reference.label).toBe('default');
    expect(Object.keys(json.overall.metrics)).toEqual(['roc_auc', 'f1', 'precision', 'recall', 'specificity', 'accuracy', 'average_precision']);
  }, 120_000);

  it('refuses a bad flag before sending, and says what the server refused', async () => {
    expect(failed(await ferry('monitoring', 'estimated', 'risk', '--metrics', 'auc'))).toMatch(/--metrics: 'auc' is not one of/);
    expect(failed(await ferry('monitoring', 'estimated', 'risk', '--window', 'soon'))).toMatch(/--window/);
    expect(failed(await ferry('monitoring', 'estimated', 'risk'))).toMatch(/dataset/);
  }, 60_000);

  it('shows realized beside the band, flagged when outside it', () => {
    expect(metricsOf(undefined)).toEqual(['roc_auc', 'f1', 'accuracy']);
    const m = { estimated: 0.8, sampling_error: 0.01, lower: 0.77, upper: 0.83, realized: 0.7, realized_outside_band: true };
    const w = { start: '', end: '', rows: 10, labelled: 5, label_coverage: 0.5, expected_confusion: null, outside_band: ['f1'], metrics: { f1: m } } as never;
    expect(metricCell(w, 'f1')).toBe('0.800 [0.770, 0.830] → 0.700 !');
    expect(metricCell(w, 'accuracy')).toBe('-');
  });
});
