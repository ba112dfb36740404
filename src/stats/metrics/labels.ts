/**
 * Class labels and input checks shared by every metric: what a label is, the order scikit-learn puts
 * labels in, and the errors for empty or mismatched inputs (InvalidParameterError naming the field).
 */
import { InvalidParameterError } from '../../errors.js';

/**
 * A class label: strings, finite numbers or booleans (feedback often arrives as true/false), one kind per
 * problem (scikit-learn refuses a mix of strings and numbers).
 */
export type Label = string | number | boolean;
export type LabelInput = ArrayLike<Label>;
export type NumberInput = ArrayLike<number>;

/**
 * scikit-learn's order (np.unique): numbers ascending, false before true, strings by code point. JavaScript's default string
 * comparison is by UTF-16 unit, which differs from code-point order for characters beyond U+FFFF.
 */
export function compareLabels(a: Label, b: Label): number {
  if (typeof a !== 'string' && typeof b !== 'string') return Number(a) - Number(b);
  const sa = String(a);
  const sb = String(b);
  let i = 0;
  let j = 0;
  while (i < sa.length && j < sb.length) {
    const ca = sa.codePointAt(i) as number;
    const cb = sb.codePointAt(j) as number;
    if (ca !== cb) return ca - cb;
    i += ca > 0xffff ? 2 : 1;
    j += cb > 0xffff ? 2 : 1;
  }
  return sa.length - i - (sb.length - j);
}

export function sortLabels(labels: Iterable<Label>): Label[] {
  return [...new Set(labels)].sort(compareLabels);
}

/** Refuses a label that is neither a string nor a finite number, and a mix of strings and numbers. */
export function checkLabelKinds(labels: Iterable<Label>, field: string): void {
  let kind: string | undefined;
  for (const label of labels) {
    const k = typeof label;
    if (k === 'number') {
      if (!Number.isFinite(label)) {
        throw new InvalidParameterError(field, `'${field}' has a non-finite label (${String(label)}).`);
      }
    } else if (k !== 'string' && k !== 'boolean') {
      throw new InvalidParameterError(field, `'${field}' labels must be strings, numbers or booleans, got ${k}.`);
    }
    if (kind === undefined) kind = k;
    else if (kind !== k) {
      throw new InvalidParameterError(field, `'${field}' mixes ${kind} and ${k} labels; use one kind.`);
    }
  }
}

export function requireRows(n: number, field: string): void {
  if (n === 0) throw new InvalidParameterError(field, `'${field}' is empty: a metric needs at least one row.`);
}

export function requireSameLength(a: ArrayLike<unknown>, b: ArrayLike<unknown>, fa: string, fb: string): void {
  if (a.length !== b.length) {
    throw new InvalidParameterError(fb, `'${fa}' has ${a.length} rows but '${fb}' has ${b.length}.`);
  }
}

/** Copies numbers into a Float64Array, refusing NaN and infinities (scikit-learn raises on them too). */
export function toFiniteFloat64(values: NumberInput, field: string): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new InvalidParameterError(field, `'${field}' has a missing or non-finite value at index ${i}.`);
    }
    out[i] = v;
  }
  return out;
}

/**
 * The label list of a problem: the caller's `labels` in their order (as scikit-learn's `labels=`), or else
 * the sorted union of the labels seen. Observed labels outside a given list are refused (scikit-learn
 * would silently ignore them in some metrics and raise in others).
 */
export function resolveLabels(seen: Iterable<Label>, given: readonly Label[] | undefined, field: string): Label[] {
  const seenSet = new Set(seen);
  if (given === undefined) {
    checkLabelKinds(seenSet, field);
    return sortLabels(seenSet);
  }
  checkLabelKinds([...given, ...seenSet], 'labels');
  const givenSet = new Set(given);
  if (givenSet.size !== given.length) throw new InvalidParameterError('labels', "'labels' has duplicates.");
  for (const label of seenSet) {
    if (!givenSet.has(label)) {
      throw new InvalidParameterError(field, `'${field}' has label ${JSON.stringify(label)} missing from 'labels'.`);
    }
  }
  return [...given];
}

/** Neumaier-compensated sum: keeps long windows and merged accumulators accurate to ~1 ulp. */
export class CompensatedSum {
  sum = 0;
  c = 0;
  add(x: number): void {
    const t = this.sum + x;
    if (Math.abs(this.sum) >= Math.abs(x)) this.c += this.sum - t + x;
    else this.c += x - t + this.sum;
    this.sum = t;
  }
  addSum(other: CompensatedSum): void {
    this.add(other.sum);
    this.c += other.c;
  }
  get value(): number {
    return this.sum + this.c;
  }
}
