/**
 * The gate's slices of a source's rows. Names are stable (they key evidence across runs) and read as they are:
 *
 * - `all`: every row;
 * - a feature without bins, one slice per value: `region=north`, `member=true`, `grade=3` (values ordered as
 *   scikit-learn orders labels: numbers ascending, false before true, strings by code point; numbers before
 *   booleans before strings when a feature mixes kinds), and `region is missing` (null or absent);
 * - a feature with bin edges e₀ < e₁ < … < e_k, half-open bins: `income < 20000` (−∞, e₀),
 *   `income in [20000, 50000)` [eᵢ, eᵢ₊₁), `income >= 50000` [e_k, +∞), `income is missing` (null or absent)
 *   and `income is not a number` (any other value: a string, a boolean, NaN).
 *
 * Only slices that hold rows are listed, in that order: `all`, then each spec in the order given.
 */
import { InvalidParameterError } from '../../errors.js';
import { compareLabels } from '../../stats/index.js';

export interface SliceSpec {
  feature: string;
  bins?: number[];
}

export interface Slice {
  name: string;
  /** The feature sliced on; null for `all`. */
  feature: string | null;
  /** The 0-based rows of the source in the slice, ascending. */
  rows: number[];
}

const KIND_ORDER: Record<string, number> = { number: 0, boolean: 1, string: 2 };

/** Refuses bins that are not finite and strictly increasing, and a feature named twice. */
export function checkSliceSpecs(specs: unknown): SliceSpec[] {
  if (!Array.isArray(specs)) throw new InvalidParameterError('slices', "'slices' must be a list of { feature, bins? }.");
  const seen = new Set<string>();
  return specs.map((s: unknown, i) => {
    const field = `slices[${i}]`;
    if (s === null || typeof s !== 'object') throw new InvalidParameterError(field, `'${field}' must be an object { feature, bins? }.`);
    const { feature, bins } = s as { feature?: unknown; bins?: unknown };
    if (typeof feature !== 'string' || feature.length === 0)
      throw new InvalidParameterError(`${field}.feature`, `'${field}.feature' must be a non-empty string.`);
    if (seen.has(feature)) throw new InvalidParameterError(`${field}.feature`, `'${field}.feature': the feature '${feature}' is sliced twice.`);
    seen.add(feature);
    if (bins === undefined) return { feature };
    if (!Array.isArray(bins) || bins.length === 0) throw new InvalidParameterError(`${field}.bins`, `'${field}.bins' must be a non-empty list of numbers.`);
    bins.forEach((e: unknown, k) => {
      if (typeof e !== 'number' || !Number.isFinite(e))
        throw new InvalidParameterError(`${field}.bins`, `'${field}.bins[${k}]' must be a finite number, got ${String(e)}.`);
      if (k > 0 && !(e > (bins[k - 1] as number))) {
        throw new InvalidParameterError(`${field}.bins`, `'${field}.bins' must be strictly increasing: ${String(bins[k - 1])} is followed by ${e}.`);
      }
    });
    return { feature, bins: [...(bins as number[])] };
  });
}

/** Refuses a slice feature that no row of any source holds (a typo would otherwise slice everything as missing). */
export function checkSliceFeatures(specs: SliceSpec[], rowSets: readonly (readonly Record<string, unknown>[])[]): void {
  specs.forEach((s, i) => {
    const present = rowSets.some((rows) => rows.some((r) => r !== null && typeof r === 'object' && r[s.feature] !== undefined && r[s.feature] !== null));
    if (!present) {
      throw new InvalidParameterError(`slices[${i}].feature`, `'slices[${i}].feature': no row of any source has the feature '${s.feature}'.`);
    }
  });
}

const isMissing = (v: unknown): boolean => v === undefined || v === null;

function valueOf(row: Record<string, unknown> | undefined, feature: string): unknown {
  return row !== null && typeof row === 'object' ? row[feature] : undefined;
}

function categorical(feature: string, features: readonly Record<string, unknown>[]): Slice[] {
  const groups = new Map<string, { value: string | number | boolean; rows: number[] }>();
  const missing: number[] = [];
  features.forEach((row, i) => {
    const v = valueOf(row, feature);
    if (isMissing(v)) return void missing.push(i);
    // Lists and objects are not categories: their JSON text is, so they still land in one stable slice each.
    const value = typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number' ? v : JSON.stringify(v);
    const key = `${typeof value}:${String(value)}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { value, rows: [] }));
    g.rows.push(i);
  });
  const sorted = [...groups.values()].sort(
    (a, b) => KIND_ORDER[typeof a.value]! - KIND_ORDER[typeof b.value]! || compareLabels(a.value, b.value) || String(a.value).localeCompare(String(b.value)),
  );
  const out: Slice[] = sorted.map((g) => ({ name: `${feature}=${String(g.value)}`, feature, rows: g.rows }));
  if (missing.length > 0) out.push({ name: `${feature} is missing`, feature, rows: missing });
  return out;
}

/** The bin names for edges e₀ < … < e_k, in order: (−∞, e₀), [e₀, e₁), …, [e_k, +∞). */
export function binNames(feature: string, bins: readonly number[]): string[] {
  const names = [`${feature} < ${bins[0]}`];
  for (let k = 0; k + 1 < bins.length; k++) names.push(`${feature} in [${bins[k]}, ${bins[k + 1]})`);
  names.push(`${feature} >= ${bins[bins.length - 1]}`);
  return names;
}

/** Which bin x falls in: 0 for x < e₀, k + 1 for eₖ ≤ x < eₖ₊₁, bins.length for x ≥ e_k. */
export function binIndex(bins: readonly number[], x: number): number {
  let lo = 0;
  let hi = bins.length; // the answer: the number of edges ≤ x
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (bins[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function binned(feature: string, bins: readonly number[], features: readonly Record<string, unknown>[]): Slice[] {
  const names = binNames(feature, bins);
  const rows: number[][] = names.map(() => []);
  const missing: number[] = [];
  const notNumber: number[] = [];
  features.forEach((row, i) => {
    const v = valueOf(row, feature);
    if (isMissing(v)) missing.push(i);
    else if (typeof v !== 'number' || !Number.isFinite(v)) notNumber.push(i);
    else rows[binIndex(bins, v)]!.push(i);
  });
  const out: Slice[] = names.map((name, k) => ({ name, feature, rows: rows[k]! })).filter((s) => s.rows.length > 0);
  if (missing.length > 0) out.push({ name: `${feature} is missing`, feature, rows: missing });
  if (notNumber.length > 0) out.push({ name: `${feature} is not a number`, feature, rows: notNumber });
  return out;
}

/** `all` and every spec's slices that hold rows of this source. */
export function sliceRows(specs: readonly SliceSpec[], features: readonly Record<string, unknown>[]): Slice[] {
  const all: Slice = { name: 'all', feature: null, rows: features.map((_, i) => i) };
  return [all, ...specs.flatMap((s) => (s.bins ? binned(s.feature, s.bins, features) : categorical(s.feature, features)))];
}
