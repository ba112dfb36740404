import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataFileError } from '../../errors.js';
import { inferSchema, profileTable, readTable } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'ferry-jsonl-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function file(content: string | Buffer): string {
  const p = join(dir, `f${n++}.jsonl`);
  writeFileSync(p, content);
  return p;
}

async function failure(path: string): Promise<DataFileError> {
  const err = await profileTable(path, { format: 'jsonl' }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DataFileError);
  return err as DataFileError;
}

describe('JSON Lines', () => {
  it('unions keys (a missing key is null), keeps nested values as JSON text, types by value', async () => {
    const p = file(
      [
        '{"id": 1, "name": "a", "ok": true, "at": "2024-01-01T00:00:00Z", "tags": ["x", "y"]}',
        '',
        '{"id": 2, "name": null, "ok": false, "meta": {"k": 1}}',
        '  {"id": 3.5, "name": "c", "at": "2024-01-02"}  \r',
      ].join('\n'),
    );
    const r = await profileTable(p, { format: 'jsonl' });
    expect(r.rows).toBe(3);
    expect(r.schema.columns).toEqual([
      { name: 'id', type: 'float', nullable: false },
      { name: 'name', type: 'string', nullable: true },
      { name: 'ok', type: 'boolean', nullable: true },
      { name: 'at', type: 'datetime', nullable: true },
      { name: 'tags', type: 'string', nullable: true },
      { name: 'meta', type: 'string', nullable: true },
    ]);
    const batches = [];
    for await (const b of readTable(p, r.schema)) batches.push(b);
    expect(batches).toHaveLength(1);
    const b = batches[0];
    expect(Array.from(b.lines!)).toEqual([1, 3, 4]);
    expect(Array.from(b.columns.id as Float64Array)).toEqual([1, 2, 3.5]);
    expect(b.columns.tags).toEqual(['["x","y"]', null, null]);
    expect(b.columns.meta).toEqual([null, '{"k":1}', null]);
    expect(Array.from(b.columns.at as Float64Array)).toEqual([Date.UTC(2024, 0, 1), NaN, Date.UTC(2024, 0, 2)]);
    expect(r.profile.columns.get('ok')!.summary().top).toEqual([
      { value: 'false', count: 1 },
      { value: 'true', count: 1 },
    ]);
  });

  it('reads keys named like Object.prototype members, and treats them as missing where absent', async () => {
    const r = await profileTable(file('{"constructor": 1, "__proto__": "x"}\n{"toString": true}\n'), { format: 'jsonl' });
    expect(r.schema.columns).toEqual([
      { name: 'constructor', type: 'integer', nullable: true },
      { name: '__proto__', type: 'string', nullable: true },
      { name: 'toString', type: 'boolean', nullable: true },
    ]);
    const batches = [];
    for await (const b of readTable(file('{"constructor": 1, "__proto__": "x"}\n{"toString": true}\n'), r.schema)) batches.push(b);
    expect(Object.keys(batches[0].columns)).toEqual(['constructor', '__proto__', 'toString']);
    expect(batches[0].columns['__proto__']).toEqual(['x', null]);
    expect(r.profile.columns.get('toString')!.nulls).toBe(1);
  });

  it('adds a key first seen after the type sample, null in the rows before it', async () => {
    const lines = Array.from({ length: 10_050 }, (_, i) => JSON.stringify(i < 10_020 ? { a: i } : { a: i, late: i * 2 }));
    const r = await profileTable(file(lines.join('\n')), { format: 'jsonl', batchRows: 4096 });
    expect(r.schema.columns).toEqual([
      { name: 'a', type: 'integer', nullable: false },
      { name: 'late', type: 'integer', nullable: true },
    ]);
    const late = r.profile.columns.get('late')!.summary();
    expect([late.count, late.nulls, late.min, late.max]).toEqual([10_050, 10_020, 20_040, 20_098]);
  });

  it('errors name the line: bad JSON, a line that is not an object, bytes that are not UTF-8, an empty file', async () => {
    const bad = await failure(file('{"a": 1}\n{"a": 2,}\n'));
    expect(bad.location).toEqual({ line: 2 });
    expect(bad.message).toMatch(/^line 2: not valid JSON/);
    const arr = await failure(file('{"a": 1}\n\n[1, 2]\n'));
    expect(arr.message).toBe('line 3: expected one JSON object per line, found an array');
    expect((await failure(file('{"a": 1}\n42\n'))).message).toBe('line 2: expected one JSON object per line, found a number');
    const utf = await failure(file(Buffer.concat([Buffer.from('{"a": "ok"}\n{"a": "caf'), Buffer.from([0xc3, 0x28]), Buffer.from('"}\n')])));
    expect(utf.location).toEqual({ line: 2 });
    expect(utf.message).toContain('byte 0xC3 at byte 11 of the line');
    expect((await failure(file(''))).message).toBe('the file is empty');
  });

  it('reads lines split across read chunks, and a file with no final newline', async () => {
    const lines = Array.from({ length: 200 }, (_, i) => JSON.stringify({ i, s: 'é'.repeat(i % 7) }));
    const r = await inferSchema(file(lines.join('\n')), { format: 'jsonl' });
    expect(r.columns.map((c) => c.type)).toEqual(['integer', 'string']);
    const { readBatches } = await import('./scan.js');
    const cols = r.columns.map((c) => ({ ...c }));
    let total = 0;
    let sum = 0;
    for await (const b of readBatches(file(lines.join('\n')), 'jsonl', cols, { batchRows: 64, chunkBytes: 13 })) {
      total += b.rows;
      for (const x of b.columns.i as Float64Array) sum += x;
    }
    expect([total, sum]).toEqual([200, (199 * 200) / 2]);
  });
});
