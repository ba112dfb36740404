import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataFileError } from '../../errors.js';
import { DatasetProfile } from '../../stats/index.js';
import { DATA_PROFILE_OPTIONS, detectFormat, inferSchema, profileReport, profileTable } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'ferry-profile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function file(content: string, ext = 'csv'): string {
  const p = join(dir, `f${n++}.${ext}`);
  writeFileSync(p, content);
  return p;
}

/** id,age,score,city,day rows; `bad` puts 'abc' into age on that data row. */
function csv(rows: number, bad?: number): string {
  const lines = ['id,age,score,city,day'];
  for (let i = 1; i <= rows; i++) {
    const age = i === bad ? 'abc' : String(20 + (i % 50));
    lines.push(`${i},${age},${(i % 7) / 2},${['paris', 'oslo', 'rome'][i % 3]},2024-01-${String(1 + (i % 28)).padStart(2, '0')}`);
  }
  return lines.join('\n') + '\n';
}

describe('profileTable', () => {
  it('profiles every column with the shared DatasetProfile (numerical / categorical kinds, data-version options)', async () => {
    const r = await profileTable(file(csv(1000)), { format: 'csv' });
    expect(r.rows).toBe(1000);
    expect(r.profile).toBeInstanceOf(DatasetProfile);
    expect(r.schema.columns.map((c) => [c.name, c.type, c.nullable])).toEqual([
      ['id', 'integer', false],
      ['age', 'integer', false],
      ['score', 'float', false],
      ['city', 'string', false],
      ['day', 'datetime', false],
    ]);
    expect(r.schema.warnings).toEqual([]);
    const kinds = [...r.profile.columns.values()].map((c) => c.kind);
    expect(kinds).toEqual(['numerical', 'numerical', 'numerical', 'categorical', 'numerical']);
    const id = r.profile.columns.get('id')!;
    expect(id.options.reservoirCapacity).toBe(DATA_PROFILE_OPTIONS.reservoirCapacity);
    expect(id.reservoir!.size).toBe(1000); // all of them: the reservoir holds 2000
    expect(id.summary().mean).toBe(500.5);
    expect(r.profile.columns.get('city')!.summary().top).toEqual([
      { value: 'oslo', count: 334 },
      { value: 'paris', count: 333 },
      { value: 'rome', count: 333 },
    ]);
    expect(r.bytes).toBeGreaterThan(0);
  });

  it('demotes a column whose late value breaks the sampled type, warns, and re-profiles it as string', async () => {
    const p = file(csv(12_000, 11_500));
    const r = await profileTable(p, { format: 'csv', batchRows: 4096 });
    expect(r.schema.columns.find((c) => c.name === 'age')!.type).toBe('string');
    expect(r.schema.warnings).toEqual([{ column: 'age', line: 11_501, message: "column 'age' looked integer until line 11501 ('abc'); profiled as string" }]);
    const age = r.profile.columns.get('age')!;
    expect(age.kind).toBe('categorical');
    expect(age.count).toBe(12_000);
    expect(age.frequent!.estimate('abc')).toBe(1);
    expect(age.frequent!.estimate('20')).toBe(239); // i % 50 === 0, less row 11500 ('abc')
    // The other columns keep their first-pass profiles.
    expect(r.profile.columns.get('id')!.kind).toBe('numerical');
    const s = await inferSchema(p, { format: 'csv' });
    expect(s.columns.map((c) => c.type)).toEqual(['integer', 'string', 'float', 'string', 'datetime']);
    expect(s.warnings).toEqual(r.schema.warnings);
  });

  it('demotes a column called __proto__ like any other', async () => {
    const lines = ['__proto__'];
    for (let i = 0; i < 10_010; i++) lines.push(i === 10_005 ? 'x' : String(i % 3));
    const r = await profileTable(file(lines.join('\n')), { format: 'csv' });
    expect(r.schema.columns).toEqual([{ name: '__proto__', type: 'string', nullable: false }]);
    expect(r.schema.warnings[0].line).toBe(10_007);
    expect(r.profile.columns.get('__proto__')!.frequent!.estimate('x')).toBe(1);
  });

  it('widens integer to float without a warning, and types a column empty in the sample by its first values', async () => {
    const lines = ['n,late'];
    for (let i = 0; i < 10_100; i++) lines.push(`${i < 10_050 ? i : i + 0.5},${i < 10_080 ? '' : i % 3 === 0 ? 'true' : 'false'}`);
    const r = await profileTable(file(lines.join('\n')), { format: 'csv' });
    expect(r.schema.columns).toEqual([
      { name: 'n', type: 'float', nullable: false },
      { name: 'late', type: 'boolean', nullable: true },
    ]);
    expect(r.schema.warnings).toEqual([]);
    const late = r.profile.columns.get('late')!.summary();
    expect([late.kind, late.nulls, late.count]).toEqual(['categorical', 10_080, 10_100]);
  });

  it('reports progress a few times per second and at the end, and stops when aborted', async () => {
    const p = file(csv(20_000));
    const seen: [number, number][] = [];
    await profileTable(p, { format: 'csv', onProgress: (d, t) => seen.push([d, t]) });
    const size = seen[seen.length - 1][1];
    expect(seen[seen.length - 1]).toEqual([size, size]);
    expect(seen.length).toBeLessThan(10);
    const ac = new AbortController();
    ac.abort(new Error('stop'));
    await expect(profileTable(p, { format: 'csv', signal: ac.signal })).rejects.toThrow('stop');
  });
});

describe('profileReport', () => {
  it('gives type, summary and histograms (equal-width bins; unit bins for narrow integers; none for categorical)', async () => {
    const lines = ['x,k,c'];
    for (let i = 0; i < 1000; i++) lines.push(`${i / 10},${i % 4},${i % 2 ? 'a' : 'b'}`);
    const r = await profileTable(file(lines.join('\n')), { format: 'csv' });
    const rep = profileReport(r.profile, r.schema);
    expect(rep.rows).toBe(1000);
    const [x, k, c] = rep.columns;
    expect(x.histogram!.edges).toHaveLength(21);
    expect([x.histogram!.edges[0], x.histogram!.edges[20]]).toEqual([0, 99.9]);
    expect(x.histogram!.counts.reduce((a, b) => a + b, 0)).toBe(1000);
    expect(x.histogram!.counts.every((v) => v >= 45 && v <= 55)).toBe(true);
    expect(k.histogram!.edges).toEqual([-0.5, 0.5, 1.5, 2.5, 3.5]);
    expect(k.histogram!.counts).toEqual([250, 250, 250, 250]); // every value counted: 1,000 fit the exact budget
    expect(c.histogram).toBeNull();
    expect(c.summary.top).toEqual([
      { value: 'a', count: 500 },
      { value: 'b', count: 500 },
    ]);
    expect(k.summary.quantiles!.p50).toBeGreaterThanOrEqual(1);
  });

  it('counts histograms and quantiles from every value of a 50,000-row file read in ranges on threads (exact, not sketch-quantised)', async () => {
    let seed = 3;
    const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const xs = Array.from({ length: 50_000 }, () => Math.round(Math.sqrt(-2 * Math.log(rnd())) * Math.cos(2 * Math.PI * rnd()) * 1e4) / 100);
    const r = await profileTable(file(['x', ...xs.map(String)].join('\n')), { format: 'csv' }, { rangeBytes: 64 * 1024, workers: 2 });
    expect(r.profile.columns.get('x')!.exact!.n).toBe(50_000);
    const [x] = profileReport(r.profile, r.schema).columns;
    const edges = x.histogram!.edges;
    // Bins (e_i-1, e_i], the first closed: the report's convention for every histogram.
    const want = edges.slice(1).map(() => 0);
    for (const v of xs) {
      let b = 0;
      while (b < want.length - 1 && v > edges[b + 1]) b++;
      want[b]++;
    }
    expect(x.histogram!.counts).toEqual(want);
    const sorted = Float64Array.from(xs).sort();
    // numpy's inverted_cdf: the smallest value whose cumulative count reaches q·n.
    const q = (p: number) => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)];
    expect(x.summary.quantiles).toEqual({ p01: q(0.01), p05: q(0.05), p25: q(0.25), p50: q(0.5), p75: q(0.75), p95: q(0.95), p99: q(0.99) });
  });

  it('lists only values frequent for certain once a column has more distinct values than the sketch counts', async () => {
    const lines = ['id,hot'];
    for (let i = 0; i < 5000; i++) lines.push(`u${i},${i % 2 === 0 ? 'common' : `rare${i}`}`);
    const r = await profileTable(file(lines.join('\n')), { format: 'csv' });
    const [id, hot] = profileReport(r.profile, r.schema).columns;
    expect(id.summary.top).toEqual([]); // 5000 distinct ids: none is frequent
    expect(hot.summary.top.map((t) => t.value)).toEqual(['common']);
    expect(hot.summary.top[0].count).toBeGreaterThanOrEqual(2500);
  });
});

describe('detectFormat', () => {
  const head = (s: string) => Buffer.from(s);
  it('uses the extension, then the content type, then the first bytes', () => {
    expect(detectFormat({ filename: 'x.CSV', head: head('{') })).toBe('csv');
    expect(detectFormat({ filename: 'x.ndjson', head: head('a') })).toBe('jsonl');
    expect(detectFormat({ filename: 'x.parquet', head: head('a') })).toBe('parquet');
    expect(detectFormat({ contentType: 'application/x-ndjson; charset=utf-8', head: head('a,b') })).toBe('jsonl');
    expect(detectFormat({ head: head('\ufeff  {"a":1}') })).toBe('jsonl');
    expect(detectFormat({ filename: 'data.bin', head: head('a;b\n1;2') })).toBe('csv');
    expect(detectFormat({ filename: 'x.constructor', contentType: 'toString', head: head('{"a":1}') })).toBe('jsonl');
  });
  it('refuses an empty or binary file it cannot tell', () => {
    expect(() => detectFormat({ head: new Uint8Array(0) })).toThrow(DataFileError);
    expect(() => detectFormat({ head: Uint8Array.from([0x1f, 0x8b, 0, 0]) })).toThrow('cannot tell the file format');
  });
});
