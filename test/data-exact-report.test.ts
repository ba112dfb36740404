/**
 * A dataset version past the profile's exact budget reports exact histograms and quantiles through the API (both
 * stores): the push counts them by reading the file again and stores them beside the profile (migration 0023), so
 * the report equals the one profileTable gives for the same file, with basis 'exact' on every numeric column.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { profileReport, profileTable } from '../src/data/table/index.js';
import { EXACT_DEFAULT_BUDGET } from '../src/stats/index.js';
import { forEachStore } from './support/stores.js';
import { useTestApp } from './support/app.js';

const ROWS = 120_000;
const dir = mkdtempSync(join(tmpdir(), 'ferry-exact-api-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function csv(): string {
  const lines = ['id,amount,label'];
  for (let i = 0; i < ROWS; i++) lines.push(`${i},${((i * 7919) % 100_003) / 7},${i % 3 === 0 ? 'a' : 'b'}`);
  return lines.join('\n') + '\n';
}

forEachStore('dataset report past the exact budget', (kind) => {
  const t = useTestApp(kind);

  it('is exact through the API, equal to profileTable with its exact pass', async () => {
    expect(ROWS).toBeGreaterThan(EXACT_DEFAULT_BUDGET);
    const body = csv();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/datasets/big/versions?filename=big.csv',
      headers: { ...t.auth, 'content-type': 'text/csv' },
      payload: body,
    });
    expect(res.statusCode, res.body).toBe(201);
    const v = await t.call('GET', '/api/v1/datasets/big/versions/1');
    expect(v.status).toBe(200);
    const cols = v.body.version.profile.columns as { name: string; basis: string | null; histogram: unknown; summary: { quantiles: unknown } }[];
    expect(cols.map((c) => [c.name, c.basis])).toEqual([
      ['id', 'exact'],
      ['amount', 'exact'],
      ['label', null],
    ]);

    const path = join(dir, `big-${kind}.csv`);
    writeFileSync(path, body);
    const local = await profileTable(path, { format: 'csv' });
    const want = profileReport(local.profile, local.schema, { exact: local.exact }).columns;
    for (const [i, c] of cols.entries()) {
      expect(c.histogram, c.name).toEqual(want[i].histogram);
      expect(c.summary.quantiles, c.name).toEqual(want[i].summary.quantiles);
    }
    // Without the stored stats the same profile could only answer from its sketch.
    expect(profileReport(local.profile, local.schema).columns.map((c) => c.basis)).toEqual(['sketch', 'sketch', null]);
  }, 120_000);
});
