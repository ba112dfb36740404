/** A table from a request body, read by the data capability's readers (what a monitoring reference uses). */
import { describe, expect, it } from 'vitest';
import { DataFileError } from '../errors.js';
import { readTableRows } from './table-rows.js';

const read = (text: string, format?: 'csv' | 'jsonl') => readTableRows(text, { maxRows: 1000, ...(format ? { format } : {}) });

describe('readTableRows', () => {
  it('reads RFC 4180 CSV: quotes, escaped quotes, embedded delimiters and newlines, CRLF, empty cells as missing', async () => {
    const t = await read('name,age,note\r\n"Smith, J",41,"said ""hi""\nthen left"\r\nLee,,\r\n"007",1e3,x\r\n');
    expect(t.format).toBe('csv');
    expect(t.columns.map((c) => [c.name, c.type])).toEqual([
      ['name', 'string'],
      ['age', 'float'],
      ['note', 'string'],
    ]);
    expect(t.rows).toEqual([
      { name: 'Smith, J', age: 41, note: 'said "hi"\nthen left' },
      { name: 'Lee', age: null, note: null },
      { name: '007', age: 1000, note: 'x' },
    ]);
  });

  it('sniffs the delimiter (; as European spreadsheets write it, tabs) and skips a BOM, as data push does', async () => {
    const semi = await read('\uFEFFage;city;income\n41;Lyon;"1 200,5"\n35;Paris;900\n');
    expect(semi.rows).toEqual([
      { age: 41, city: 'Lyon', income: '1 200,5' },
      { age: 35, city: 'Paris', income: '900' },
    ]);
    expect((await read('a\tb\n1\t2\n')).rows).toEqual([{ a: 1, b: 2 }]);
  });

  it('reads JSON Lines (detected from the first byte when no format is given)', async () => {
    const t = await read('{"a": 1, "b": "x"}\n\n{"a": null, "b": "y"}\n');
    expect(t.format).toBe('jsonl');
    expect(t.rows).toEqual([
      { a: 1, b: 'x' },
      { a: null, b: 'y' },
    ]);
  });

  it('refuses malformed files with DataFileErrors naming the line', async () => {
    const refusal = async (text: string, format?: 'csv' | 'jsonl') => {
      const err = await read(text, format).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err, text).toBeInstanceOf(DataFileError);
      return (err as DataFileError).message;
    };
    expect(await refusal('a,b\n1,2\n3,4,5\n')).toMatch(/^line 3: /);
    expect(await refusal('a,b\n1,"open\n')).toMatch(/quote/i);
    expect(await refusal('{"a": 1}\n{"a": \n', 'jsonl')).toMatch(/^line 2: /);
    expect(await refusal('')).toMatch(/empty/);
    await expect(readTableRows('a\n1\n2\n3\n', { maxRows: 2 })).rejects.toThrow(/more than 2 rows/);
  });
});
