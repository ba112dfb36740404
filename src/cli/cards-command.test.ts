/** `ferry models card|card-edit|report` in-process against a listening test server (SQLite): table, --json, files. */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/support/app.js';
import { ferryInProcess } from '../../test/support/cli-in-process.js';
import { editBody } from './cards-actions.js';

let t: TestApp;
let url: string;
let dir: string;

beforeAll(async () => {
  t = await startTestApp('sqlite');
  url = await t.app.listen({ port: 0, host: '127.0.0.1' });
  dir = mkdtempSync(join(tmpdir(), 'ferry-cards-cli-'));
  const run = await t.call('POST', '/api/2.0/mlflow/runs/create', { experiment_id: '0' });
  await t.call('POST', '/api/2.0/mlflow/registered-models/create', { name: 'churn' });
  await t.call('POST', '/api/2.0/mlflow/model-versions/create', {
    name: 'churn',
    source: `runs:/${run.body.run.info.run_id}/model`,
    run_id: run.body.run.info.run_id,
  });
});

afterAll(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs `ferry ARGS` in this process as the admin; stdout as text. */
const ferry = async (...args: string[]): Promise<string> => (await ferryInProcess(url, t.adminToken, args)).out;

describe('ferry models card, card-edit, report', () => {
  it('edits the authored fields and shows them (table and --json)', async () => {
    const table = await ferry('models', 'card-edit', 'churn', '--intended-use', 'Rank accounts by churn risk.', '--owner', 'Retention team');
    expect(table).toMatch(/model\s+intended_use\s+Rank accounts by churn risk\./);
    const json = JSON.parse(await ferry('models', 'card-edit', 'churn', '--model-version', '1', '--limitations', 'Monthly plans only.', '--json'));
    expect(json.levels.map((l: { version: string | null }) => l.version)).toEqual([null, '1']);
    const cleared = JSON.parse(await ferry('models', 'card-edit', 'churn', '--clear', 'owner', '--json'));
    expect(cleared.levels[0].fields).toEqual({ intended_use: 'Rank accounts by churn risk.' });
  });

  it('prints the card as a table of sections, as JSON, and renders it to a file', async () => {
    const table = await ferry('models', 'card', 'churn', '1');
    expect(table).toMatch(/Content hash\s+sha256:[0-9a-f]{64}/);
    expect(table).toMatch(/uses\s+present/);
    const card = JSON.parse(await ferry('models', 'card', 'churn', '1', '--json'));
    expect(card.model).toEqual({ name: 'churn', version: '1' });
    const md = await ferry('models', 'card', 'churn', '1', '--format', 'md');
    expect(md).toContain('## Uses');
    const out = join(dir, 'card.html');
    await ferry('models', 'card', 'churn', '1', '--format', 'html', '--out', out);
    expect(readFileSync(out, 'utf8')).toMatch(/^<!doctype html>/);
  });

  it('writes the report zip and prints its checksum', async () => {
    const out = join(dir, 'report.zip');
    const info = JSON.parse(await ferry('models', 'report', 'churn', '1', '--out', out, '--json'));
    const bytes = readFileSync(out);
    expect(info).toEqual({ file: out, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
  });

  it('refuses an edit with nothing to change, an unknown field, or a field both set and cleared', () => {
    expect(() => editBody({})).toThrow(/Nothing to change/);
    expect(() => editBody({ clear: ['colour'] })).toThrow(/--clear colour: expected one of/);
    expect(() => editBody({ owner: 'x', clear: ['owner'] })).toThrow(/both given/);
    expect(editBody({ clear: ['out-of-scope-uses'], modelVersion: '2' })).toEqual({ out_of_scope_uses: null, version: '2' });
  });
});
