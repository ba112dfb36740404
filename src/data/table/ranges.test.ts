// Reading a file in ranges (what worker threads do) must give what one sequential read gives: here the ranges run
// in-process (TypeScript sources have no compiled worker), with tiny ranges so small files are cut many times.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataFileError } from '../../errors.js';
import { inferSchema, profileTable } from './index.js';
import { splitRanges } from './range-split.js';

const dir = mkdtempSync(join(tmpdir(), 'ferry-ranges-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function file(content: string, ext = 'csv'): string {
  const p = join(dir, `f${n++}.${ext}`);
  writeFileSync(p, content);
  return p;
}
const SMALL = { rangeBytes: 2048, workers: 1 };
const WHOLE = { workers: 1 };

function csv(rows: number, cell: (i: number) => string): string {
  const lines = ['id,v,cat'];
  for (let i = 1; i <= rows; i++) lines.push(`${i},${cell(i)},${['a', 'b', 'c', 'd'][i % 4]}`);
  return lines.join('\n') + '\n';
}

describe('ranges', () => {
  it('cut at line starts, covering the file', async () => {
    const p = file(csv(2000, (i) => String(i)));
    const ranges = await splitRanges(p, 9, 30_000, 4096);
    expect(ranges[0].start).toBe(0);
    expect(ranges.at(-1)!.stop).toBe(30_000);
    for (let i = 1; i < ranges.length; i++) expect(ranges[i].start).toBe(ranges[i - 1].stop);
    expect(ranges.length).toBeGreaterThan(5);
  });

  it('profile like one read: counts, nulls, min/max, mean, category counts', async () => {
    const p = file(csv(5000, (i) => (i % 9 === 0 ? '' : (i * 0.37).toFixed(2))));
    const a = await profileTable(p, { format: 'csv' }, SMALL);
    const b = await profileTable(p, { format: 'csv' }, WHOLE);
    expect(a.schema).toEqual(b.schema);
    expect(a.rows).toBe(5000);
    const [sa, sb] = [a.profile.summary(), b.profile.summary()];
    for (const name of ['id', 'v']) {
      for (const key of ['count', 'nulls', 'min', 'max'] as const) expect(sa.columns[name][key]).toBe(sb.columns[name][key]);
      expect(sa.columns[name].mean).toBeCloseTo(sb.columns[name].mean!, 9);
      expect(sa.columns[name].std).toBeCloseTo(sb.columns[name].std!, 9);
    }
    expect(sa.columns.cat.top).toEqual(sb.columns.cat.top);
    expect([...a.profile.columns.keys()]).toEqual(['id', 'v', 'cat']);
  });

  it('fall back to one read when a cut lands inside a quoted field', async () => {
    const p = file(csv(3000, (i) => `"line\n${i}\n"`));
    const a = await profileTable(p, { format: 'csv' }, SMALL);
    expect(a.rows).toBe(3000);
    expect(a.profile.summary().columns.id.mean).toBe(1500.5);
  });

  it('number lines from the start of the file: errors and demotion warnings', async () => {
    const bad = file(csv(3000, (i) => (i === 2500 ? '1,2' : String(i))));
    const err = await profileTable(bad, { format: 'csv' }, SMALL).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DataFileError);
    expect((err as DataFileError).location).toEqual({ line: 2501 });

    // A decimal in an early range, a word in a late one: it looked float (widened) by the time the word came.
    const mixed = file(csv(12_000, (i) => (i === 10_500 ? '2.5' : i === 11_800 ? 'oops' : String(i % 500))));
    const a = await profileTable(mixed, { format: 'csv' }, SMALL);
    const b = await profileTable(mixed, { format: 'csv' }, WHOLE);
    expect(a.schema.warnings).toEqual([{ column: 'v', line: 11_801, message: "column 'v' looked float until line 11801 ('oops'); profiled as string" }]);
    expect(b.schema.warnings).toEqual(a.schema.warnings);
    expect(a.profile.columns.get('v')!.frequent!.estimate('oops')).toBe(1);
    expect(a.profile.columns.get('v')!.count).toBe(12_000);
    expect(await inferSchema(mixed, { format: 'csv' }, SMALL)).toEqual(a.schema);
  });

  it('JSON Lines: a key first seen late, and a column typed differently in two ranges', async () => {
    const lines = [];
    for (let i = 0; i < 12_000; i++) {
      const rec: Record<string, unknown> = { i, x: null };
      if (i >= 11_000) rec.late = i % 2 === 0;
      if (i >= 10_500) rec.x = i < 11_500 ? i : `s${i}`;
      lines.push(JSON.stringify(rec));
    }
    const p = file(lines.join('\n'), 'jsonl');
    const a = await profileTable(p, { format: 'jsonl' }, SMALL);
    const b = await profileTable(p, { format: 'jsonl' }, WHOLE);
    expect(a.schema.columns).toEqual([
      { name: 'i', type: 'integer', nullable: false },
      { name: 'x', type: 'string', nullable: true },
      { name: 'late', type: 'boolean', nullable: true },
    ]);
    expect(b.schema).toEqual(a.schema);
    expect(a.schema.warnings).toEqual([{ column: 'x', line: 11_501, message: "column 'x' looked integer until line 11501 ('s11500'); profiled as string" }]);
    const late = a.profile.columns.get('late')!.summary();
    expect([late.count, late.nulls]).toEqual([12_000, 11_000]);
  });
});
