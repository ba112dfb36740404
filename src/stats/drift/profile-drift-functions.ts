// Plain-data entry point (JSON in, JSON out) for drift between profiles: what the pytest harness calls to check the
// profile path (windows merged, stored and read back) against scipy on the raw values.
import { ColumnProfile, type ColumnProfileJSON } from '../sketch/index.js';
import { type FeatureDrift, featureDrift } from './profile-drift.js';
import type { DriftMethod } from './select.js';

export interface ProfileDriftCallOptions {
  /** The current side as this many consecutive windows, each stored (JSON) and read back, then merged. */
  windows?: number;
  exactBudget?: number;
  method?: DriftMethod;
  threshold?: number;
}

function profile(values: readonly unknown[], seed: number, exactBudget: number | undefined): ColumnProfile {
  const p = new ColumnProfile({ kind: 'numerical', seed, reservoirCapacity: 1000, ...(exactBudget === undefined ? {} : { exactBudget }) });
  for (const v of values) p.update(v);
  return ColumnProfile.fromJSON(JSON.parse(JSON.stringify(p.toJSON())) as ColumnProfileJSON);
}

/** Drift of a numeric feature from its reference and current values (null / NaN are missing), as monitoring computes it. */
export function numericProfileDrift(reference: unknown[], current: unknown[], o: ProfileDriftCallOptions = {}): FeatureDrift | null {
  const windows = Math.max(1, Math.floor(o.windows ?? 1));
  const size = Math.ceil(current.length / windows);
  const parts = Array.from({ length: windows }, (_, i) => profile(current.slice(i * size, (i + 1) * size), 2 + i, o.exactBudget));
  const cur = parts.reduce((a, b) => a.merge(b));
  return featureDrift('x', profile(reference, 1, o.exactBudget), cur, {
    ...(o.method ? { methods: { x: o.method } } : {}),
    ...(o.threshold !== undefined ? { thresholds: { x: o.threshold } } : {}),
  });
}
