import { describe, expect, it } from 'vitest';
import { readMlmodel } from './mlmodel.js';

const SKLEARN = `artifact_path: model
flavors:
  python_function:
    env:
      conda: conda.yaml
    loader_module: mlflow.sklearn
    model_path: model.pkl
    predict_fn: predict
    python_version: 3.11.2
  sklearn:
    code: null
    pickled_model: model.pkl
    serialization_format: cloudpickle
    sklearn_version: 1.9.1
mlflow_version: 3.17.2
model_uuid: 0f3c
signature:
  inputs: '[{"type": "double", "name": "age", "required": true}]'
`;

describe('readMlmodel', () => {
  it('lists the flavors and picks the one the job converts', () => {
    expect(readMlmodel(SKLEARN)).toEqual({ flavors: ['python_function', 'sklearn'], convertible: 'sklearn', hasOnnx: false });
    const both = 'flavors:\n  python_function: {}\n  xgboost: {model_class: xgboost.sklearn.XGBClassifier}\n  sklearn: {}\n';
    expect(readMlmodel(both).convertible).toBe('sklearn');
    expect(readMlmodel('flavors:\n  lightgbm: {}\n').convertible).toBe('lightgbm');
  });

  it('sees an onnx flavor, a pyfunc-only model, and text that is not an MLmodel', () => {
    expect(readMlmodel('flavors:\n  onnx:\n    data: model.onnx\n  python_function: {}\n')).toMatchObject({ hasOnnx: true, convertible: null });
    expect(readMlmodel('flavors:\n  python_function:\n    loader_module: mlflow.pyfunc.model\n')).toEqual({
      flavors: ['python_function'],
      convertible: null,
      hasOnnx: false,
    });
    expect(readMlmodel(': : not yaml [')).toEqual({ flavors: [], convertible: null, hasOnnx: false });
    expect(readMlmodel('flavors: [sklearn]')).toEqual({ flavors: [], convertible: null, hasOnnx: false });
  });
});
