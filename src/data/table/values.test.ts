import { describe, expect, it } from 'vitest';
import { classifyBytes, C_BOOL, C_DATE, C_FLOAT, C_INT, C_STRING, typeOfClasses } from './infer.js';
import { isNullBytes, NULL_TOKENS, numberSyntax, parseBoolean, parseDatetime, parseNumber } from './values.js';

const b = (s: string) => Buffer.from(s, 'utf8');
const num = (s: string) => {
  const v = parseNumber(b(s), 0, Buffer.byteLength(s));
  return [v, numberSyntax] as const;
};
const date = (s: string) => parseDatetime(b(s), 0, Buffer.byteLength(s));

describe('parseNumber', () => {
  it('reads integers and decimals with their syntax', () => {
    expect(num('42')).toEqual([42, 1]);
    expect(num('-0')).toEqual([-0, 1]);
    expect(num('+7')).toEqual([7, 1]);
    expect(num(' 12 ')).toEqual([12, 1]);
    expect(num('3.25')).toEqual([3.25, 2]);
    expect(num('.5')).toEqual([0.5, 2]);
    expect(num('5.')).toEqual([5, 2]);
    expect(num('1e3')).toEqual([1000, 2]);
    expect(num('-2.5E-3')).toEqual([-0.0025, 2]);
    expect(num('inf')).toEqual([Infinity, 2]);
    expect(num('-Infinity')).toEqual([-Infinity, 2]);
  });

  it('rejects what is not a number', () => {
    for (const s of ['', '-', '.', 'e5', '1e', '1.2.3', '12a', '0x10', '1_000', '1,5', 'nan', 'NaN', '--1', 'in']) {
      const [v, syntax] = num(s);
      expect(syntax, s).toBe(0);
      expect(v, s).toBeNaN();
    }
  });

  it('is the correctly rounded double, as Number() gives, on random and hard inputs', () => {
    const hard = [
      '0.1',
      '0.3',
      '9007199254740993',
      '123456789012345678901234567890',
      '2.2250738585072014e-308',
      '1e-400',
      '1e400',
      '0.000000000000000000000000001',
      '179769313486231570000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000',
      '4.9e-324',
      '1.7976931348623157e308',
      '00000000000000000000001.5',
      '0.1000000000000000055511151231257827',
    ];
    let seed = 12345;
    const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const random = Array.from({ length: 3000 }, () => {
      const digits = Math.floor(rnd() * 20) + 1;
      let s = rnd() < 0.3 ? '-' : '';
      for (let i = 0; i < digits; i++) s += Math.floor(rnd() * 10);
      if (rnd() < 0.7) s = s.slice(0, Math.max(1, Math.floor(s.length / 2))) + '.' + s.slice(Math.max(1, Math.floor(s.length / 2)));
      if (rnd() < 0.3) s += `e${Math.floor(rnd() * 60) - 30}`;
      return s;
    });
    for (const s of [...hard, ...random]) expect(num(s)[0], s).toBe(Number(s));
  });
});

describe('null tokens, booleans, datetimes', () => {
  it('treats pandas NA strings (and the empty field) as null, nothing else', () => {
    for (const t of NULL_TOKENS) expect(isNullBytes(b(t), 0, t.length), t).toBe(true);
    for (const t of ['0', 'N', 'none', 'Nan ', 'NA ', '-', 'nulls', '#N/B']) expect(isNullBytes(b(t), 0, t.length), t).toBe(false);
  });

  it('reads true/false in any case', () => {
    expect(parseBoolean(b('TRUE'), 0, 4)).toBe(1);
    expect(parseBoolean(b('fAlSe'), 0, 5)).toBe(0);
    expect(parseBoolean(b('yes'), 0, 3)).toBe(-1);
    expect(parseBoolean(b('1'), 0, 1)).toBe(-1);
  });

  it('reads ISO 8601 dates and date-times as epoch ms, UTC unless an offset is given', () => {
    expect(date('2024-02-29')).toBe(Date.UTC(2024, 1, 29));
    expect(date('2024-01-31T12:34:56Z')).toBe(Date.UTC(2024, 0, 31, 12, 34, 56));
    expect(date('2024-01-31 12:34')).toBe(Date.UTC(2024, 0, 31, 12, 34));
    expect(date('2024-01-31T12:34:56.789')).toBe(Date.UTC(2024, 0, 31, 12, 34, 56, 789));
    expect(date('2024-01-31T12:34:56+02:00')).toBe(Date.UTC(2024, 0, 31, 10, 34, 56));
    expect(date('2024-01-31T12:34:56-0530')).toBe(Date.UTC(2024, 0, 31, 18, 4, 56));
    expect(date('0099-12-31')).toBe(new Date('0099-12-31T00:00:00Z').getTime());
    for (const s of ['2023-02-29', '2024-13-01', '2024-1-05', '20240105', '2024-01-01T25:00', '2024-01-01X', '2024-01-01T10:00:00+2', 'abcd-ef-gh']) {
      expect(date(s), s).toBeNaN();
    }
  });

  it('classifies cells and resolves a column type by precedence', () => {
    const cls = (s: string) => classifyBytes(b(s), 0, Buffer.byteLength(s));
    expect(['', 'NA', 'true', '12', '1.5', '2024-01-01', 'abc'].map(cls)).toEqual([0, 0, C_BOOL, C_INT, C_FLOAT, C_DATE, C_STRING]);
    expect(typeOfClasses(C_INT)).toBe('integer');
    expect(typeOfClasses(C_INT | C_FLOAT)).toBe('float');
    expect(typeOfClasses(C_BOOL)).toBe('boolean');
    expect(typeOfClasses(C_DATE)).toBe('datetime');
    expect(typeOfClasses(C_BOOL | C_INT)).toBe('string');
    expect(typeOfClasses(C_INT | C_DATE)).toBe('string');
    expect(typeOfClasses(0)).toBe('string');
  });
});
