import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataFileError } from '../../errors.js';
import { inferSchema, profileTable, readTable } from './index.js';
import { readBatches, sampleColumns } from './scan.js';
import type { TableBatch } from './types.js';

const dir = mkdtempSync(join(tmpdir(), 'ferry-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function file(content: string | Buffer): string {
  const p = join(dir, `f${n++}.csv`);
  writeFileSync(p, content);
  return p;
}

/** All rows as {column: value} plus each row's line, read with the given chunk size. */
async function rows(path: string, chunkBytes?: number): Promise<{ rows: Record<string, unknown>[]; lines: number[] }> {
  const sample = await sampleColumns(path, 'csv', {});
  const out: Record<string, unknown>[] = [];
  const lines: number[] = [];
  const batches: AsyncIterable<TableBatch> = readBatches(path, 'csv', sample.columns, { batchRows: 3, chunkBytes, delimiter: sample.delimiter });
  for await (const b of batches) {
    for (let i = 0; i < b.rows; i++) {
      const r: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(b.columns)) r[k] = v[i];
      out.push(r);
      lines.push(b.lines![i]);
    }
  }
  return { rows: out, lines };
}

async function failure(path: string): Promise<DataFileError> {
  try {
    await profileTable(path, { format: 'csv' });
  } catch (err) {
    expect(err).toBeInstanceOf(DataFileError);
    return err as DataFileError;
  }
  throw new Error('expected a DataFileError');
}

describe('CSV parsing', () => {
  it('reads RFC 4180 quoting, doubled quotes, CRLF and quoted newlines with the right line numbers', async () => {
    const p = file('id,text,score\r\n1,"hello, world",1.5\r\n2,"say ""hi""",2\r\n3,"two\r\nlines",3\r\n\r\n4,plain,NA\r\n');
    const r = await rows(p);
    expect(r.rows).toEqual([
      { id: 1, text: 'hello, world', score: 1.5 },
      { id: 2, text: 'say "hi"', score: 2 },
      { id: 3, text: 'two\r\nlines', score: 3 },
      { id: 4, text: 'plain', score: NaN },
    ]);
    expect(r.lines).toEqual([2, 3, 4, 7]);
  });

  it('gives the same rows and lines whatever the read chunk size (rows, quotes, CRLF and UTF-8 split anywhere)', async () => {
    let seed = 7;
    const rnd = (k: number) => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % k;
    const cells = ['x', '', 'NA', '12', '-3.5', '"a,b"', '"q""q"', '"multi\nline"', '"cr\r\nlf"', 'é€😀', '"ü\n"', 'true'];
    let text = 'a,b,c\n';
    for (let i = 0; i < 60; i++) text += `${cells[rnd(cells.length)]},${cells[rnd(cells.length)]},${cells[rnd(cells.length)]}${rnd(3) === 0 ? '\r\n' : '\n'}`;
    const p = file(text);
    const whole = await rows(p, 1 << 20);
    expect(whole.rows).toHaveLength(60);
    for (const chunk of [4, 5, 7, 11, 16, 33, 64]) expect(await rows(p, chunk), `chunk ${chunk}`).toEqual(whole);
  });

  it('sniffs the delimiter from the header among , ; tab |', async () => {
    for (const d of [',', ';', '\t', '|']) {
      const p = file(`a${d}b${d}"c${d}d"\n1${d}2${d}3\n`);
      const s = await inferSchema(p, { format: 'csv' });
      expect(s.delimiter).toBe(d);
      expect(s.columns.map((c) => c.name)).toEqual(['a', 'b', `c${d}d`]);
    }
    const single = await inferSchema(file('only\n1\n2\n'), { format: 'csv' });
    expect(single.delimiter).toBe(',');
    expect(single.columns).toEqual([{ name: 'only', type: 'integer', nullable: false }]);
  });

  it('strips a UTF-8 BOM and treats pandas NA strings as null', async () => {
    const p = file(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('name,v\nNULL,N/A\nnan,1\n,NaN\nx,2\n')]));
    const r = await rows(p);
    expect(r.rows).toEqual([
      { name: null, v: NaN },
      { name: null, v: 1 },
      { name: null, v: NaN },
      { name: 'x', v: 2 },
    ]);
    const s = await inferSchema(p, { format: 'csv' });
    expect(s.columns).toEqual([
      { name: 'name', type: 'string', nullable: true },
      { name: 'v', type: 'integer', nullable: true },
    ]);
  });

  it('accepts a header-only file: no rows, nullable string columns', async () => {
    const r = await profileTable(file('a,b\n'), { format: 'csv' });
    expect(r.rows).toBe(0);
    expect(r.schema.columns).toEqual([
      { name: 'a', type: 'string', nullable: true },
      { name: 'b', type: 'string', nullable: true },
    ]);
  });

  it('keeps columns named like Object.prototype members', async () => {
    const r = await profileTable(file('__proto__,constructor\n1,x\n2,\n'), { format: 'csv' });
    expect(r.schema.columns.map((c) => `${c.name}:${c.type}:${c.nullable}`)).toEqual(['__proto__:integer:false', 'constructor:string:true']);
    for await (const b of readTable(file('__proto__,constructor\n1,x\n'), r.schema)) {
      expect(Object.keys(b.columns)).toEqual(['__proto__', 'constructor']);
      expect([b.columns['__proto__'][0], b.columns['constructor'][0]]).toEqual([1, 'x']);
    }
  });

  it('reads a last row without a line terminator, and a lone CR as a line end', async () => {
    expect((await rows(file('a,b\r1,x\r2,y'))).rows).toEqual([
      { a: 1, b: 'x' },
      { a: 2, b: 'y' },
    ]);
  });
});

describe('CSV errors name the line and column', () => {
  it('an unterminated quote, at the line where it opens', async () => {
    const e = await failure(file('a,b\n1,x\n2,"never closed\n3,y\n'));
    expect(e.location).toEqual({ line: 3, column: 'b' });
    expect(e.message).toMatch(/^line 3, column 'b': .*unterminated quote/);
  });

  it('text after a closing quote', async () => {
    const e = await failure(file('a,b\n1,"multi\nline"x\n'));
    expect(e.location).toEqual({ line: 3, column: 'b' });
    expect(e.message).toContain('text after a closing quote (character 6 of the line)');
  });

  it('too many and too few fields, saying how many the header has', async () => {
    const many = await failure(file('a,b\n1,2\n"x\ny",2,3\n'));
    expect(many.location).toEqual({ line: 3 });
    expect(many.message).toBe('line 3: 3 fields, but the header has 2 columns (too many fields: a stray delimiter, or a value that should be quoted?)');
    const few = await failure(file('a,b,c\n1,2,3\n4,5\n'));
    expect(few.location).toEqual({ line: 3, column: 'c' });
    expect(few.message).toContain('2 fields, but the header has 3 columns (too few fields)');
  });

  it('bytes that are not UTF-8, with the byte position in the line', async () => {
    const e = await failure(file(Buffer.concat([Buffer.from('a,b\n1,ok\n2,caf'), Buffer.from([0xe9]), Buffer.from('\n')])));
    expect(e.location).toEqual({ line: 3, column: 'b' });
    expect(e.message).toContain('byte 0xE9 at byte 6 of the line');
    const header = await failure(file(Buffer.concat([Buffer.from('a,'), Buffer.from([0xff]), Buffer.from('\n1,2\n')])));
    expect(header.location).toEqual({ line: 1 });
  });

  it('an empty file, a blank file, duplicate and empty header names', async () => {
    expect((await failure(file(''))).message).toBe('the file is empty');
    expect((await failure(file('\n\r\n'))).message).toContain('no header');
    const dup = await failure(file('a,b,a\n1,2,3\n'));
    expect(dup.location).toEqual({ line: 1, column: 'a' });
    expect(dup.message).toContain('columns 1 and 3');
    expect((await failure(file('a,,c\n1,2,3\n'))).message).toContain('column 2 has no name');
  });

  it('readTable with a schema refuses a value of the wrong type', async () => {
    const p = file('a,b\n1,x\n2,y\n');
    const schema = await inferSchema(p, { format: 'csv' });
    const wrong = { ...schema, columns: [schema.columns[0], { name: 'b', type: 'integer' as const, nullable: false }] };
    await expect(async () => {
      for await (const _ of readTable(p, wrong)) void _;
    }).rejects.toThrow("line 2, column 'b': 'x' is not an integer value");
  });
});
