/** `ferry drift / quality / reference / feedback / predictions` (built, as child processes) against a real server. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FerryServer, failed, ok, ROOT, runCli, startFerry } from '../../test/support/ferry-process.js';
import { FerryClient } from '../sdk/index.js';
import { driftBar } from './monitoring-format.js';

const FIXTURES = join(ROOT, 'test', 'fixtures', 'models');
/** Training rows (without the target) as records: traffic that looks like the reference. */
function trainRows(): Record<string, unknown>[] {
  const [head, ...lines] = readFileSync(join(FIXTURES, 'credit_train.csv'), 'utf8').trim().split('\n');
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
let dir: string;
let sdk: FerryClient;
const ferry = (...args: string[]) => runCli(args, env, { timeoutMs: 60_000 });

beforeAll(async () => {
  server = await startFerry();
  env = { FERRY_URL: server.url, FERRY_TOKEN: server.adminToken };
  sdk = new FerryClient({ url: server.url, token: server.adminToken });
  dir = mkdtempSync(join(tmpdir(), 'ferry-cli-monitoring-'));
  ok(await ferry('models', 'register', join(FIXTURES, 'credit_gbdt.onnx'), '--name', 'credit'));
  ok(await ferry('deploy', 'risk', '--model', 'credit', '--version', '1'));
});

afterAll(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('ferry monitoring commands against a real server', () => {
  const ids: string[] = [];

  it('sets a reference from a CSV file and reports drift as a table and as JSON', async () => {
    const out = ok(await ferry('reference', 'set', 'risk', join(FIXTURES, 'credit_train.csv')));
    expect(out).toMatch(/^reference of risk: 2000 rows/);
    const rows = trainRows().slice(1000, 1600);
    for (let i = 0; i < rows.length; i += 200) {
      const res = await sdk.deployments.predict('risk', { instances: rows.slice(i, i + 200).map((r) => ({ ...r, income: (r['income'] as number) * 4 })) });
      ids.push(res.request_id);
    }
    const table = ok(await ferry('drift', 'risk', '--since', '1h'));
    expect(table).toMatch(/dataset drift +no: 1 of 7 features drifted \(threshold 50\.0%\)/);
    const income = table.split('\n').find((l) => l.startsWith('income'))!;
    expect(income).toMatch(/^income +numerical +wasserstein +[\d.]+ +- +0\.1 +YES +█/);
    expect(table).toMatch(/^label \(prediction\)/m);
    const json = JSON.parse(ok(await ferry('drift', 'risk', '--since', '1h', '--json')));
    expect(json.features.find((f: any) => f.name === 'income').drifted).toBe(true);
    // --since in the API's one duration grammar: 1h30m and 1.5h alike; anything else refused naming the flag.
    for (const since of ['1h30m', '1.5h']) expect(JSON.parse(ok(await ferry('drift', 'risk', '--since', since, '--json'))).current.rows, since).toBe(600);
    expect(failed(await ferry('drift', 'risk', '--since', '1h1h'))).toMatch(/^ferry: '--since' must be a duration/);
    expect(failed(await ferry('drift', 'nope'))).toMatch(/does not exist/);
    expect(failed(await ferry('reference', 'set', 'risk'))).toMatch(/give exactly one of: a file, --from/);
  });

  it('reads a reference file as data push does: a ;-separated CSV taken by both, a malformed one refused by both alike', async () => {
    const semi = join(dir, 'train-semi.csv');
    writeFileSync(semi, readFileSync(join(FIXTURES, 'credit_train.csv'), 'utf8').replaceAll(',', ';'));
    expect(JSON.parse(ok(await ferry('data', 'push', semi, '--name', 'credit-semi', '--json'))).version.rows).toBe(2000);
    expect(ok(await ferry('reference', 'set', 'risk', semi, '--prediction-column', 'default'))).toMatch(/^reference of risk: 2000 rows/);
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'age;income\n1;2\n3;4;5\n');
    const pushed = failed(await ferry('data', 'push', bad, '--name', 'credit-bad'));
    expect(pushed).toMatch(/^ferry: line 3: /);
    expect(failed(await ferry('reference', 'set', 'risk', bad))).toBe(pushed);
    // The reference is the training file again for the commands below.
    ok(await ferry('reference', 'set', 'risk', join(FIXTURES, 'credit_train.csv')));
  });

  it('shows data quality', async () => {
    const out = ok(await ferry('quality', 'risk', '--since', '1h'));
    expect(out).toMatch(/^income +600 +[\d.]+% +0 +[\d.]+%/m);
    expect(JSON.parse(ok(await ferry('quality', 'risk', '--json'))).has_reference).toBe(true);
  });

  it('sends feedback from a JSON Lines file, reporting unknown ids', async () => {
    const file = join(dir, 'labels.jsonl');
    writeFileSync(
      file,
      [...ids.map((id) => JSON.stringify({ request_id: id, row: 0, label: 1 })), JSON.stringify({ request_id: 'nope', label: 0 })].join('\n') + '\n',
    );
    const res = await ferry('feedback', file);
    expect(ok(res)).toBe('3 of 4 feedback items stored\n');
    expect(res.stderr).toMatch(/1 item\(s\) match no logged prediction, e.g. nope row 0 \(item 4\)/);
    expect(JSON.parse(ok(await ferry('feedback', file, '--json')))).toMatchObject({ accepted: 3, unknown: [{ index: 3, request_id: 'nope' }] });
    const perf = ok(await ferry('performance', 'risk', '--since', '1h'));
    expect(perf.split('\n')[0]).toMatch(/^model version +n +accuracy +precision +recall +f1 +roc_auc +log_loss/);
    expect(perf.split('\n')[1]).toMatch(/^1 +3 +/);
  });

  it('lists and exports the prediction log', async () => {
    // --limit counts logged requests; each shows one line per row (the last request had 200 rows).
    const list = ok(await ferry('predictions', 'list', 'risk', '--limit', '1'));
    expect(list.split('\n')[0]).toMatch(/^time +request +version +route +status +latency µs +outputs/);
    expect(list.trim().split('\n')).toHaveLength(1 + 200);
    const csv = ok(await ferry('predictions', 'export', 'risk', '--format', 'csv'));
    expect(csv.split('\n')[0]).toContain('input.income');
    expect(csv.trim().split('\n')).toHaveLength(1 + 600);
    const jsonl = ok(await ferry('predictions', 'export', 'risk'));
    expect(
      jsonl
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).request_id)
        .filter((id: string) => ids.includes(id)),
    ).toHaveLength(600);
  });

  it('draws the score against its threshold', () => {
    expect(driftBar({ name: 'x', statistic: 0.2, p_value: null, threshold: 0.1, drifted: true }, false)).toBe('█'.repeat(20));
    expect(driftBar({ name: 'x', statistic: 0.05, p_value: null, threshold: 0.1, drifted: false }, false)).toBe('█'.repeat(5) + '·'.repeat(15));
    // p-values fill on a log scale: p = 0.5 against 0.05 is log(0.5)/log(0.05) ≈ 0.23 of the way.
    expect(driftBar({ name: 'x', statistic: 0.3, p_value: 0.5, threshold: 0.05, drifted: false }, false)).toBe('██' + '·'.repeat(18));
  });
});
