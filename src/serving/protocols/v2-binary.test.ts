/**
 * The binary tensor data extension: a body split by Inference-Header-Content-Length, inputs decoded from raw
 * little-endian bytes to the same tensors their JSON form gives, every refusal naming the field, and outputs
 * answered as bytes that decode back exactly (int64 beyond 2^53, UTF-8 text, NaN).
 */
import { describe, expect, it } from 'vitest';
import { refusalOf } from '../../../test/support/refusal.js';
import { V2_TEST_SIGNATURE } from '../../../test/support/v2-signature.js';
import type { ModelSignature } from '../runtime/signature.js';
import type { TensorValue } from '../runtime/tensor.js';
import { splitV2Body, tensorBytes, V2_BINARY } from './v2-binary.js';
import { v2Answer, v2RequestToFeeds } from './v2-codec.js';

const SIG = V2_TEST_SIGNATURE;

/** BYTES elements as the extension writes them: a 4-byte little-endian length, then UTF-8. */
function bytesOf(strings: string[]): Buffer {
  return Buffer.concat(
    strings.flatMap((s) => {
      const b = Buffer.from(s, 'utf8');
      const len = Buffer.alloc(4);
      len.writeUInt32LE(b.length);
      return [len, b];
    }),
  );
}
const f32 = (xs: number[]) => Buffer.from(Float32Array.from(xs).buffer);

/** A request as the body parser hands it over: the JSON fields plus the binary part under V2_BINARY. */
function request(json: object, binary?: Buffer): object {
  return binary ? { ...json, [V2_BINARY]: binary } : json;
}

function refusal(body: unknown, sig = SIG): { field: string; message: string } {
  return refusalOf(() => v2RequestToFeeds(body, sig, 100));
}

describe('binary inputs', () => {
  it('decode to the same tensors as JSON data, mixed with JSON inputs in any order', () => {
    const xb = f32([1.5, Number.NaN, -3, 4e10]);
    const catb = bytesOf(['rent', 'müll €']);
    const body = request(
      {
        inputs: [
          { name: 'cat', shape: [2, 1], datatype: 'BYTES', parameters: { binary_data_size: catb.length } },
          { name: 'x', shape: [2, 2], datatype: 'FP32', parameters: { binary_data_size: xb.length } },
        ],
      },
      Buffer.concat([catb, xb]),
    );
    const got = v2RequestToFeeds(body, SIG, 10);
    const json = v2RequestToFeeds(
      {
        inputs: [
          { name: 'x', shape: [2, 2], datatype: 'FP32', data: [1.5, null, -3, 4e10] },
          { name: 'cat', shape: [2, 1], datatype: 'BYTES', data: ['rent', 'müll €'] },
        ],
      },
      SIG,
      10,
    );
    expect(got.feeds).toEqual(json.feeds);
    expect(got.rows).toBe(2);
    const mixed = v2RequestToFeeds(
      request(
        {
          inputs: [
            { name: 'x', shape: [2, 2], datatype: 'FP32', parameters: { binary_data_size: 16 } },
            { name: 'cat', shape: [2, 1], datatype: 'BYTES', data: ['rent', 'müll €'] },
          ],
        },
        xb,
      ),
      SIG,
      10,
    );
    expect(mixed.feeds).toEqual(json.feeds);
  });

  it.each<[string, TensorValue['type'], string, Buffer, unknown[]]>([
    ['FP64', 'float64', 'FP64', Buffer.from(Float64Array.from([0.1, -2e300]).buffer), [0.1, -2e300]],
    ['INT32', 'int32', 'INT32', Buffer.from(Int32Array.from([-2147483648, 7]).buffer), [-2147483648, 7]],
    ['INT64 beyond 2^53', 'int64', 'INT64', Buffer.from(BigInt64Array.from([2n ** 62n + 1n, -5n]).buffer), [2n ** 62n + 1n, -5n]],
    ['INT8', 'int8', 'INT8', Buffer.from(Int8Array.from([-128, 127]).buffer), [-128, 127]],
    ['UINT8', 'uint8', 'UINT8', Buffer.from([0, 255]), [0, 255]],
    ['BOOL', 'bool', 'BOOL', Buffer.from([1, 0]), [1, 0]],
    ['empty strings', 'string', 'BYTES', bytesOf(['', 'a']), ['', 'a']],
    ['a real U+FFFD', 'string', 'BYTES', bytesOf(['\uFFFD', 'ok']), ['\uFFFD', 'ok']],
  ])('decode %s', (_, type, datatype, bytes, want) => {
    const sig = { ...SIG, inputs: [{ name: 'n', type, shape: [null] }] } as ModelSignature;
    const got = v2RequestToFeeds(request({ inputs: [{ name: 'n', shape: [2], datatype, parameters: { binary_data_size: bytes.length } }] }, bytes), sig, 10);
    expect(Array.from(got.feeds['n']!.data as ArrayLike<unknown>)).toEqual(want);
    expect(got.feeds['n']!.type).toBe(type);
  });

  const xin = (size: unknown, over: Record<string, unknown> = {}) => ({
    name: 'x',
    shape: [1, 2],
    datatype: 'FP32',
    parameters: { binary_data_size: size },
    ...over,
  });
  const catJson = { name: 'cat', shape: [1, 1], datatype: 'BYTES', data: ['a'] };
  const catBin = (size: number) => ({ name: 'cat', shape: [1, 1], datatype: 'BYTES', parameters: { binary_data_size: size } });
  const bool = { ...SIG, inputs: [{ name: 'b', type: 'bool', shape: [null] }] } as ModelSignature;

  it.each<[string, unknown, string, string, ModelSignature?]>([
    ['a size without a binary part', request({ inputs: [xin(8), catJson] }), 'inputs[0].parameters.binary_data_size', 'no binary part'],
    ['a fractional size', request({ inputs: [xin(7.5), catJson] }, f32([1, 2])), 'inputs[0].parameters.binary_data_size', 'non-negative integer'],
    ['a size past the body', request({ inputs: [xin(16), catJson] }, f32([1, 2])), 'inputs[0].parameters.binary_data_size', 'only 8 remain'],
    [
      'too few bytes for the shape',
      request({ inputs: [xin(4), catJson] }, f32([1])),
      'inputs[0].parameters.binary_data_size',
      'sends 4 bytes, but shape [1, 2] of float32 needs 8',
    ],
    ['both data and binary', request({ inputs: [xin(8, { data: [1, 2] }), catJson] }, f32([1, 2])), 'inputs[0].data', 'both "data" and binary_data_size'],
    ['bytes nobody claims', request({ inputs: [xin(8), catJson] }, Buffer.concat([f32([1, 2]), Buffer.from([9])])), 'inputs', '1 bytes of binary data after'],
    ['Infinity', request({ inputs: [xin(8), catJson] }, f32([1, Infinity])), 'inputs[0].parameters.binary_data_size', 'element 1 must be a finite number'],
    [
      'a BOOL byte of 2',
      request({ inputs: [{ name: 'b', shape: [2], datatype: 'BOOL', parameters: { binary_data_size: 2 } }] }, Buffer.from([1, 2])),
      'inputs[0].parameters.binary_data_size',
      'element 1 must be a BOOL byte (0 or 1), got 2',
      bool,
    ],
    [
      'a truncated BYTES length',
      request({ inputs: [xin(8), catBin(2)] }, Buffer.concat([f32([1, 2]), Buffer.from([1, 0])])),
      'inputs[1].parameters.binary_data_size',
      'ends before element 0',
    ],
    [
      'a BYTES length past the end',
      request({ inputs: [xin(8), catBin(6)] }, Buffer.concat([f32([1, 2]), Buffer.from([9, 0, 0, 0, 65, 65])])),
      'inputs[1].parameters.binary_data_size',
      'element 0 claims 9 bytes, but only 2 remain',
    ],
    [
      'invalid UTF-8',
      request({ inputs: [xin(8), catBin(6)] }, Buffer.concat([f32([1, 2]), Buffer.from([2, 0, 0, 0, 0xc3, 0x28])])),
      'inputs[1].parameters.binary_data_size',
      'element 0 is not valid UTF-8',
    ],
    [
      'more BYTES elements than the shape',
      request({ inputs: [xin(8), catBin(10)] }, Buffer.concat([f32([1, 2]), bytesOf(['a', 'b'])])),
      'inputs[1].parameters.binary_data_size',
      '5 bytes are left after its 1 elements',
    ],
    [
      'a non-boolean binary_data_output',
      { parameters: { binary_data_output: 'yes' }, inputs: [xin(0, { parameters: undefined, data: [1, 2] }), catJson] },
      'parameters.binary_data_output',
      'must be true or false',
    ],
    [
      'a non-boolean binary_data',
      { inputs: [xin(0, { parameters: undefined, data: [1, 2] }), catJson], outputs: [{ name: 'label', parameters: { binary_data: 1 } }] },
      'outputs[0].parameters.binary_data',
      'must be true or false',
    ],
  ])('refuses %s', (_, body, field, message, sig = SIG) => {
    const got = refusal(body, sig);
    expect(got.field).toBe(field);
    expect(got.message).toContain(message);
  });
});

describe('splitV2Body', () => {
  it('splits at the header length and leaves bodies without the header whole', () => {
    const body = Buffer.from('{"a":1}\x01\x02');
    expect(splitV2Body(body, '7')).toEqual({ json: Buffer.from('{"a":1}'), binary: Buffer.from([1, 2]) });
    expect(splitV2Body(body, undefined)).toEqual({ json: body });
  });

  it.each(['0', '11', '-1', '1e3', 'seven', ''])('refuses the header %j', (h) => {
    expect(() => splitV2Body(Buffer.from('{"a":1}\x01\x02'), h)).toThrow(/Inference-Header-Content-Length header must be/);
  });
});

describe('binary outputs', () => {
  const outputs: Record<string, TensorValue> = {
    label: { type: 'int64', dims: [2], data: BigInt64Array.from([2n ** 60n, 0n]) },
    probabilities: { type: 'float32', dims: [2, 2], data: Float32Array.from([0.25, 0.75, Number.NaN, 1]) },
    names: { type: 'string', dims: [2], data: ['é', ''] },
  };
  const opts = { modelName: 'm', modelVersion: '1' };

  it('sends the outputs asked for as bytes after the JSON, the rest as data', () => {
    const { response, chunks } = v2Answer(outputs, { ...opts, binary: new Set(['label', 'names']) });
    expect(response.outputs).toEqual([
      { name: 'label', shape: [2], datatype: 'INT64', parameters: { binary_data_size: 16 } },
      { name: 'probabilities', shape: [2, 2], datatype: 'FP32', data: [0.25, 0.75, Number.NaN, 1] },
      { name: 'names', shape: [2], datatype: 'BYTES', parameters: { binary_data_size: 4 + 2 + 4 } },
    ]);
    expect(Array.from(new BigInt64Array(Uint8Array.from(chunks[0]!).buffer))).toEqual([2n ** 60n, 0n]);
    expect(chunks[1]).toEqual(bytesOf(['é', '']));
    expect(Array.from(new Float32Array(Uint8Array.from(tensorBytes(outputs['probabilities']!)).buffer))).toEqual([0.25, 0.75, Number.NaN, 1]);
  });

  it('reads binary_data_output for every output and binary_data per output, which wins', () => {
    const inputs = [
      { name: 'x', shape: [1, 2], datatype: 'FP32', data: [1, 2] },
      { name: 'cat', shape: [1, 1], datatype: 'BYTES', data: ['a'] },
    ];
    const all = v2RequestToFeeds({ parameters: { binary_data_output: true }, inputs }, SIG, 10);
    expect([...all.binaryOutputs].sort()).toEqual(['label', 'probabilities']);
    const some = v2RequestToFeeds(
      { parameters: { binary_data_output: true }, inputs, outputs: [{ name: 'probabilities', parameters: { binary_data: false } }, { name: 'label' }] },
      SIG,
      10,
    );
    expect([...some.binaryOutputs]).toEqual(['label']);
    const one = v2RequestToFeeds({ inputs, outputs: [{ name: 'probabilities', parameters: { binary_data: true } }, { name: 'label' }] }, SIG, 10);
    expect([...one.binaryOutputs]).toEqual(['probabilities']);
    expect(v2RequestToFeeds({ inputs }, SIG, 10).binaryOutputs.size).toBe(0);
  });
});
