import { InvalidParameterError } from '../errors.js';

/** Checks a requested byte range's shape (the file's size is checked by the store, which knows it). */
export function checkRange(start: number, end: number | undefined): void {
  if (!Number.isSafeInteger(start) || start < 0) throw new InvalidParameterError('range', `Range start must be a whole number ≥ 0 (got ${start}).`);
  if (end !== undefined && (!Number.isSafeInteger(end) || end < start))
    throw new InvalidParameterError('range', `Range end must be a whole number ≥ the start ${start} (got ${end}).`);
}

export function rangePastEnd(start: number, total: number): InvalidParameterError {
  return new InvalidParameterError('range', `Range start ${start} is past the end of the file (${total} bytes).`);
}
