// The small messy files in test/fixtures/data: what each one profiles to, or the error it gets (line and column).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataFileError } from '../../errors.js';
import { detectFormat, profileReport, profileTable } from './index.js';

const FIXTURES = join(import.meta.dirname, '..', '..', '..', 'test', 'fixtures', 'data');
const fixture = (name: string) => join(FIXTURES, name);
const format = (name: string) => detectFormat({ filename: name, head: readFileSync(fixture(name)).subarray(0, 64) });

describe('fixture files', () => {
  it('messy.csv: BOM, ; delimiter, CRLF, quotes, a quoted newline, NA strings, mixed date forms', async () => {
    const r = await profileTable(fixture('messy.csv'), { format: 'csv' });
    expect(r.schema).toEqual({
      format: 'csv',
      delimiter: ';',
      columns: [
        { name: 'id', type: 'integer', nullable: false },
        { name: 'name', type: 'string', nullable: true },
        { name: 'price', type: 'float', nullable: true },
        { name: 'in_stock', type: 'boolean', nullable: true },
        { name: 'added', type: 'datetime', nullable: true },
      ],
      warnings: [],
    });
    const rep = profileReport(r.profile, r.schema);
    expect(rep.rows).toBe(5);
    const [, name, price, stock, added] = rep.columns;
    expect(name.summary.top.map((t) => t.value).sort()).toEqual(['Gadget "Pro"', 'Widget, large', 'plain', 'two\r\nlines']);
    expect([price.summary.nulls, price.summary.min, price.summary.max]).toEqual([2, 3.25, 12.5]);
    expect(stock.summary.top).toEqual([
      { value: 'false', count: 2 },
      { value: 'true', count: 2 },
    ]);
    expect([added.summary.min, added.summary.max]).toEqual([Date.UTC(2024, 2, 1), Date.UTC(2024, 2, 5, 8)]);
  });

  it('nested.jsonl and small.parquet profile', async () => {
    const j = await profileTable(fixture('nested.jsonl'), { format: format('nested.jsonl') });
    expect(j.schema.columns.map((c) => `${c.name}:${c.type}`)).toEqual(['id:integer', 'tags:string', 'score:float', 'ok:boolean', 'meta:string']);
    const p = await profileTable(fixture('small.parquet'), { format: format('small.parquet') });
    expect(p.schema.columns).toEqual([
      { name: 'id', type: 'integer', nullable: false },
      { name: 'name', type: 'string', nullable: true },
      { name: 'price', type: 'float', nullable: true },
      { name: 'when', type: 'datetime', nullable: true },
      { name: 'ok', type: 'boolean', nullable: true },
    ]);
    expect(p.rows).toBe(4);
    expect(p.profile.columns.get('when')!.summary().max).toBe(Date.UTC(2024, 0, 4));
  });

  it('header-only.csv has no rows', async () => {
    expect((await profileTable(fixture('header-only.csv'), { format: 'csv' })).rows).toBe(0);
  });

  const bad: [string, string, { line?: number; column?: string }][] = [
    ['empty.csv', 'the file is empty', {}],
    ['bad-unterminated.csv', 'unterminated quote', { line: 3, column: 'b' }],
    ['bad-after-quote.csv', 'text after a closing quote', { line: 2, column: 'b' }],
    ['bad-ragged.csv', '2 fields, but the header has 3 columns', { line: 3, column: 'c' }],
    ['bad-latin1.csv', 'not UTF-8 (byte 0xFC', { line: 2, column: 'city' }],
    ['bad-duplicate-header.csv', "names column 'a' twice", { line: 1, column: 'a' }],
    ['bad-json.jsonl', 'not valid JSON', { line: 2 }],
    ['bad-not-object.jsonl', 'found an array', { line: 2 }],
  ];
  it.each(bad)('%s is refused: %s', async (name, text, location) => {
    const err = await profileTable(fixture(name), { format: name.endsWith('.jsonl') ? 'jsonl' : 'csv' }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DataFileError);
    expect((err as DataFileError).message).toContain(text);
    expect((err as DataFileError).location).toEqual(location);
  });
});
