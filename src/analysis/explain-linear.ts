/**
 * Exact explanations of linear ONNX models (a LinearRegressor or LinearClassifier on the graph's input, see
 * readLinearModel): interventional Shapley values are then φ_i = w_i·(x_i − mean_i over the background), with no
 * model call. A regressor is explained in its value space; a classifier in its margin space, the scores before
 * onnxruntime's post_transform (LOGISTIC, SOFTMAX…), which is the space in which it is additive.
 */
import { InvalidParameterError } from '../errors.js';
import { type LinearModel, readLinearModel } from '../serving/index.js';
import { linearShap, type ShapExplanation } from '../stats/index.js';
import type { ExplainTarget, OutputSpace } from './explain-model.js';

/** The graph's linear model when it can be explained exactly; with `required`, a refusal saying why not. */
export async function linearModelOf(target: ExplainTarget, M: number, required: boolean): Promise<LinearModel | null> {
  const refuse = (why: string) => {
    if (required) throw new InvalidParameterError('method', `An exact linear explanation cannot explain ${target.model} version ${target.version}: ${why}`);
    return null;
  };
  if (!target.bytes) return refuse('this server does not read model graphs for explanations.');
  if (target.signature.layout !== 'single-tensor') return refuse('its features arrive as separate inputs (a preprocessing graph in front of the model).');
  const read = readLinearModel(await target.bytes());
  if (!read.ok) return refuse(`${read.reason}.`);
  if (read.model.nFeatures !== M) return refuse(`its coefficients read ${read.model.nFeatures} features, its input has ${M}.`);
  return read.model;
}

/** A regressor without a transform answers its value (raw); anything else is explained before its link (margin). */
export function linearSpace(model: LinearModel): OutputSpace {
  return model.kind === 'regressor' && model.postTransform === 'NONE' ? 'raw' : 'margin';
}

/**
 * φ for each row against the background. Values are rounded to float32 where the graph reads float32 (what the
 * model sees); a missing value (NaN) has no linear contribution, so it is refused naming where it is.
 */
export function explainLinear(model: LinearModel, features: string[], background: number[][], rows: number[][]): ShapExplanation {
  const missing = (field: string, data: number[][]) => {
    data.forEach((r, i) => {
      const j = r.findIndex((v) => Number.isNaN(v));
      if (j >= 0)
        throw new InvalidParameterError(
          field === 'instances' ? `instances[${i}].${features[j]}` : 'background',
          `${field === 'instances' ? `Row ${i}` : `Background row ${i}`} has no value for '${features[j]}': a linear model's output is undefined there (NaN), so it cannot be explained; give every feature a value.`,
        );
    });
  };
  missing('instances', rows);
  missing('background', background);
  const asSeen = (data: number[][]) => (model.float32Input ? data.map((r) => r.map(Math.fround)) : data);
  return linearShap({
    weights: model.weights,
    intercepts: model.intercepts,
    background: asSeen(background),
    rows: asSeen(rows),
    outputNames: model.outputNames,
  });
}
