import { describe, expect, it } from 'vitest';
import type { Deployment, RegisteredModel } from '../../../../src/sdk/index.js';
import { servingDeployment, storePath } from './load-signature.js';
import { latestVersion, modelNameFilter, pageSizeOf } from './model-search.js';
import { modelUsage } from './model-usage.js';
import { mlmodelScalar, shapeText, signatureFromMlmodel, signatureFromTags, signatureFromV2, signatureSummary } from './signature.js';

describe('signatures', () => {
  it('reads the tag Ferry writes at upload', () => {
    const value = JSON.stringify({
      inputs: [{ name: 'input', type: 'float32', shape: [null, 3] }],
      outputs: [
        { name: 'label', type: 'int64', shape: [null] },
        { name: 'probabilities', type: 'float32', shape: [null, 2] },
      ],
      features: ['age', 'income', 'debt_ratio'],
    });
    const sig = signatureFromTags([{ key: 'ferry.signature', value }]);
    expect(sig).toEqual({
      source: 'registration',
      inputs: [{ name: 'input', type: 'float32', shape: '[?, 3]' }],
      outputs: [
        { name: 'label', type: 'int64', shape: '[?]' },
        { name: 'probabilities', type: 'float32', shape: '[?, 2]' },
      ],
      features: ['age', 'income', 'debt_ratio'],
    });
    expect(signatureSummary(sig)).toBe('3 features → 2 outputs');
    // Per-column inputs: the features are the input names, not listed twice.
    const perColumn = signatureFromTags([
      { key: 'ferry.signature', value: JSON.stringify({ inputs: [{ name: 'age', type: 'float32', shape: [null, 1] }], outputs: [], features: ['age'] }) },
    ]);
    expect(perColumn?.features).toEqual([]);
    expect(signatureSummary(perColumn)).toBe('1 input → 0 outputs');
    expect(signatureFromTags([{ key: 'ferry.signature', value: '{oops' }])).toBeNull();
    expect(signatureFromTags([])).toBeNull();
    expect(signatureSummary(null)).toBe('');
  });

  it('reads an MLmodel signature, folded over lines by PyYAML', () => {
    const text = [
      'artifact_path: model',
      'flavors:',
      '  onnx:',
      '    data: model.onnx',
      'signature:',
      `  inputs: '[{"type": "double", "name": "age", "required": true}, {"type": "string",`,
      `    "name": "home_ownership", "required": false}]'`,
      `  outputs: '[{"type": "tensor", "tensor-spec": {"dtype": "int64", "shape": [-1]}}]'`,
      '  params: null',
      "utc_time_created: '2024-05-01 10:00:00'",
    ].join('\n');
    expect(signatureFromMlmodel(text)).toEqual({
      source: 'mlmodel',
      inputs: [
        { name: 'age', type: 'double', shape: null, required: true },
        { name: 'home_ownership', type: 'string', shape: null, required: false },
      ],
      outputs: [{ name: 'input', type: 'tensor(int64)', shape: '[?]' }],
      features: [],
    });
    expect(mlmodelScalar(text, 'signature', 'params')).toBeNull();
    expect(mlmodelScalar("signature:\n  inputs: 'it''s'\n", 'signature', 'inputs')).toBe("it's");
    expect(signatureFromMlmodel('flavors:\n  onnx:\n    data: model.onnx\n')).toBeNull();
    expect(signatureFromMlmodel("signature:\n  inputs: '[not json'\n")).toBeNull();
  });

  it('reads Open Inference Protocol metadata', () => {
    const sig = signatureFromV2({
      name: 'credit-risk',
      inputs: [{ name: 'input', datatype: 'FP32', shape: [-1, 7] }],
      outputs: [{ name: 'label', datatype: 'INT64', shape: [-1] }],
    });
    expect(sig).toEqual({
      source: 'serving',
      inputs: [{ name: 'input', type: 'FP32', shape: '[?, 7]' }],
      outputs: [{ name: 'label', type: 'INT64', shape: '[?]' }],
      features: [],
    });
    expect(signatureFromV2({})).toBeNull();
    expect(shapeText('x')).toBeNull();
  });

  it('finds where to look', () => {
    expect(storePath('mlflow-artifacts:/1/abc/artifacts/model')).toBe('1/abc/artifacts/model');
    expect(storePath('mlflow-artifacts:/a/../b')).toBeNull();
    expect(storePath('s3://bucket/x')).toBeNull();
  });
});

const deployment = (
  name: string,
  routes: Deployment['spec']['routes'],
  shadow: Deployment['spec']['shadow'],
  status: Deployment['status']['routes'],
): Deployment => ({
  name,
  revision: 1,
  created_at: 0,
  updated_at: 0,
  created_by: 'admin',
  spec: { routes, shadow, batching: { max_batch_size: 1, max_queue_delay_ms: 0, max_queue_rows: 1 } },
  status: { serving_revision: 1, applied_revision: 1, routes: status },
});

describe('models list and usage', () => {
  it('searches names anywhere, case-insensitively, quoting the text', () => {
    expect(modelNameFilter('  ')).toBeUndefined();
    expect(modelNameFilter('credit')).toBe("name ILIKE '%credit%'");
    expect(modelNameFilter("it's")).toBe("name ILIKE '%it\\'s%'");
    expect(modelNameFilter('cred%')).toBe("name ILIKE 'cred%'");
    expect(pageSizeOf('100')).toBe(100);
    expect(pageSizeOf('7')).toBe(50);
    expect(pageSizeOf(null)).toBe(50);
  });

  it('takes the highest of the latest versions', () => {
    const m = { latest_versions: [{ version: '2' }, { version: '10' }] } as RegisteredModel;
    expect(latestVersion(m)).toBe('10');
    expect(latestVersion({ latest_versions: [] as RegisteredModel['latest_versions'] } as RegisteredModel)).toBeUndefined();
  });

  it("lists a model's routes and shadows across deployments, and which one serves a version", () => {
    const deps = [
      deployment(
        'a',
        [
          { model: 'credit', version: '1', weight: 3 },
          { model: 'credit', alias: 'challenger', weight: 1 },
        ],
        [{ model: 'credit', version: '3' }],
        [
          { model: 'credit', ref: { model: 'credit', version: '1' }, version: '1', state: 'ready' },
          { model: 'credit', ref: { model: 'credit', alias: 'challenger' }, version: '2', state: 'ready' },
          { model: 'credit', ref: { model: 'credit', version: '3' }, version: '3', state: 'loading' },
        ],
      ),
      deployment('b', [{ model: 'other', version: '1', weight: 1 }], [], []),
    ];
    expect(modelUsage(deps, 'credit')).toEqual([
      { deployment: 'a', role: 'route', ref: 'v1', version: '1', share: 0.75 },
      { deployment: 'a', role: 'route', ref: '@challenger → v2', version: '2', share: 0.25 },
      { deployment: 'a', role: 'shadow', ref: 'v3', version: '3', share: null },
    ]);
    expect(modelUsage(deps, 'nope')).toEqual([]);
    expect(servingDeployment(deps, 'credit', '2')).toBe('a');
    expect(servingDeployment(deps, 'credit', '3')).toBeUndefined(); // still loading
  });
});
