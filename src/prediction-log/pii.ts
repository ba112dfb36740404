/** PII rules, applied to input rows before anything is stored or profiled: drop a field, or replace it by a keyed hash. */
import { createHmac } from 'node:crypto';
import type { FlatInputs } from '../serving/index.js';
import type { MonitoringSettings } from './monitoring-settings.js';

/**
 * A keyed hash (HMAC-SHA256, hex, 32 chars kept): the same value always maps to the same token, so joins and
 * category counts still work, but unlike a plain SHA-256 a dictionary of likely values cannot reverse it
 * without the installation's key.
 */
export function hashValue(key: Buffer, v: unknown): string | null {
  if (v === null || v === undefined) return null;
  return (
    'h:' +
    createHmac('sha256', key)
      .update(typeof v === 'string' ? v : JSON.stringify(v))
      .digest('hex')
      .slice(0, 32)
  );
}

/** PII rules on flat, row-major inputs: dropped columns leave, hashed ones are replaced value by value. */
export function applyPiiFlat(flat: FlatInputs, pii: MonitoringSettings['pii'], key: Buffer): FlatInputs {
  if (pii.drop.length === 0 && pii.hash.length === 0) return flat;
  const keep = flat.names.map((n, j) => (pii.drop.includes(n) ? -1 : j)).filter((j) => j >= 0);
  const hashed = new Set(pii.hash);
  const width = flat.names.length;
  const rows = width ? flat.values.length / width : 0;
  const values: unknown[] = [];
  for (let r = 0; r < rows; r++) {
    for (const j of keep) {
      const v = flat.values[r * width + j];
      values.push(hashed.has(flat.names[j]!) ? hashValue(key, v) : v);
    }
  }
  return { names: keep.map((j) => flat.names[j]!), values };
}
