import { describe, expect, it } from 'vitest';
import { parseCsv, parseJsonl } from './table-file.js';

describe('reference tables', () => {
  it('reads RFC 4180 CSV: quotes, escaped quotes, embedded commas and newlines, CRLF, empty cells as missing', () => {
    const text = 'name,age,note\r\n"Smith, J",41,"said ""hi""\nthen left"\r\nLee,,\r\n"007",1e3,-2.5\r\n';
    expect(parseCsv(text)).toEqual([
      { name: 'Smith, J', age: 41, note: 'said "hi"\nthen left' },
      { name: 'Lee', age: null, note: null },
      { name: '007', age: 1000, note: -2.5 },
    ]);
  });

  it('refuses a ragged row, a duplicate column, an unterminated quote and a missing header', () => {
    expect(() => parseCsv('a,b\n1,2,3\n')).toThrow(/line 2 has 3 fields/);
    expect(() => parseCsv('a,a\n1,2\n')).toThrow(/column 'a' twice/);
    expect(() => parseCsv('a\n"open\n')).toThrow(/quoted field/);
    expect(() => parseCsv('')).toThrow(/header/);
  });

  it('reads JSON Lines, naming a bad line', () => {
    expect(parseJsonl('{"a": 1}\n\n{"a": null}\n')).toEqual([{ a: 1 }, { a: null }]);
    expect(() => parseJsonl('{"a": 1}\n[1]\n')).toThrow(/line 2 must be an object/);
  });
});
