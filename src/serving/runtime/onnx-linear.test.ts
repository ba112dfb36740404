/**
 * readLinearModel on the committed linear fixtures (python/fixtures/make_linear_models.py): the coefficients it reads
 * reproduce what onnxruntime-node answers on the fitted table (the margins through the post_transform the graph
 * names), and graphs that are more than one linear node on the input are refused with a reason. shap's
 * LinearExplainer on the same converter output: python/tests/test_stats_shap_linear.py.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { describe, expect, test } from 'vitest';
import { type LinearModel, readLinearModel } from './onnx-linear.js';

const MODELS = join(import.meta.dirname, '..', '..', '..', 'test', 'fixtures', 'models');
const LINEAR = join(MODELS, 'linear');
const bytes = (path: string) => new Uint8Array(readFileSync(path));

const table = readFileSync(join(LINEAR, 'linear_train.csv'), 'utf8')
  .trim()
  .split('\n')
  .slice(1, 41)
  .map((l) => l.split(',').slice(0, 4).map(Number));

function read(file: string): LinearModel {
  const r = readLinearModel(bytes(join(LINEAR, file)));
  if (!r.ok) throw new Error(r.reason);
  return r.model;
}

const margins = (m: LinearModel, x: number[]) =>
  m.weights.map((w, o) => w.reduce((s, wi, i) => s + wi * (m.float32Input ? Math.fround(x[i]!) : x[i]!), m.intercepts[o]!));
const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
const softmax = (z: number[]) => {
  const e = z.map((v) => Math.exp(v - Math.max(...z)));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
};

async function served(file: string, output: string, type: 'float32' | 'float64' = 'float32'): Promise<number[][]> {
  const session = await ort.InferenceSession.create(join(LINEAR, file));
  const data = type === 'float32' ? Float32Array.from(table.flat()) : Float64Array.from(table.flat());
  const out = (await session.run({ [session.inputNames[0]!]: new ort.Tensor(type, data, [table.length, 4]) }, [output]))[output]!;
  const width = out.dims[1]!;
  const flat = Array.from(out.data as Float32Array);
  return table.map((_, r) => flat.slice(r * width, (r + 1) * width));
}

function expectClose(got: number[][], want: number[][]) {
  got.forEach((row, r) => row.forEach((v, o) => expect(Math.abs(v - want[r]![o]!)).toBeLessThan(1e-5 * Math.max(1, Math.abs(want[r]![o]!)))));
}

describe('readLinearModel', () => {
  test("LinearRegression: one LinearRegressor, the value space, onnxruntime's prediction", async () => {
    const m = read('linear_regressor.onnx');
    expect(m).toMatchObject({ kind: 'regressor', nFeatures: 4, outputNames: ['value'], postTransform: 'NONE', float32Input: true, singleScoreBinary: false });
    expectClose(
      table.map((x) => margins(m, x)),
      await served('linear_regressor.onnx', 'variable'),
    );
  });

  test('a Cast from double to float in front: read, and the input is float32 as the node sees it', async () => {
    const m = read('linear_cast_double.onnx');
    expect(m).toMatchObject({ kind: 'regressor', float32Input: true });
    expectClose(
      table.map((x) => margins(m, x)),
      await served('linear_cast_double.onnx', 'variable', 'float64'),
    );
  });

  test('binary LogisticRegression as skl2onnx writes it: two rows (−w, +w), each column σ of its own margin', async () => {
    const m = read('logreg_binary.onnx');
    expect(m).toMatchObject({
      kind: 'classifier',
      classLabels: ['0', '1'],
      outputNames: ['margin:0', 'margin:1'],
      postTransform: 'LOGISTIC',
      singleScoreBinary: false,
    });
    m.weights[0]!.forEach((w, i) => expect(w).toBe(-m.weights[1]![i]!));
    expectClose(
      table.map((x) => margins(m, x).map(sigmoid)),
      await served('logreg_binary.onnx', 'probabilities'),
    );
  });

  test("binary with one coefficient row: one margin, the second label's; onnxruntime answers [1 − σ(s), σ(s)]", async () => {
    const m = read('logreg_binary_onerow.onnx');
    expect(m).toMatchObject({ outputNames: ['margin:1'], singleScoreBinary: true, postTransform: 'LOGISTIC' });
    expectClose(
      table.map((x) => {
        const p = sigmoid(margins(m, x)[0]!);
        return [1 - p, p];
      }),
      await served('logreg_binary_onerow.onnx', 'probabilities'),
    );
    // The same model as the two-row one: its margin is the positive class's.
    const two = read('logreg_binary.onnx');
    table.forEach((x) => expect(margins(m, x)[0]).toBeCloseTo(margins(two, x)[1]!, 5));
  });

  test('3-class multinomial LogisticRegression: SOFTMAX margins (the Normalizer after it changes nothing)', async () => {
    const m = read('logreg_3class.onnx');
    expect(m).toMatchObject({ outputNames: ['margin:0', 'margin:1', 'margin:2'], postTransform: 'SOFTMAX' });
    expect(m.weights.map((w) => w.length)).toEqual([4, 4, 4]);
    expectClose(
      table.map((x) => softmax(margins(m, x))),
      await served('logreg_3class.onnx', 'probabilities'),
    );
  });

  test('refuses, naming why, what is not one linear node on the input', () => {
    const reason = (path: string) => {
      const r = readLinearModel(bytes(path));
      expect(r.ok).toBe(false);
      return r.ok ? '' : r.reason;
    };
    expect(reason(join(LINEAR, 'linear_input_reused.onnx'))).toMatch(/ReduceSum also reads the graph input/);
    expect(reason(join(MODELS, 'breast_cancer_logreg.onnx'))).toMatch(/a Scaler \(ai\.onnx\.ml\) stands between the graph input and the LinearClassifier/);
    expect(reason(join(MODELS, 'diabetes_ridge.onnx'))).toMatch(/Scaler/);
    expect(reason(join(MODELS, 'wine_gbdt.onnx'))).toMatch(/no LinearRegressor or LinearClassifier/);
  });

  test('bytes that are not an ONNX model throw as readOnnxGraph does', () => {
    expect(() => readLinearModel(bytes(join(MODELS, 'truncated.onnx')))).toThrow(/Not a valid ONNX model/);
  });
});
