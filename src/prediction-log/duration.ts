/** Durations as users write them ("30s", "5m", "1h", "7d") and time bounds ("2026-11-01T00:00:00Z", epoch ms, "24h" ago). */
import { InvalidParameterError } from '../errors.js';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

export function parseDuration(raw: unknown, field: string): number {
  const m = typeof raw === 'string' ? /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/.exec(raw.trim()) : null;
  const ms = m ? Number(m[1]) * UNIT_MS[m[2]!]! : NaN;
  if (!Number.isFinite(ms) || ms <= 0) throw new InvalidParameterError(field, `'${field}' must be a duration such as 30s, 5m, 1h or 7d, got ${JSON.stringify(raw)}.`);
  return Math.round(ms);
}

/** A point in time: ISO 8601, epoch milliseconds, or a duration meaning that long before `now`. */
export function parseInstant(raw: unknown, field: string, now: number): number {
  if (typeof raw === 'number' && Number.isFinite(raw)) return raw;
  if (typeof raw === 'string' && raw.trim() !== '') {
    const s = raw.trim();
    if (/^\d+$/.test(s)) return Number(s);
    if (/^\d+(\.\d+)?(ms|s|m|h|d|w)$/.test(s)) return now - parseDuration(s, field);
    const t = Date.parse(s);
    if (Number.isFinite(t)) return t;
  }
  throw new InvalidParameterError(field, `'${field}' must be an ISO 8601 time, epoch milliseconds or a duration ago such as 24h, got ${JSON.stringify(raw)}.`);
}
