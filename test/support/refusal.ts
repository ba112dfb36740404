/** The field error a refusal carries, for tests of input checks. */
import { expect } from 'vitest';
import { InvalidParameterError } from '../../src/errors.js';

/** The first field error of the InvalidParameterError that `fn` throws; fails the test if it throws none. */
export function refusalOf(fn: () => unknown): { field: string; message: string } {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidParameterError);
    return (e as InvalidParameterError).errors[0]!;
  }
  throw new Error('expected a refusal');
}
