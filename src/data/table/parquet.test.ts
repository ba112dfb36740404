import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { afterAll, describe, expect, it } from 'vitest';
import { DataFileError } from '../../errors.js';
import { detectFormat, inferSchema, profileReport, profileTable, readTable } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'ferry-parquet-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function file(content: ArrayBuffer | Buffer): string {
  const p = join(dir, `f${n++}.parquet`);
  writeFileSync(p, content instanceof ArrayBuffer ? Buffer.from(content) : content);
  return p;
}

const N = 2500;
function sample(): string {
  return file(
    parquetWriteBuffer({
      columnData: [
        { name: 'i32', data: Int32Array.from({ length: N }, (_, i) => i), type: 'INT32', nullable: false },
        { name: 'i64', data: Array.from({ length: N }, (_, i) => (i % 10 === 0 ? null : BigInt(i) * 1000n)), type: 'INT64' },
        { name: 'f', data: Array.from({ length: N }, (_, i) => i / 4), type: 'DOUBLE' },
        { name: 's', data: Array.from({ length: N }, (_, i) => (i % 5 === 0 ? null : `c${i % 3}`)), type: 'STRING' },
        { name: 'b', data: Array.from({ length: N }, (_, i) => i % 2 === 0), type: 'BOOLEAN' },
        { name: 't', data: Array.from({ length: N }, (_, i) => new Date(Date.UTC(2024, 0, 1) + i * 60_000)), type: 'TIMESTAMP' },
        { name: 'j', data: Array.from({ length: N }, (_, i) => ({ k: i % 2 })), type: 'JSON' },
      ],
      rowGroupSize: 1000,
    }),
  );
}

describe('Parquet', () => {
  it('maps Parquet types, reads row group by row group, and profiles', async () => {
    const p = sample();
    const schema = await inferSchema(p, { format: 'parquet' });
    expect(schema.columns).toEqual([
      { name: 'i32', type: 'integer', nullable: false },
      { name: 'i64', type: 'integer', nullable: true },
      { name: 'f', type: 'float', nullable: false },
      { name: 's', type: 'string', nullable: true },
      { name: 'b', type: 'boolean', nullable: false },
      { name: 't', type: 'datetime', nullable: false },
      { name: 'j', type: 'string', nullable: false },
    ]);
    const batches = [];
    for await (const b of readTable(p, schema, { batchRows: 600 })) batches.push(b);
    expect(batches.map((b) => [b.firstRow, b.rows])).toEqual([
      [1, 600],
      [601, 400],
      [1001, 600],
      [1601, 400],
      [2001, 500],
    ]);
    const last = batches[4];
    expect(last.lines).toBeUndefined();
    expect(last.columns.i64[0]).toBeNaN(); // row 2001 → i = 2000, a null
    expect(last.columns.i64[1]).toBe(2_001_000);
    expect(last.columns.t[0]).toBe(Date.UTC(2024, 0, 1) + 2000 * 60_000);
    expect(last.columns.j[1]).toBe('{"k":1}');
    expect(last.columns.b.slice(0, 2)).toEqual([true, false]);

    const r = await profileTable(p, { format: 'parquet' });
    expect(r.rows).toBe(N);
    const report = profileReport(r.profile, r.schema);
    const i32 = report.columns[0];
    expect([i32.summary.count, i32.summary.min, i32.summary.max, i32.summary.mean]).toEqual([N, 0, N - 1, (N - 1) / 2]);
    expect(i32.histogram!.edges).toHaveLength(21);
    expect(i32.histogram!.counts.reduce((a, c) => a + c, 0)).toBe(N);
    const s = report.columns[3];
    expect(s.summary.nulls).toBe(N / 5);
    expect(s.histogram).toBeNull();
    expect(s.summary.top.map((t) => t.value).sort()).toEqual(['c0', 'c1', 'c2']);
  });

  it('detects Parquet by its magic bytes', () => {
    expect(detectFormat({ head: Buffer.from('PAR1\x15\x04') })).toBe('parquet');
  });

  it('a file that is not Parquet, or is cut short, is a DataFileError', async () => {
    await expect(profileTable(file(Buffer.from('a,b\n1,2\n')), { format: 'parquet' })).rejects.toThrow(DataFileError);
    const whole = Buffer.from(parquetWriteBuffer({ columnData: [{ name: 'x', data: [1, 2, 3], type: 'DOUBLE' }] }));
    const cut = Buffer.concat([whole.subarray(0, 20), whole.subarray(whole.length - 40)]);
    const err = await profileTable(file(cut), { format: 'parquet' }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DataFileError);
    expect((err as DataFileError).message).toMatch(/Parquet/);
    await expect(profileTable(file(Buffer.alloc(0)), { format: 'parquet' })).rejects.toThrow('the file is empty');
  });
});
