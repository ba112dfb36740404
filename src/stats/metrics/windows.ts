/**
 * JSON-in, JSON-out helpers over the accumulators, for callers that store one state per window (and for
 * the pytest harness, which can only pass JSON): make a state from rows, merge states, report a state.
 */
import {
  type ClassificationAccumulatorJSON,
  type ClassificationAccumulatorOptions,
  type ClassificationBatch,
  type RegressionAccumulatorJSON,
  ClassificationAccumulator,
  RegressionAccumulator,
} from './accumulators.js';
import { type Average } from './classification.js';
import { type LabelInput, type NumberInput } from './labels.js';
import { type ClassificationReport, type RegressionReport } from './report.js';

export function classificationState(
  yTrue: LabelInput,
  yPred: LabelInput,
  opts: ClassificationAccumulatorOptions & ClassificationBatch = {},
): ClassificationAccumulatorJSON {
  const { scores, probabilities, ...options } = opts;
  return new ClassificationAccumulator(options).add(yTrue, yPred, { scores, probabilities }).toJSON();
}

export function mergeClassificationStates(states: ClassificationAccumulatorJSON[]): ClassificationAccumulatorJSON {
  const [first, ...rest] = states.map((s) => ClassificationAccumulator.fromJSON(s));
  if (!first) return new ClassificationAccumulator().toJSON();
  for (const s of rest) first.merge(s);
  return first.toJSON();
}

export function classificationStateReport(state: ClassificationAccumulatorJSON, average?: Average): ClassificationReport {
  return ClassificationAccumulator.fromJSON(state).report(average);
}

export function regressionState(yTrue: NumberInput, yPred: NumberInput): RegressionAccumulatorJSON {
  return new RegressionAccumulator().add(yTrue, yPred).toJSON();
}

export function mergeRegressionStates(states: RegressionAccumulatorJSON[]): RegressionAccumulatorJSON {
  const merged = new RegressionAccumulator();
  for (const s of states) merged.merge(RegressionAccumulator.fromJSON(s));
  return merged.toJSON();
}

export function regressionStateReport(state: RegressionAccumulatorJSON): RegressionReport {
  return RegressionAccumulator.fromJSON(state).report();
}
