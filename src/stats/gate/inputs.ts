/**
 * Checks shared by the gate's statistics: rows present and of one length, finite numbers, labels of one kind,
 * the binary positive label, and the options (α, margin, replicates). Every refusal is an InvalidParameterError
 * naming the field the caller passed.
 */
import { InvalidParameterError } from '../../errors.js';
import { type Label, type LabelInput, type NumberInput, checkLabelKinds, sortLabels, toFiniteFloat64 } from '../metrics/labels.js';

export const DEFAULT_ALPHA = 0.05;
export const DEFAULT_MARGIN = 0;
export const DEFAULT_REPLICATES = 2000;
export const MAX_REPLICATES = 100_000;

/** yTrue, candidate and champion: at least one row each, all of the same length. */
export function requirePairedRows(yTrue: ArrayLike<unknown>, candidate: ArrayLike<unknown>, champion: ArrayLike<unknown>): number {
  for (const [field, v] of [
    ['yTrue', yTrue],
    ['candidate', candidate],
    ['champion', champion],
  ] as const) {
    if (v === null || typeof v !== 'object' || typeof v.length !== 'number') {
      throw new InvalidParameterError(field, `'${field}' must be an array.`);
    }
  }
  if (yTrue.length === 0) throw new InvalidParameterError('yTrue', "'yTrue' is empty: the gate needs at least one labelled row.");
  for (const [field, v] of [
    ['candidate', candidate],
    ['champion', champion],
  ] as const) {
    if (v.length !== yTrue.length) {
      throw new InvalidParameterError(field, `'yTrue' has ${yTrue.length} rows but '${field}' has ${v.length}: both models must be scored on the same rows.`);
    }
  }
  return yTrue.length;
}

export function finiteColumn(values: NumberInput, field: string): Float64Array {
  return toFiniteFloat64(values, field);
}

/** Labels checked for kind (strings, finite numbers or booleans; one kind). */
export function labelColumn(values: LabelInput, field: string): Label[] {
  const labels = Array.from(values);
  checkLabelKinds(labels, field);
  return labels;
}

/**
 * Which yTrue rows are positive. Default positive label: the greatest label of yTrue (scikit-learn's rule);
 * more than two labels need an explicit one. `requireTwo`: one label in yTrue without an explicit positive label
 * is refused (log loss cannot tell what the probabilities are of).
 */
export function positiveFlags(yTrue: Label[], positiveLabel: Label | undefined, requireTwo: boolean): Uint8Array {
  const labels = sortLabels(yTrue);
  if (positiveLabel === undefined) {
    if (labels.length > 2) {
      throw new InvalidParameterError('positiveLabel', `'yTrue' has ${labels.length} labels: a binary metric needs 'positiveLabel'.`);
    }
    if (requireTwo && labels.length < 2) {
      throw new InvalidParameterError(
        'positiveLabel',
        `'yTrue' holds one label (${String(labels[0])}): say which label the probabilities are of with 'positiveLabel'.`,
      );
    }
  }
  const positive = positiveLabel ?? labels[labels.length - 1];
  const flags = new Uint8Array(yTrue.length);
  for (let i = 0; i < yTrue.length; i++) flags[i] = yTrue[i] === positive ? 1 : 0;
  return flags;
}

export function checkAlpha(alpha: unknown): number {
  if (alpha === undefined) return DEFAULT_ALPHA;
  if (typeof alpha !== 'number' || !(alpha > 0 && alpha < 0.5)) {
    throw new InvalidParameterError('alpha', `'alpha' must lie in (0, 0.5), got ${String(alpha)}.`);
  }
  return alpha;
}

/** A margin may be negative: "lower bound > −margin" with margin < 0 requires an improvement of at least |margin|. */
export function checkMargin(margin: unknown): number {
  if (margin === undefined) return DEFAULT_MARGIN;
  if (typeof margin !== 'number' || !Number.isFinite(margin)) {
    throw new InvalidParameterError('margin', `'margin' must be a finite number, got ${String(margin)}.`);
  }
  return margin;
}

export function checkReplicates(replicates: unknown): number {
  if (replicates === undefined) return DEFAULT_REPLICATES;
  if (typeof replicates !== 'number' || !Number.isInteger(replicates) || replicates < 1 || replicates > MAX_REPLICATES) {
    throw new InvalidParameterError('replicates', `'replicates' must be an integer in [1, ${MAX_REPLICATES}], got ${String(replicates)}.`);
  }
  return replicates;
}
