/**
 * The KServe v2 / Open Inference Protocol codec: every datatype, flat and nested data, every refusal (field
 * and message), requested outputs, metadata, and a round trip through real onnxruntime on the fixture
 * models whose predictions must equal scikit-learn's (python/fixtures/make_models.py) within 1e-5.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { refusalOf } from '../../../test/support/refusal.js';
import { V2_TEST_SIGNATURE } from '../../../test/support/v2-signature.js';
import { SessionPool } from '../runtime/session-pool.js';
import type { ModelSignature } from '../runtime/signature.js';
import { modelMetadataV2, outputsToV2, v2RequestToFeeds } from './v2-codec.js';

const SIG = V2_TEST_SIGNATURE;

const x = (over: Record<string, unknown> = {}) => ({ name: 'x', shape: [2, 2], datatype: 'FP32', data: [1, 2, 3, 4], ...over });
const cat = (over: Record<string, unknown> = {}) => ({ name: 'cat', shape: [2, 1], datatype: 'BYTES', data: ['a', 'b'], ...over });

function refusal(body: unknown, sig = SIG, maxRows = 100): { field: string; message: string } {
  return refusalOf(() => v2RequestToFeeds(body, sig, maxRows));
}

describe('v2RequestToFeeds', () => {
  it('maps every supported datatype to its element type', () => {
    const types = [
      ['BOOL', 'bool', [true, false], Uint8Array.from([1, 0])],
      ['UINT8', 'uint8', [0, 255], Uint8Array.from([0, 255])],
      ['INT8', 'int8', [-128, 127], Int8Array.from([-128, 127])],
      ['INT32', 'int32', [-2147483648, 2147483647], Int32Array.from([-2147483648, 2147483647])],
      ['INT64', 'int64', [-9007199254740991, 42], BigInt64Array.from([-9007199254740991n, 42n])],
      ['FP32', 'float32', [0.5, -1e30], Float32Array.from([0.5, -1e30])],
      ['FP64', 'float64', [0.1, 1e300], Float64Array.from([0.1, 1e300])],
      ['BYTES', 'string', ['', 'héllo'], ['', 'héllo']],
    ] as const;
    const sig: ModelSignature = { ...SIG, inputs: types.map(([dt, type]) => ({ name: dt, type, shape: [null] })) };
    const body = { id: 'r1', parameters: { p: 1 }, inputs: types.map(([dt, , data]) => ({ name: dt, shape: [2], datatype: dt, data })) };
    const got = v2RequestToFeeds(JSON.parse(JSON.stringify(body)), sig, 10);
    expect(got.rows).toBe(2);
    expect(got.id).toBe('r1');
    expect(got.parameters).toEqual({ p: 1 });
    expect(got.requestedOutputs).toBeUndefined();
    for (const [dt, type, , want] of types) expect(got.feeds[dt]).toEqual({ type, dims: [2], data: want });
  });

  it('reads flat (row-major) and nested data alike', () => {
    const flat = v2RequestToFeeds({ inputs: [x(), cat()] }, SIG, 10);
    const nested = v2RequestToFeeds(
      {
        inputs: [
          x({
            data: [
              [1, 2],
              [3, 4],
            ],
          }),
          cat({ data: [['a'], ['b']] }),
        ],
      },
      SIG,
      10,
    );
    expect(nested.feeds).toEqual(flat.feeds);
    expect(flat.feeds['x']).toEqual({ type: 'float32', dims: [2, 2], data: Float32Array.from([1, 2, 3, 4]) });
    expect(flat.feeds['cat']).toEqual({ type: 'string', dims: [2, 1], data: ['a', 'b'] });
    const rank3: ModelSignature = { ...SIG, inputs: [{ name: 'img', type: 'uint8', shape: [null, 2, 2] }] };
    const img = v2RequestToFeeds(
      {
        inputs: [
          {
            name: 'img',
            shape: [1, 2, 2],
            datatype: 'UINT8',
            data: [
              [
                [1, 2],
                [3, 4],
              ],
            ],
          },
        ],
      },
      rank3,
      10,
    );
    expect(img.feeds['img']).toEqual({ type: 'uint8', dims: [1, 2, 2], data: Uint8Array.from([1, 2, 3, 4]) });
  });

  it('takes null as NaN (a missing value) for FP inputs, as records do', () => {
    const { feeds } = v2RequestToFeeds({ inputs: [x({ data: [null, 2, 3, null] }), cat()] }, SIG, 10);
    expect(Array.from(feeds['x']!.data as Float32Array)).toEqual([NaN, 2, 3, NaN]);
  });

  it('returns the requested outputs in the order asked', () => {
    const got = v2RequestToFeeds(
      { inputs: [x(), cat()], outputs: [{ name: 'probabilities' }, { name: 'label', parameters: { binary_data: false } }] },
      SIG,
      10,
    );
    expect(got.requestedOutputs).toEqual(['probabilities', 'label']);
    expect(v2RequestToFeeds({ inputs: [x(), cat()], outputs: [] }, SIG, 10).requestedOutputs).toBeUndefined();
  });

  const int = (datatype: string, type: 'int8' | 'uint8' | 'int32' | 'int64' | 'bool', data: unknown[]) => ({
    sig: { ...SIG, inputs: [{ name: 'n', type, shape: [null] }] } as ModelSignature,
    body: { inputs: [{ name: 'n', shape: [data.length], datatype, data }] },
  });

  it.each<[string, unknown, string, string, ModelSignature?, number?]>([
    ['a non-object body', [1], 'body', 'must be a JSON object'],
    ['a non-string id', { id: 7, inputs: [x(), cat()] }, 'id', '"id" must be a string'],
    ['non-object parameters', { parameters: [], inputs: [x(), cat()] }, 'parameters', "'parameters' must be an object"],
    ['no inputs', {}, 'inputs', 'the model takes x, cat'],
    ['empty inputs', { inputs: [] }, 'inputs', '"inputs" must be a non-empty list'],
    ['a non-object input', { inputs: [x(), 3] }, 'inputs[1]', 'must be an object'],
    ['an unnamed input', { inputs: [x({ name: undefined }), cat()] }, 'inputs[0].name', 'needs a "name"'],
    ['an unknown input', { inputs: [x(), cat(), x({ name: 'y' })] }, 'inputs[2].name', "'y' is not an input of this model (it takes x, cat)"],
    ['a duplicate input', { inputs: [x(), cat(), x()] }, 'inputs[2].name', "Input 'x' appears more than once"],
    [
      'an unsupported datatype',
      { inputs: [x({ datatype: 'FP16' }), cat()] },
      'inputs[0].datatype',
      "Input 'x': datatype 'FP16' is not supported (Ferry takes BOOL, UINT8, INT8, INT32, INT64, FP32, FP64, BYTES); the model expects FP32",
    ],
    ['an unknown datatype', { inputs: [x({ datatype: 'float' }), cat()] }, 'inputs[0].datatype', '"datatype" "float" is not a v2 datatype'],
    ['a missing datatype', { inputs: [x({ datatype: undefined }), cat()] }, 'inputs[0].datatype', '"datatype" is missing'],
    ['the wrong datatype', { inputs: [x({ datatype: 'FP64' }), cat()] }, 'inputs[0].datatype', "Input 'x' must be FP32, got FP64"],
    ['INT32 for INT64', int('INT32', 'int64', [1]).body, 'inputs[0].datatype', "Input 'n' must be INT64, got INT32", int('INT32', 'int64', [1]).sig],
    ['a non-list shape', { inputs: [x({ shape: '2,2' }), cat()] }, 'inputs[0].shape', 'list of non-negative integers'],
    ['a negative dimension', { inputs: [x({ shape: [-1, 2] }), cat()] }, 'inputs[0].shape', 'list of non-negative integers'],
    ['the wrong rank', { inputs: [x(), cat({ shape: [2] })] }, 'inputs[1].shape', "Input 'cat' must have 2 dimensions [-1, 1], got [2]"],
    [
      'a wrong fixed dimension',
      { inputs: [x({ shape: [1, 4] }), cat()] },
      'inputs[0].shape',
      "Input 'x': dimension 1 must be 2 (the model takes [-1, 2]), got [1, 4]",
    ],
    [
      'inconsistent batch sizes',
      { inputs: [x(), cat({ shape: [1, 1], data: ['a'] })] },
      'inputs[1].shape',
      "Input 'cat' has 1 rows (dimension 0), but 'x' has 2",
    ],
    ['non-list data', { inputs: [x({ data: 1 }), cat()] }, 'inputs[0].data', '"data" must be a list'],
    ['too few elements', { inputs: [x({ data: [1, 2, 3] }), cat()] }, 'inputs[0].data', "Input 'x' has 3 elements, but shape [2, 2] needs 4"],
    [
      'too many nested elements',
      {
        inputs: [
          x({
            data: [
              [1, 2],
              [3, 4, 5],
            ],
          }),
          cat(),
        ],
      },
      'inputs[0].data',
      'has 5 elements',
    ],
    [
      'a string for FP32',
      { inputs: [x({ data: [1, 2, '3', 4] }), cat()] },
      'inputs[0].data',
      'Input \'x\': element 2 must be a number (or null for a missing value), got "3"',
    ],
    ['Infinity', { inputs: [x({ data: [1, 2, 3, Infinity] }), cat()] }, 'inputs[0].data', 'element 3 must be a number'],
    [
      'FP32 overflow',
      {
        inputs: [
          x({
            data: [
              [1, 2],
              [1e39, 4],
            ],
          }),
          cat(),
        ],
      },
      'inputs[0].data',
      'element 2 must be within the FP32 range',
    ],
    ['a number for BYTES', { inputs: [x(), cat({ data: ['a', 5] })] }, 'inputs[1].data', "Input 'cat': element 1 must be a string, got 5"],
    ['null for BYTES', { inputs: [x(), cat({ data: [null, 'b'] })] }, 'inputs[1].data', 'element 0 must be a string, got null'],
    ['a missing input', { inputs: [x()] }, 'inputs', 'Missing input cat (the model takes x, cat)'],
    ['zero rows', { inputs: [x({ shape: [0, 2], data: [] }), cat({ shape: [0, 1], data: [] })] }, 'inputs', 'no rows'],
    ['too many rows', { inputs: [x(), cat()] }, 'inputs', 'The request has 2 rows; the limit is 1', SIG, 1],
    ['a non-list outputs', { inputs: [x(), cat()], outputs: {} }, 'outputs', '"outputs" must be a list'],
    ['an unnamed output', { inputs: [x(), cat()], outputs: [{}] }, 'outputs[0].name', 'must be an object with a "name"'],
    [
      'an unknown output',
      { inputs: [x(), cat()], outputs: [{ name: 'scores' }] },
      'outputs[0].name',
      "Output 'scores' is not an output of this model; the model's outputs are label, probabilities",
    ],
    ['a ZipMap output', { inputs: [x(), cat()], outputs: [{ name: 'output_probability' }] }, 'outputs[0].name', 'is not a tensor (a sequence or map)'],
    ['a duplicate output', { inputs: [x(), cat()], outputs: [{ name: 'label' }, { name: 'label' }] }, 'outputs[1].name', 'requested more than once'],
    [
      'a fraction for INT64',
      int('INT64', 'int64', [1, 1.5]).body,
      'inputs[0].data',
      "Input 'n': element 1 must be an integer from -9007199254740991 to 9007199254740991, got 1.5",
      int('INT64', 'int64', [1]).sig,
    ],
    ['beyond 2^53 for INT64', int('INT64', 'int64', [2 ** 53]).body, 'inputs[0].data', 'element 0 must be an integer', int('INT64', 'int64', [1]).sig],
    [
      'out of range for INT32',
      int('INT32', 'int32', [2 ** 31]).body,
      'inputs[0].data',
      'from -2147483648 to 2147483647, got 2147483648',
      int('INT32', 'int32', [1]).sig,
    ],
    ['out of range for INT8', int('INT8', 'int8', [-129]).body, 'inputs[0].data', 'from -128 to 127, got -129', int('INT8', 'int8', [1]).sig],
    ['negative for UINT8', int('UINT8', 'uint8', [-1]).body, 'inputs[0].data', 'from 0 to 255, got -1', int('UINT8', 'uint8', [1]).sig],
    ['null for an integer', int('INT32', 'int32', [null]).body, 'inputs[0].data', 'got null', int('INT32', 'int32', [1]).sig],
    [
      'a number for BOOL',
      int('BOOL', 'bool', [true, 1]).body,
      'inputs[0].data',
      "Input 'n': element 1 must be true or false, got 1",
      int('BOOL', 'bool', [1]).sig,
    ],
  ])('refuses %s', (_, body, field, message, sig = SIG, maxRows = 100) => {
    const got = refusal(body, sig, maxRows);
    expect(got.field).toBe(field);
    expect(got.message).toContain(message);
  });
});

describe('outputsToV2 and modelMetadataV2', () => {
  const outputs = {
    label: { type: 'int64' as const, dims: [2], data: BigInt64Array.from([1n, 0n]) },
    probabilities: { type: 'float32' as const, dims: [2, 2], data: Float32Array.from([0.25, 0.75, 1, 0]) },
    flags: { type: 'bool' as const, dims: [2], data: Uint8Array.from([1, 0]) },
    names: { type: 'string' as const, dims: [1], data: ['x'] },
  };

  it('writes JSON-safe flat data in the outputs’ order, with datatypes and shapes', () => {
    expect(outputsToV2(outputs, { modelName: 'm', modelVersion: '3' })).toEqual({
      model_name: 'm',
      model_version: '3',
      outputs: [
        { name: 'label', shape: [2], datatype: 'INT64', data: [1, 0] },
        { name: 'probabilities', shape: [2, 2], datatype: 'FP32', data: [0.25, 0.75, 1, 0] },
        { name: 'flags', shape: [2], datatype: 'BOOL', data: [true, false] },
        { name: 'names', shape: [1], datatype: 'BYTES', data: ['x'] },
      ],
    });
  });

  it('keeps the requested order and echoes the id', () => {
    const res = outputsToV2(outputs, { modelName: 'm', modelVersion: '1', id: 'abc', requested: ['probabilities', 'label'] });
    expect(res.id).toBe('abc');
    expect(res.outputs.map((o) => o.name)).toEqual(['probabilities', 'label']);
    expect(() => outputsToV2(outputs, { modelName: 'm', modelVersion: '1', requested: ['nope'] })).toThrow("The model returned no output 'nope'");
  });

  it('writes the answer byte for byte in the wire order (built without spreads on the hot path)', () => {
    const res = outputsToV2(outputs, { modelName: 'm', modelVersion: '1', id: 'abc', requestId: 'r-1', requested: ['probabilities'] });
    expect(JSON.stringify(res)).toBe(
      '{"model_name":"m","model_version":"1","id":"abc","parameters":{"request_id":"r-1"},' +
        '"outputs":[{"name":"probabilities","shape":[2,2],"datatype":"FP32","data":[0.25,0.75,1,0]}]}',
    );
  });

  it('describes the model with dynamic dimensions as -1', () => {
    expect(modelMetadataV2('m', ['1', '2'], SIG)).toEqual({
      name: 'm',
      versions: ['1', '2'],
      platform: 'onnxruntime_onnx',
      inputs: [
        { name: 'x', datatype: 'FP32', shape: [-1, 2] },
        { name: 'cat', datatype: 'BYTES', shape: [-1, 1] },
      ],
      outputs: [
        { name: 'label', datatype: 'INT64', shape: [-1] },
        { name: 'probabilities', datatype: 'FP32', shape: [-1, 2] },
      ],
    });
  });
});

describe('v2 round trip through real onnxruntime', () => {
  const dir = new URL('../../../test/fixtures/models/', import.meta.url);
  const bytes = (name: string) => new Uint8Array(readFileSync(new URL(name, dir)));
  const expected = (name: string) => JSON.parse(readFileSync(new URL(`${name}.expected.json`, dir), 'utf8'));
  const pools: SessionPool[] = [];
  afterAll(async () => Promise.all(pools.map((p) => p.release())));

  async function roundTrip(name: string, inputs: unknown[]) {
    const pool = await SessionPool.load(bytes(`${name}.onnx`), { workers: 1, intraOpNumThreads: 1 });
    pools.push(pool);
    const request = JSON.parse(JSON.stringify({ id: `req-${name}`, inputs, outputs: [{ name: 'probabilities' }, { name: 'label' }] }));
    const req = v2RequestToFeeds(request, pool.signature, 1000);
    const out = await pool.run(req.feeds, req.requestedOutputs);
    const res = JSON.parse(JSON.stringify(outputsToV2(out, { modelName: name, modelVersion: '1', id: req.id, requested: req.requestedOutputs })));
    const exp = expected(name);
    const rows = (exp.outputs.label as number[]).length;
    expect(req.rows).toBe(rows);
    expect(res).toMatchObject({ model_name: name, model_version: '1', id: `req-${name}` });
    expect(res.outputs.map((o: { name: string }) => o.name)).toEqual(['probabilities', 'label']);
    const [probs, label] = res.outputs;
    expect(label).toEqual({ name: 'label', shape: [rows], datatype: 'INT64', data: exp.outputs.label });
    expect(probs).toMatchObject({ shape: [rows, 2], datatype: 'FP32' });
    const want = (exp.outputs.probabilities as number[][]).flat();
    expect(probs.data).toHaveLength(want.length);
    (probs.data as number[]).forEach((g, i) => expect(Math.abs(g - want[i]!), `probabilities[${i}]`).toBeLessThanOrEqual(1e-5 + 1e-5 * Math.abs(want[i]!)));
    return pool;
  }

  it('breast_cancer_logreg: one FP32 tensor (nested rows) in, scikit-learn’s predictions out', async () => {
    const rows = expected('breast_cancer_logreg').inputs.float_input as number[][];
    const pool = await roundTrip('breast_cancer_logreg', [{ name: 'float_input', shape: [rows.length, 30], datatype: 'FP32', data: rows }]);
    expect(modelMetadataV2('breast_cancer_logreg', ['1'], pool.signature).inputs).toEqual([{ name: 'float_input', datatype: 'FP32', shape: [-1, 30] }]);
  });

  it('credit_gbdt: per-column FP32 (flat, null as NaN) and BYTES (nested) inputs, scikit-learn’s predictions out', async () => {
    const sig = expected('credit_gbdt').signature as { inputs: { name: string; type: string }[] };
    const cols = expected('credit_gbdt').inputs as Record<string, unknown[][]>;
    const inputs = sig.inputs.map(({ name, type }) =>
      type === 'tensor(string)'
        ? { name, shape: [cols[name]!.length, 1], datatype: 'BYTES', data: cols[name] }
        : { name, shape: [cols[name]!.length, 1], datatype: 'FP32', data: cols[name]!.flat() },
    );
    expect(inputs.some((i) => i.data!.flat().includes(null))).toBe(true);
    await roundTrip('credit_gbdt', inputs);
  });
});
