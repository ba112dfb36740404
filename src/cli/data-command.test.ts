/** `ferry data ...` (built, as child processes) against a real server: push, show, diff, tag, download, suites, validate. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FerryServer, failed, ok, runCli, startFerry } from '../../test/support/ferry-process.js';
import { sparkline, bytes } from './data-format.js';
import { splitRef } from './data-actions.js';

let server: FerryServer;
let env: Record<string, string>;
let dir: string;
const ferry = (...args: string[]) => runCli(args, env, { timeoutMs: 60_000 });

function table(rows: number, shift = 0, nulls = false): string {
  const lines = ['id;amount;segment'];
  for (let i = 0; i < rows; i++) lines.push(`${i};${nulls && i % 5 === 0 ? '' : (100 + (i % 50) + shift).toFixed(1)};${['a', 'b', 'c'][i % 3]}`);
  return lines.join('\n') + '\n';
}

beforeAll(async () => {
  server = await startFerry();
  env = { FERRY_URL: server.url, FERRY_TOKEN: server.adminToken };
  dir = mkdtempSync(join(tmpdir(), 'ferry-cli-data-'));
  writeFileSync(join(dir, 'v1.csv'), table(300));
  writeFileSync(join(dir, 'v2.csv'), table(300, 40, true));
});

afterAll(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('ferry data against a real server', () => {
  it('pushes files (JSON and readable), and the same bytes give back the same version', async () => {
    const first = JSON.parse(ok(await ferry('data', 'push', join(dir, 'v1.csv'), '--name', 'sales', '--json')));
    expect(first).toMatchObject({ created: true, version: { ref: 'sales@1', rows: 300, columns: 3 } });
    expect(ok(await ferry('data', 'push', join(dir, 'v1.csv'), '--name', 'sales'))).toMatch(/^already there \(same bytes\): sales@1/);
    expect(ok(await ferry('data', 'push', join(dir, 'v2.csv'), '--name', 'sales'))).toMatch(/^created: sales@2\n/);
    const list = ok(await ferry('data', 'list'));
    expect(list).toMatch(/^NAME +VERSIONS +LATEST/);
    expect(list).toMatch(/sales +2 +2/);
    expect(ok(await ferry('data', 'versions', 'sales'))).toMatch(/VERSION +DIGEST +ROWS/);
  });

  it('shows a profile as a table with a histogram sparkline', async () => {
    const out = ok(await ferry('data', 'show', 'sales@1'));
    expect(out).toMatch(/dataset +sales@1/);
    expect(out).toMatch(/amount +float +0\.0% +100 +124\.5/);
    expect(out).toMatch(/segment +string .*a \(100\)/);
    const json = JSON.parse(ok(await ferry('data', 'show', 'sales@2', '--json')));
    expect(json.profile.columns.find((c: { name: string }) => c.name === 'amount').summary.nulls).toBe(60);
  });

  it('diffs versions, tags and downloads', async () => {
    const diff = ok(await ferry('data', 'diff', 'sales@1', 'sales@2'));
    expect(diff).toMatch(/~ amount: not null → nullable/);
    expect(diff).toMatch(/amount +numerical .*DRIFT/);
    expect(ok(await ferry('data', 'tag', 'sales@1', 'golden'))).toBe('sales@golden → version 1\n');
    const out = join(dir, 'back.csv');
    expect(ok(await ferry('data', 'download', 'sales@golden', '-o', out))).toMatch(/^wrote .*back\.csv/);
    expect(readFileSync(out, 'utf8')).toBe(table(300));
  });

  it('infers a suite, stores it, and validates files as a CI gate (exit 1 on failure)', async () => {
    const suiteFile = join(dir, 'suite.json');
    expect(ok(await ferry('data', 'suite', 'infer', 'sales@1', '--name', 'sales-rules', '-o', suiteFile))).toMatch(/^wrote .*suite\.json \(\d+ expectations\)/);
    expect(ok(await ferry('data', 'suite', 'create', 'sales-rules', suiteFile))).toMatch(/^created suite sales-rules/);
    const good = await ferry('data', 'validate', join(dir, 'v1.csv'), '--suite', 'sales-rules');
    expect(good.code).toBe(0);
    expect(good.stdout).toMatch(/PASSED: suite sales-rules/);
    const bad = await ferry('data', 'validate', join(dir, 'v2.csv'), '--suite', 'sales-rules', '--json');
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout).result.success).toBe(false);
    const stored = await ferry('data', 'validate', 'sales@2', '--suite', 'sales-rules');
    expect(stored.code).toBe(1);
    expect(stored.stdout).toMatch(/FAIL +column_values_to_not_be_null +amount +60 unexpected \(20%\): null@row 1, null@row 6/);
    expect(ok(await ferry('data', 'validations', '--dataset', 'sales'))).toMatch(/sales-rules +sales@2 +FAILED/);
  });

  it('refuses what cannot work with a clear message', async () => {
    expect(failed(await ferry('data', 'push', join(dir, 'missing.csv'), '--name', 'x'))).toMatch(/no such file/);
    writeFileSync(join(dir, 'ragged.csv'), 'a,b\n1,2\n3\n');
    expect(failed(await ferry('data', 'push', join(dir, 'ragged.csv'), '--name', 'x'))).toMatch(/line 3/);
    expect(failed(await ferry('data', 'delete', 'sales'))).toMatch(/--all-versions/);
    expect(failed(await ferry('data', 'show', 'nope@1'))).toMatch(/Dataset 'nope' does not exist/);
  });
});

describe('data formatting', () => {
  it('draws sparklines and sizes', () => {
    expect(sparkline([0, 1, 2, 4])).toBe(' ▃▅█');
    expect(sparkline([])).toBe('');
    expect(bytes(1536)).toBe('1.5 KiB');
    expect(splitRef('a@3')).toEqual({ name: 'a', ref: '3' });
    expect(splitRef('a')).toEqual({ name: 'a', ref: 'latest' });
  });
});
