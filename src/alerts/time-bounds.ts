/** Time bounds in queries: ISO 8601, epoch milliseconds, or a duration meaning that long before now ("24h"). */
import { InvalidParameterError } from '../errors.js';
import { parseDuration } from './durations.js';

export function parseInstant(raw: unknown, field: string, now: number): number {
  if (typeof raw === 'number' && Number.isFinite(raw)) return raw;
  if (typeof raw === 'string' && raw.trim() !== '') {
    const s = raw.trim();
    if (/^\d+$/.test(s)) return Number(s);
    if (/^\d+(ms|s|m|h|d|w)/.test(s)) return now - parseDuration(s, field);
    const t = Date.parse(s);
    if (Number.isFinite(t)) return t;
  }
  throw new InvalidParameterError(field, `'${field}' must be an ISO 8601 time, epoch milliseconds or a duration ago such as 24h, got ${JSON.stringify(raw)}.`);
}
