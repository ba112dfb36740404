/** PII rules, applied to input rows before anything is stored or profiled: drop a field, or replace it by a keyed hash. */
import { createHmac } from 'node:crypto';
import type { MonitoringSettings } from './monitoring-settings.js';

/**
 * A keyed hash (HMAC-SHA256, hex, 32 chars kept): the same value always maps to the same token, so joins and
 * category counts still work, but unlike a plain SHA-256 a dictionary of likely values cannot reverse it
 * without the installation's key.
 */
export function hashValue(key: Buffer, v: unknown): string | null {
  if (v === null || v === undefined) return null;
  return 'h:' + createHmac('sha256', key).update(typeof v === 'string' ? v : JSON.stringify(v)).digest('hex').slice(0, 32);
}

export function applyPii(row: Record<string, unknown>, pii: MonitoringSettings['pii'], key: Buffer): Record<string, unknown> {
  if (pii.drop.length === 0 && pii.hash.length === 0) return row;
  const out = { ...row };
  for (const f of pii.drop) delete out[f];
  for (const f of pii.hash) if (f in out) out[f] = hashValue(key, out[f]);
  return out;
}
