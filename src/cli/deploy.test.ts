/** `ferry deploy`, `ferry deployments ...` and `ferry predict --file` (built, as child processes) against a real server with real ONNX models. */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FerryServer, failed, ok, ROOT, runCli, startFerry } from '../../test/support/ferry-process.js';
import { type Deployment, type DeploymentRevision, FerryClient } from '../sdk/index.js';

const FIXTURES = join(ROOT, 'test', 'fixtures', 'models');
const credit = JSON.parse(readFileSync(join(FIXTURES, 'credit_gbdt.expected.json'), 'utf8')) as {
  records: Record<string, unknown>[];
  outputs: { label: number[] };
};

let server: FerryServer;
let env: Record<string, string>;
let dir: string;

/** Uploads a fixture through the artifact proxy and registers it as the next version of `credit`. */
async function registerFixture(sdk: FerryClient, file: string): Promise<string> {
  const path = `uploads/${randomUUID()}/model.onnx`;
  const put = await fetch(`${server.url}/api/2.0/mlflow-artifacts/artifacts/${path}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${server.adminToken}`, 'content-type': 'application/octet-stream' },
    body: readFileSync(join(FIXTURES, file)),
  });
  if (put.status !== 200) throw new Error(`upload failed: ${put.status} ${await put.text()}`);
  await sdk.models.create('credit').catch(() => undefined); // exists after the first version
  return (await sdk.modelVersions.create({ name: 'credit', source: `mlflow-artifacts:/${path}` })).version;
}

beforeAll(async () => {
  server = await startFerry();
  env = { FERRY_URL: server.url, FERRY_TOKEN: server.adminToken };
  const sdk = new FerryClient({ url: server.url, token: server.adminToken });
  expect(await registerFixture(sdk, 'credit_gbdt.onnx')).toBe('1');
  expect(await registerFixture(sdk, 'credit_gbdt_v2.onnx')).toBe('2');
  await sdk.models.setAlias('credit', 'champion', 2);
  dir = mkdtempSync(join(tmpdir(), 'ferry-cli-deploy-'));
});

afterAll(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const ferry = (...args: string[]) => runCli(args, env, { timeoutMs: 60_000 });

function jsonl(name: string, lines: string[]): string {
  const file = join(dir, name);
  writeFileSync(file, lines.map((l) => `${l}\n`).join(''));
  return file;
}

const columnStart = (table: string, header: string) =>
  table
    .split('\n')
    .find((l) => l.includes('ROUTE'))!
    .indexOf(header);

describe('ferry deploy / deployments / predict against a real server', () => {
  it('deploys a version with a canary, then updates it to a new revision', async () => {
    const res = await ferry('deploy', 'credit-risk', '--model', 'credit', '--version', '1', '--canary', 'credit:2:10');
    const out = ok(res);
    expect(res.stderr).toBe("Created deployment 'credit-risk' (revision 1).\n");
    expect(out).toMatch(/^Name +credit-risk$/m);
    expect(out).toMatch(/^Serving +revision 1$/m);
    expect(out).toMatch(/^Routes\n {2}ROUTE +MODEL +REF +VERSION +WEIGHT +STATE +REASON$/m);
    expect(out).toMatch(/^ {2}main +credit +1 +1 +90% +ready$/m);
    const canary = out.split('\n').find((l) => l.includes('canary'))!;
    expect(canary).toMatch(/^ {2}canary +credit +2 +2 +10% +ready$/);
    expect(canary.indexOf('ready')).toBe(columnStart(out, 'STATE'));

    const args = [
      '--model',
      'credit',
      '--alias',
      'champion',
      '--shadow',
      'credit:1',
      '--sticky-key',
      'customer',
      '--max-batch-size',
      '16',
      '--max-queue-delay-ms',
      '0',
      '--json',
    ];
    const { deployment } = JSON.parse(ok(await ferry('deploy', 'credit-risk', ...args))) as { deployment: Deployment };
    expect(deployment).toMatchObject({ name: 'credit-risk', revision: 2, created_by: 'admin' });
    expect(deployment.spec).toMatchObject({
      routes: [{ model: 'credit', alias: 'champion', weight: 100 }],
      shadow: [{ model: 'credit', version: '1' }],
      sticky_key: 'customer',
    });
    expect(deployment.spec.batching).toMatchObject({ max_batch_size: 16, max_queue_delay_ms: 0 });
    expect(deployment.status.serving_revision).toBe(2);
    expect(deployment.status.routes.map((r) => [r.version, r.state])).toEqual([
      ['2', 'ready'],
      ['1', 'ready'],
    ]);
  });

  it('lists deployments and shows one with route states and revision history', async () => {
    const list = ok(await ferry('deployments', 'list'));
    expect(list.split('\n')[0]).toMatch(/^NAME +REVISION +SERVING +ROUTES +UPDATED$/);
    expect(list).toMatch(/^credit-risk +2 +revision 2 +credit@champion 100%, shadow credit:1 +\d{4}-/m);
    const listed = JSON.parse(ok(await ferry('deployments', 'list', '--json'))) as { deployments: Deployment[] };
    expect(listed.deployments.map((d) => [d.name, d.revision])).toEqual([['credit-risk', 2]]);

    const show = ok(await ferry('deployments', 'show', 'credit-risk'));
    expect(show).toMatch(/^Sticky key +customer$/m);
    expect(show).toMatch(/^Batching +up to 16 rows, wait ≤ 0 ms/m);
    expect(show).toMatch(/^ {2}main +credit +@champion +2 +100% +ready$/m);
    expect(show).toMatch(/^ {2}shadow +credit +1 +1 +ready$/m);
    expect(show).toMatch(
      /^Revisions\n {2}REVISION +CREATED +BY +COMMENT +ROUTES\n {2} {7}2 .* admin +updated +credit@champion 100%, shadow credit:1\n {2} {7}1 .* admin +created +credit:1 90%, credit:2 10%$/m,
    );
    const json = JSON.parse(ok(await ferry('deployments', 'show', 'credit-risk', '--json'))) as { deployment: Deployment; revisions: DeploymentRevision[] };
    expect(json.deployment.revision).toBe(2);
    expect(json.revisions.map((r) => [r.revision, r.comment])).toEqual([
      [2, 'updated'],
      [1, 'created'],
    ]);
  });

  it('rolls back to an earlier revision as a new revision', async () => {
    const res = await ferry('deployments', 'rollback', 'credit-risk', '--revision', '1');
    const out = ok(res);
    expect(res.stderr).toBe("Rolled back deployment 'credit-risk' to revision 1's spec (now revision 3).\n");
    expect(out).toMatch(/^Revision +3$/m);
    expect(out).toMatch(/^ {2}main +credit +1 +1 +90% +ready$/m);
    expect(out).toMatch(/^ {2}canary +credit +2 +2 +10% +ready$/m);
    const { revisions } = JSON.parse(ok(await ferry('deployments', 'show', 'credit-risk', '--json'))) as { revisions: DeploymentRevision[] };
    expect(revisions[0]).toMatchObject({ revision: 3, comment: 'rollback to revision 1' });
    const { deployment } = JSON.parse(ok(await ferry('deployments', 'rollback', 'credit-risk', '--revision', '2', '--json'))) as { deployment: Deployment };
    expect([deployment.revision, deployment.spec.routes[0]!.alias]).toEqual([4, 'champion']);
    expect(failed(await ferry('deployments', 'rollback', 'credit-risk', '--revision', '99'))).toBe("ferry: Deployment 'credit-risk' has no revision 99.\n");
    expect(failed(await ferry('deployments', 'rollback', 'credit-risk'))).toMatch(/^ferry: required option '--revision <n>' not specified/);
  });

  it('streams a JSON Lines file through the deployment in batches, one JSON line out per row', async () => {
    ok(await ferry('deploy', 'credit-risk', '--model', 'credit', '--version', '1'));
    const file = jsonl('rows.jsonl', [...credit.records.map((r) => JSON.stringify(r)), '']); // a blank line carries no row
    const res = await ferry('predict', 'credit-risk', '--file', file, '--batch-size', '7');
    expect(res.stderr).toBe(''); // no progress bar: stderr is not a terminal
    const rows = ok(res)
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { row: number; prediction: { label: number }; model_version: string });
    expect(rows.map((r) => r.row)).toEqual(credit.records.map((_, i) => i));
    expect(rows.map((r) => r.prediction.label)).toEqual(credit.outputs.label);
    expect(new Set(rows.map((r) => r.model_version))).toEqual(new Set(['1']));
    const oneBatch = ok(await ferry('predict', 'credit-risk', '--file', file));
    expect(
      oneBatch
        .trimEnd()
        .split('\n')
        .map((l) => (JSON.parse(l) as { prediction: { label: number } }).prediction.label),
    ).toEqual(credit.outputs.label);
  });

  it('names the file line of a bad record', async () => {
    const [a, b] = credit.records.map((r) => JSON.stringify(r));
    expect(failed(await ferry('predict', 'credit-risk', '--file', jsonl('syntax.jsonl', [a!, b!, '{"age": 41,'])))).toMatch(
      new RegExp(`^ferry: ${join(dir, 'syntax.jsonl').replace(/[.\\/]/g, '\\$&')} line 3: .*JSON.*\n$`),
    );
    expect(failed(await ferry('predict', 'credit-risk', '--file', jsonl('array.jsonl', [a!, '', '[1, 2]'])))).toBe(
      `ferry: ${join(dir, 'array.jsonl')} line 3: expected a JSON object (one record per line), got an array\n`,
    );
    const typed = JSON.stringify({ ...credit.records[0], age: 'old' });
    expect(failed(await ferry('predict', 'credit-risk', '--file', jsonl('typed.jsonl', [a!, '', b!, typed])))).toBe(
      `ferry: ${join(dir, 'typed.jsonl')} line 4: feature 'age' must be a number, got "old".\n`,
    );
    expect(failed(await ferry('predict', 'credit-risk', '--file', join(dir, 'missing.jsonl')))).toBe(
      `ferry: cannot read ${join(dir, 'missing.jsonl')}: no such file\n`,
    );
  });

  it('refuses bad model references', async () => {
    const deploy = (...args: string[]) => ferry('deploy', 'credit-risk', '--model', 'credit', ...args);
    expect(failed(await deploy('--version', '1', '--canary', 'credit:2'))).toMatch(
      /^ferry: option '--canary <model:version:pct>' argument 'credit:2' is invalid\. 'credit:2' needs a traffic percentage/,
    );
    expect(failed(await deploy('--version', '1', '--canary', 'credit/2:10'))).toMatch(
      /argument 'credit\/2:10' is invalid\. 'credit\/2' is not a model reference: use MODEL:VERSION or MODEL@ALIAS/,
    );
    expect(failed(await deploy('--version', '1', '--shadow', 'credit'))).toMatch(/^ferry: option '--shadow <model:version>' argument 'credit' is invalid/);
    expect(failed(await deploy('--version', '1', '--canary', 'credit:2:60', '--canary', 'credit@champion:40'))).toBe(
      'ferry: the canary percentages add up to 100%; they must leave the main route more than 0%\n',
    );
    expect(failed(await deploy('--version', '1', '--alias', 'champion'))).toBe('ferry: pass exactly one of --version or --alias for --model\n');
    expect(failed(await deploy())).toBe('ferry: pass exactly one of --version or --alias for --model\n');
    expect(failed(await deploy('--version', 'latest'))).toMatch(/^ferry: option '--version <version>' argument 'latest' is invalid/);
    expect(failed(await deploy('--version', '1', '--canary', 'credit:9:10'))).toMatch(/^ferry: routes\[1\]: .*version=9.*not found/);
    expect(failed(await deploy('--alias', 'nobody'))).toMatch(/^ferry: routes\[0\]: .*alias nobody not found/);
    expect(failed(await ferry('deploy', 'Bad_Name', '--model', 'credit', '--version', '1'))).toMatch(
      /^ferry: Invalid value for parameter 'name': expected lowercase letters, digits and dashes/,
    );
    // Nothing above changed the deployment.
    expect((JSON.parse(ok(await ferry('deployments', 'show', 'credit-risk', '--json'))) as { deployment: Deployment }).deployment.revision).toBe(5);
  });

  it('deletes a deployment', async () => {
    expect(ok(await ferry('deployments', 'delete', 'credit-risk'))).toBe('Deleted deployment credit-risk.\n');
    const empty = await ferry('deployments', 'list');
    expect([ok(empty), empty.stderr]).toEqual(['', 'No deployments.\n']);
    expect(JSON.parse(ok(await ferry('deployments', 'list', '--json')))).toEqual({ deployments: [] });
    expect(failed(await ferry('deployments', 'show', 'credit-risk'))).toBe("ferry: Deployment 'credit-risk' does not exist.\n");
    expect(failed(await ferry('deployments', 'delete', 'credit-risk', '--json'))).toBe("ferry: Deployment 'credit-risk' does not exist.\n");
    expect(ok(await runCli(['--version']))).toBe('0.1.0\n');
  });
});
