/**
 * Canonical JSON for cards: keys sorted at every level and no render-dependent values, so equal facts give equal
 * bytes and an equal hash. Numbers that JSON cannot carry (an MLflow metric may be NaN or ±Infinity) become the
 * strings MLflow's own JSON uses.
 */
import { createHash } from 'node:crypto';

/** A copy that JSON carries faithfully: non-finite numbers as strings, undefined object members dropped. */
export function jsonSafe(value: unknown): unknown {
  if (typeof value === 'number') return Number.isFinite(value) ? value : Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : jsonSafe(v)));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) if (v !== undefined) out[k] = jsonSafe(v);
    return out;
  }
  return value;
}

function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value as Record<string, unknown>).sort()) out[k] = sorted((value as Record<string, unknown>)[k]);
    return out;
  }
  return value;
}

/** JSON with keys sorted at every level; `indent` for files a person reads. */
export function canonicalJson(value: unknown, indent?: number): string {
  return JSON.stringify(sorted(jsonSafe(value)), null, indent);
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
