/**
 * Per-deployment monitoring settings: how much of the traffic the prediction log keeps, for how long, what
 * happens to personal data before anything is stored, and the profile window.
 */
import { InvalidParameterError } from '../errors.js';
import type { Fields } from '../fields.js';
import { parseDuration } from './duration.js';

export interface MonitoringSettings {
  /** false: the deployment's requests are neither logged nor profiled (monitoring off). */
  enabled: boolean;
  /** Share of requests whose rows are stored (0..1). Profiles see every request regardless. */
  sample_rate: number;
  retention_days: number;
  /** Input fields removed before storage and profiling / replaced by a keyed hash (HMAC-SHA256). */
  pii: { drop: string[]; hash: string[] };
  /** Profile window, e.g. "1h". */
  window: string;
}

export const DEFAULT_SETTINGS: MonitoringSettings = { enabled: true, sample_rate: 1, retention_days: 30, pii: { drop: [], hash: [] }, window: '1h' };

const MIN_WINDOW_MS = 10_000;
const MAX_WINDOW_MS = 7 * 86_400_000;

function names(v: unknown, field: string): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || x === '' || x.length > 256)) {
    throw new InvalidParameterError(field, `'${field}' must be a list of field names.`);
  }
  return [...new Set(v as string[])];
}

/** Validates a (partial) settings body over the current settings; each refusal names the field. */
export function parseSettings(body: Fields, current: MonitoringSettings = DEFAULT_SETTINGS): MonitoringSettings {
  const known = new Set(['enabled', 'sample_rate', 'retention_days', 'pii', 'window']);
  for (const k of Object.keys(body)) if (!known.has(k)) throw new InvalidParameterError(k, `Unknown setting '${k}' (known: ${[...known].join(', ')}).`);
  const out: MonitoringSettings = { ...current, pii: { ...current.pii } };
  if (body['enabled'] !== undefined) {
    if (typeof body['enabled'] !== 'boolean') throw new InvalidParameterError('enabled', "'enabled' must be true or false.");
    out.enabled = body['enabled'];
  }
  if (body['sample_rate'] !== undefined) {
    const r = body['sample_rate'];
    if (typeof r !== 'number' || !(r >= 0 && r <= 1)) throw new InvalidParameterError('sample_rate', "'sample_rate' must be a number from 0 to 1.");
    out.sample_rate = r;
  }
  if (body['retention_days'] !== undefined) {
    const d = body['retention_days'];
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 1 || d > 3650) throw new InvalidParameterError('retention_days', "'retention_days' must be a whole number of days from 1 to 3650.");
    out.retention_days = d;
  }
  if (body['pii'] !== undefined) {
    const p = body['pii'];
    if (p === null || typeof p !== 'object' || Array.isArray(p)) throw new InvalidParameterError('pii', "'pii' must be an object: {\"drop\": [fields], \"hash\": [fields]}.");
    const pf = p as Fields;
    for (const k of Object.keys(pf)) if (k !== 'drop' && k !== 'hash') throw new InvalidParameterError(`pii.${k}`, `Unknown PII rule '${k}' (use drop or hash).`);
    out.pii = { drop: names(pf['drop'], 'pii.drop'), hash: names(pf['hash'], 'pii.hash') };
    const both = out.pii.drop.filter((f) => out.pii.hash.includes(f));
    if (both.length) throw new InvalidParameterError('pii', `Field '${both[0]}' is both dropped and hashed; choose one.`);
  }
  if (body['window'] !== undefined) {
    const ms = parseDuration(body['window'], 'window');
    if (ms < MIN_WINDOW_MS || ms > MAX_WINDOW_MS || 86_400_000 % ms !== 0 && ms % 86_400_000 !== 0) {
      throw new InvalidParameterError('window', "'window' must divide a day or be whole days, from 10s to 7d (e.g. 5m, 15m, 1h, 1d).");
    }
    out.window = body['window'] as string;
  }
  return out;
}

export function windowMs(s: MonitoringSettings): number {
  return parseDuration(s.window, 'window');
}
