// Exact histograms and quantiles past the profile's exact budget, checked against numpy on the same file:
// np.histogram with the report's edges (counts equal) and np.quantile(method='inverted_cdf') (values equal).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXACT_DEFAULT_BUDGET, Rng } from '../../stats/index.js';
import { profileReport, profileTable } from './index.js';
import type { ColumnReport } from './types.js';

const PYTHON = resolve('.venv/bin/python');
const ROWS = 250_000;
const dir = mkdtempSync(join(tmpdir(), 'ferry-exact-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Columns meant to be hard for a sketch: continuous floats, a wide integer range with many repeats, integers whose
 * bin edges fall on values (numpy puts an edge value in the upper bin), a heavy tail, and nulls.
 */
function writeFile(): string {
  const rng = new Rng(7);
  const lines = ['x,count,score,tail,sparse'];
  for (let i = 0; i < ROWS; i++) {
    const x = (rng.nextFloat() * 2 - 1) * 1000;
    const count = Math.floor(-Math.log(1 - rng.nextFloat()) * 40);
    const score = Math.floor(rng.nextFloat() * 101);
    const tail = Math.exp(rng.nextFloat() * 30) * (rng.nextFloat() < 0.5 ? -1 : 1);
    const sparse = rng.nextFloat() < 0.3 ? '' : (rng.nextFloat() * 10).toFixed(3);
    lines.push(`${x},${count},${score},${tail},${sparse}`);
  }
  const path = join(dir, 'big.csv');
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

const NUMPY = `
import csv, json, sys
import numpy as np
path, edges = sys.argv[1], json.loads(sys.argv[2])
with open(path, newline='') as f:
    rows = list(csv.DictReader(f))
qs = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99]
out = {}
for name, e in edges.items():
    # Python's float() rounds decimal text correctly, as Ferry's reader must.
    v = np.array([float(r[name]) for r in rows if r[name] != ''], dtype=np.float64)
    counts, _ = np.histogram(v, bins=np.array(e, dtype=np.float64))
    out[name] = {"counts": counts.tolist(), "quantiles": [float(q) for q in np.quantile(v, qs, method='inverted_cdf')]}
print(json.dumps(out))
`;

function numpy(path: string, cols: ColumnReport[]): Record<string, { counts: number[]; quantiles: number[] }> {
  const edges = Object.fromEntries(cols.map((c) => [c.name, c.histogram!.edges]));
  return JSON.parse(execFileSync(PYTHON, ['-c', NUMPY, path, JSON.stringify(edges)], { encoding: 'utf8', maxBuffer: 1 << 24 }));
}

describe('exact stats past the exact budget', () => {
  const path = writeFile();

  // One range with the production pass budget, then many ranges with a tiny one (brackets overflow into fine bins
  // and narrow over several passes): both must equal numpy exactly.
  for (const [label, tuning] of [
    ['one range', {}],
    ['eight ranges, brackets narrowed in fine bins', { rangeBytes: 1 << 20, exactPassValues: 2000 }],
  ] as const) {
    it(`${label}: histogram counts and quantiles equal numpy's on ${ROWS} rows`, async () => {
      const r = await profileTable(path, { format: 'csv' }, tuning);
      expect(r.profile.columns.get('x')!.exact).toBeNull(); // past the budget: the profile alone holds only a sketch
      expect(ROWS).toBeGreaterThan(EXACT_DEFAULT_BUDGET);
      const report = profileReport(r.profile, r.schema, { exact: r.exact });
      const cols = report.columns;
      expect(cols.map((c) => [c.name, c.basis])).toEqual(['x', 'count', 'score', 'tail', 'sparse'].map((n) => [n, 'exact']));
      const want = numpy(path, cols);
      for (const c of cols) {
        expect(c.histogram!.counts, c.name).toEqual(want[c.name].counts);
        const q = c.summary.quantiles!;
        expect([q.p01, q.p05, q.p25, q.p50, q.p75, q.p95, q.p99], c.name).toEqual(want[c.name].quantiles);
      }
      expect(cols.find((c) => c.name === 'sparse')!.histogram!.counts.reduce((a, b) => a + b, 0)).toBeLessThan(ROWS);
    }, 120_000);
  }

  it('without the exact pass the same columns say their basis is the sketch', async () => {
    const r = await profileTable(path, { format: 'csv', exact: false });
    expect(Object.keys(r.exact)).toEqual([]);
    const cols = profileReport(r.profile, r.schema, { exact: r.exact }).columns;
    expect(cols.map((c) => c.basis)).toEqual(['sketch', 'sketch', 'sketch', 'sketch', 'sketch']);
  }, 120_000);
});
