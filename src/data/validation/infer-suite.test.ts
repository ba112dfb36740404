import { describe, expect, it } from 'vitest';
import { inferSuite, parseSuite, validateProfile, validateTable, type Expectation } from './index.js';
import { profileOf, schemaOf, stream, toBatches, type Row } from './test-batches.js';

const schema = schemaOf({ id: 'integer', code: 'string', plan: 'string', age: 'integer', score: 'float', at: 'datetime', ok: 'boolean', note: 'string' });
const PLANS = ['free', 'pro', 'team'];

function rows(n: number, seed = 1): Row[] {
  let x = seed;
  const rnd = (): number => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32;
  return Array.from({ length: n }, (_, i) => ({
    id: i + 1,
    code: `C-${1000 + i}`,
    plan: PLANS[Math.floor(rnd() * 3)],
    age: i % 10 === 0 ? null : 18 + Math.floor(rnd() * 60),
    score: rnd() * 100 - 20,
    at: Date.UTC(2024, 0, 1) + Math.floor(rnd() * 30 * 86_400_000) + 0.25,
    ok: rnd() < 0.5,
    note: null,
  }));
}

function kinds(s: { expectations: Expectation[] }, column: string): string[] {
  return s.expectations.filter((e) => 'column' in e.kwargs && e.kwargs.column === column).map((e) => e.type.replace(/^expect_(column_)?/, ''));
}

describe('inferSuite', () => {
  const batches = toBatches(schema, rows(150), 40);
  const profile = profileOf(schema, batches);
  const suite = inferSuite('users', schema, profile);

  it('proposes GE-style expectations per column, and a parseable suite', () => {
    expect(parseSuite(suite)).toEqual(suite);
    expect(suite.expectations[0]).toEqual({ type: 'expect_table_row_count_to_be_between', kwargs: { min_value: 75, max_value: 300 } });
    // A key: no range or mean, which would fail the next, longer version.
    expect(kinds(suite, 'id')).toEqual(['to_exist', 'values_to_be_of_type', 'values_to_not_be_null', 'values_to_be_unique']);
    expect(kinds(suite, 'code')).toEqual(['to_exist', 'values_to_be_of_type', 'values_to_not_be_null', 'values_to_be_unique']);
    expect(kinds(suite, 'plan')).toEqual(['to_exist', 'values_to_be_of_type', 'values_to_not_be_null', 'values_to_be_in_set']);
    expect(kinds(suite, 'score')).toEqual(['to_exist', 'values_to_be_of_type', 'values_to_not_be_null', 'values_to_be_between', 'mean_to_be_between']);
    expect(kinds(suite, 'ok')).toEqual(['to_exist', 'values_to_be_of_type', 'values_to_not_be_null']);
    expect(kinds(suite, 'note')).toEqual(['to_exist', 'values_to_be_of_type']); // all null: nothing more to say
    const find = (type: string, column: string): Expectation =>
      suite.expectations.find((e) => e.type === type && 'column' in e.kwargs && e.kwargs.column === column)!;
    expect(find('expect_column_values_to_be_in_set', 'plan').kwargs).toEqual({ column: 'plan', value_set: PLANS });
    expect(find('expect_column_values_to_not_be_null', 'age').kwargs).toEqual({ column: 'age', mostly: 0.89 }); // 90% non-null, a point lower
    // age 18..77 widened by 10% of the span (rounded outward, integers), not below 0 (the column is non-negative).
    const age = profile.columns.get('age')!.moments!;
    const span = age.max - age.min;
    expect(find('expect_column_values_to_be_between', 'age').kwargs).toEqual({
      column: 'age',
      min_value: Math.max(0, Math.floor(age.min - 0.1 * span)),
      max_value: Math.ceil(age.max + 0.1 * span),
    });
    const at = find('expect_column_values_to_be_between', 'at').kwargs as { min_value: string; max_value: string };
    expect(at.min_value < '2024-01-01').toBe(true);
    expect(at.max_value).toMatch(/^2024-02-0\dT/);
  });

  it('passes on the data it was inferred from, on the table and on the profile', async () => {
    const t = await validateTable(suite, schema, stream(batches));
    expect(t.results.filter((r) => !r.success)).toEqual([]);
    const p = validateProfile(suite, schema, profile);
    expect(p.results.filter((r) => r.success !== true)).toEqual([]);
  });

  it('still passes on another sample of the same data, and catches a changed one', async () => {
    const again = toBatches(schema, rows(150, 7), 40);
    expect((await validateTable(suite, schema, stream(again))).success).toBe(true);
    const changed = rows(150, 7).map((r, i) => ({ ...r, plan: i === 3 ? 'enterprise' : r.plan, id: i === 9 ? 1 : r.id }));
    const r = await validateTable(suite, schema, stream(toBatches(schema, changed, 40)));
    expect(
      r.results
        .filter((x) => !x.success)
        .map((x) => x.expectation_config.type)
        .sort(),
    ).toEqual(['expect_column_values_to_be_in_set', 'expect_column_values_to_be_unique']);
  });

  it('passes on edge data: a constant column, a single row, an empty table', async () => {
    for (const data of [rows(1), rows(5).map((r) => ({ ...r, score: 3.3, age: 40 })), []]) {
      const b = toBatches(schema, data, 2);
      const s = inferSuite('edge', schema, profileOf(schema, b));
      expect(parseSuite(s)).toEqual(s);
      const r = await validateTable(s, schema, stream(b));
      expect([data.length, r.results.filter((x) => !x.success)]).toEqual([data.length, []]);
    }
  });
});
