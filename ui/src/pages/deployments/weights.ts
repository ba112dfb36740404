/**
 * Editing a deployment's route weights (pure): what the user typed, checked (whole numbers ≥ 0, at least one
 * above 0), the shares they give, what changes, and the new spec (everything else kept as it is).
 */
import type { DeploymentModelRef, DeploymentSpec, DeploymentSpecInput } from '../../../../src/sdk/index.js';

/** The largest weight accepted; weights are relative, so 100 per route is plenty. */
export const MAX_WEIGHT = 1_000_000;

/** `credit:2` for a pinned version, `credit@champion` for an alias. */
export function refLabel(r: DeploymentModelRef): string {
  return r.alias ? `${r.model}@${r.alias}` : `${r.model}:${r.version ?? '?'}`;
}

export interface WeightCheck {
  /** The weights, when every entry is valid and the total is above 0. */
  weights: number[] | null;
  /** One message per entry (null when that entry is fine). */
  errors: (string | null)[];
  /** A problem with the whole set (the total). */
  problem: string | null;
  /** Each entry's share of the total (0–1); 0 for invalid entries. */
  shares: number[];
}

function parseWeight(text: string): number | string {
  const t = text.trim();
  if (t === '') return 'Enter a weight.';
  if (/^-/.test(t)) return 'A weight cannot be negative.';
  if (!/^\d+$/.test(t)) return /^\d*\.\d*$/.test(t) ? 'Use whole numbers (weights are relative: 90 and 10, not 0.9 and 0.1).' : 'Not a number.';
  const n = Number(t);
  if (n > MAX_WEIGHT) return `At most ${MAX_WEIGHT.toLocaleString('en-US')}.`;
  return n;
}

export function checkWeights(texts: readonly string[]): WeightCheck {
  const parsed = texts.map(parseWeight);
  const errors = parsed.map((p) => (typeof p === 'string' ? p : null));
  const numbers = parsed.map((p) => (typeof p === 'number' ? p : 0));
  const total = numbers.reduce((a, b) => a + b, 0);
  const shares = numbers.map((n) => (total > 0 ? n / total : 0));
  const valid = errors.every((e) => e === null);
  const problem = valid && total <= 0 ? 'At least one route needs a weight above 0, or the deployment would answer nothing.' : null;
  return { weights: valid && problem === null ? numbers : null, errors, problem, shares };
}

/** Shares of plain weights (0 each when the total is 0). */
export function sharesOf(weights: readonly number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => (total > 0 ? w / total : 0));
}

export interface WeightChange {
  route: string;
  from: number;
  to: number;
  fromShare: number;
  toShare: number;
}

/** The routes whose share of traffic changes (a 90/10 → 9/1 edit changes no share, and lists nothing). */
export function weightChanges(spec: DeploymentSpec, weights: readonly number[]): WeightChange[] {
  const before = sharesOf(spec.routes.map((r) => r.weight));
  const after = sharesOf(weights);
  const out: WeightChange[] = [];
  spec.routes.forEach((r, i) => {
    const to = weights[i] ?? r.weight;
    if (to !== r.weight || Math.abs((after[i] ?? 0) - (before[i] ?? 0)) > 1e-9)
      out.push({ route: refLabel(r), from: r.weight, to, fromShare: before[i] ?? 0, toShare: after[i] ?? 0 });
  });
  return out;
}

/** The spec to PUT: the same routes (by version or alias), shadow, sticky key and batching, with new weights. */
export function specWithWeights(spec: DeploymentSpec, weights: readonly number[]): DeploymentSpecInput {
  if (weights.length !== spec.routes.length) throw new Error(`expected ${spec.routes.length} weights, got ${weights.length}`);
  return {
    routes: spec.routes.map((r, i) => ({ model: r.model, ...(r.alias ? { alias: r.alias } : { version: r.version! }), weight: weights[i]! })),
    shadow: spec.shadow.map((s) => ({ model: s.model, ...(s.alias ? { alias: s.alias } : { version: s.version! }) })),
    ...(spec.sticky_key ? { sticky_key: spec.sticky_key } : {}),
    batching: { ...spec.batching },
  };
}
