import { describe, expect, it } from 'vitest';
import { mostlySucceeds, toDecimal } from './mostly.js';
import { parseSuite, validateTable } from './index.js';
import { schemaOf, stream, toBatches } from './test-batches.js';

describe('mostly', () => {
  it.each([
    // [mostly, passing, nonmissing, success]
    [0.7, 7, 10, true],
    [0.7, 6, 10, false],
    [0.95, 95, 100, true],
    [0.95, 94, 100, false],
    [0.95, 19, 20, true],
    [0.29, 29, 100, true],
    [0.57, 57, 100, true],
    [0.58, 58, 100, true],
    [0.1, 1, 10, true],
    [0.3, 3, 10, true],
    [0.3, 2, 10, false],
    [1 / 3, 1, 3, true], // 0.3333333333333333 as written is less than 1/3
    [0.3333333333333334, 1, 3, false],
    [0.333, 1, 3, true],
    [0.999, 999, 1000, true],
    [0.999, 998, 1000, false],
    [0.999999, 999_999, 1_000_000, true],
    [0.999999, 999_998, 1_000_000, false],
    [1e-7, 1, 10_000_000, true],
    [1e-7, 0, 10_000_000, false],
    [1, 100, 100, true],
    [1, 99, 100, false],
    [0.5, 0, 0, true], // no non-missing values: vacuously true (GE)
  ])('mostly=%s with %i of %i passing → %s', (mostly, passing, nonmissing, success) => {
    expect(mostlySucceeds(nonmissing, nonmissing - passing, mostly)).toBe(success);
  });

  it('reads mostly back as the decimal written', () => {
    expect(toDecimal(0.95)).toEqual({ digits: 95n, scale: 2 });
    expect(toDecimal(1e-7)).toEqual({ digits: 1n, scale: 7 });
    expect(toDecimal(1)).toEqual({ digits: 1n, scale: 0 });
    expect(toDecimal(1.5e-10)).toEqual({ digits: 15n, scale: 11 });
  });

  it('is applied exactly end to end (mostly 0.95 on 95 of 100 values)', async () => {
    const schema = schemaOf({ x: 'integer' });
    const rows = Array.from({ length: 100 }, (_, i) => ({ x: i < 95 ? 1 : 2 }));
    const suite = (mostly: number): ReturnType<typeof parseSuite> =>
      parseSuite({ name: 's', expectations: [{ type: 'expect_column_values_to_be_in_set', kwargs: { column: 'x', value_set: [1], mostly } }] });
    expect((await validateTable(suite(0.95), schema, stream(toBatches(schema, rows, 16)))).success).toBe(true);
    expect((await validateTable(suite(0.96), schema, stream(toBatches(schema, rows, 16)))).success).toBe(false);
  });
});
