/**
 * The range and windows a per-window report reads (live fairness, estimated performance): `from`/`to` as instants
 * or durations before now (default: the last 24 hours), cut into `window`-long windows (default 1h), at most
 * `maxWindows` of them — refusals name the field.
 */
import { InvalidParameterError } from '../errors.js';
import { durationField, instantField } from '../fields.js';

export const DEFAULT_WINDOW = '1h';
export const DEFAULT_RANGE_MS = 24 * 3600_000;

export interface WindowRange {
  from: number;
  to: number;
  /** The window as asked ('1h'), for the answer. */
  window: string;
  windowMs: number;
  count: number;
}

export function windowRange(
  q: { from?: string | undefined; to?: string | undefined; window?: string | undefined },
  now: number,
  maxWindows: number,
): WindowRange {
  const to = q.to !== undefined ? instantField(q.to, 'to', now) : now;
  const from = q.from !== undefined ? instantField(q.from, 'from', now) : to - DEFAULT_RANGE_MS;
  if (from >= to) throw new InvalidParameterError('from', "'from' must be before 'to'.");
  const window = q.window ?? DEFAULT_WINDOW;
  const windowMs = durationField(window, 'window');
  const count = Math.ceil((to - from) / windowMs);
  if (count > maxWindows) throw new InvalidParameterError('window', `'window' ${window} makes ${count} windows from 'from' to 'to'; at most ${maxWindows}.`);
  return { from, to, window, windowMs, count };
}
