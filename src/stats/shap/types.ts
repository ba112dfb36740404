/**
 * What every explainer answers: per-row, per-output, per-feature attributions φ with the base value they add up from
 * (Σφ + base = f(x)), the method that produced them, and whether an evaluation budget cut them short.
 */
export type ShapMethod = 'tree_interventional' | 'kernel' | 'exact' | 'permutation' | 'linear';

export interface ShapExplanation {
  method: ShapMethod;
  /** One per model output (a regressor's value, a binary classifier's margin or probability, one per class). */
  outputNames: string[];
  /** base[o]: the expected output over the background (E[f(background)]) for output o. */
  base: number[];
  /** values[row][o][feature]. */
  values: number[][][];
  /** fx[row][o]: the model's output for the explained row, what base + Σφ adds up to. */
  fx: number[][];
  /** Model evaluations spent (rows sent to the model; 0 for methods that read the model's structure). */
  evaluations: number;
  /** True where the budget ran out before the method finished: the values are then an estimate. */
  truncated: boolean;
}
