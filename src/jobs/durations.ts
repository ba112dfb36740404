import { DurationError, parseDuration } from '../contract/duration.js';
import { InvalidParameterError } from '../errors.js';

/** A duration field in milliseconds; a bad one is a 400 naming the field. */
export function durationMs(text: string, field: string): number {
  try {
    return parseDuration(text, { field });
  } catch (err) {
    if (err instanceof DurationError) throw new InvalidParameterError(field, err.message);
    throw err;
  }
}
