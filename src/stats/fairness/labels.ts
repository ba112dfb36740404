/**
 * Label values and Fairlearn's label rules. Python compares labels with `==`, where True == 1 and False == 0, so
 * booleans are read as 1/0; strings and numbers never compare equal ('1' is not 1), as in numpy.
 */
import { InvalidParameterError } from '../../errors.js';

export type Label = number | string | boolean;
export type Norm = number | string;

export function norm(v: Label): Norm {
  return typeof v === 'boolean' ? (v ? 1 : 0) : v;
}

/** Refuses a column that is not an array of the given length, or that holds a value Fairlearn could not group. */
export function labelColumn(field: string, values: unknown, length?: number): Norm[] {
  if (!Array.isArray(values)) throw new InvalidParameterError(field, `'${field}' must be an array.`);
  if (length !== undefined && values.length !== length) {
    throw new InvalidParameterError(field, `'${field}' has ${values.length} values, expected ${length} (one per row).`);
  }
  return values.map((v, i) => {
    if (typeof v === 'boolean') return v ? 1 : 0;
    if ((typeof v === 'number' && !Number.isNaN(v)) || typeof v === 'string') return v;
    throw new InvalidParameterError(field, `'${field}[${i}]' is missing or not a number, string or boolean.`);
  });
}

/**
 * The positive label for the confusion-matrix rates, as fairlearn's `_get_labels_for_confusion_matrix` decides it
 * over y_true ∪ y_pred: with no pos_label the values must lie in {0, 1} or {−1, 1} (then 1 is positive); at most two
 * distinct values; with two, pos_label must be one of them. Checking the whole data covers every group (each group's
 * values are a subset). `fallback` is what a null pos_label means (null for Fairlearn's rates, 1 for scikit-learn's
 * precision/recall, whose default is pos_label=1).
 */
export function positiveLabel(yTrue: Norm[], yPred: Norm[], posLabel: Norm | null): Norm {
  const seen = new Map<Norm, 'y_true' | 'y_pred'>();
  for (const v of yTrue) if (!seen.has(v)) seen.set(v, 'y_true');
  for (const v of yPred) if (!seen.has(v)) seen.set(v, 'y_pred');
  if (posLabel === null) {
    const in01 = [...seen.keys()].every((v) => v === 0 || v === 1);
    const in11 = [...seen.keys()].every((v) => v === -1 || v === 1);
    if (!in01 && !in11) {
      const [bad, field] = [...seen.entries()].find(([v]) => v !== 0 && v !== 1)!;
      throw new InvalidParameterError(field, `'${field}' holds ${JSON.stringify(bad)}: without pos_label, labels must be from {0, 1} or {-1, 1}.`);
    }
    posLabel = 1;
  }
  if (seen.size > 2) {
    const field = [...seen.values()].includes('y_pred') ? 'y_pred' : 'y_true';
    throw new InvalidParameterError(field, `'y_true' and 'y_pred' must have no more than two distinct values, found ${seen.size}.`);
  }
  if (seen.size === 2 && !seen.has(posLabel)) {
    throw new InvalidParameterError('pos_label', `'pos_label' ${JSON.stringify(posLabel)} is not among the y values.`);
  }
  return posLabel;
}
