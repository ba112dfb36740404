/** The small model signature the v2 codec tests (JSON and binary) decode requests against. */
import type { ModelSignature } from '../../src/serving/runtime/signature.js';

export const V2_TEST_SIGNATURE: ModelSignature = {
  inputs: [
    { name: 'x', type: 'float32', shape: [null, 2] },
    { name: 'cat', type: 'string', shape: [null, 1] },
  ],
  outputs: [
    { name: 'label', type: 'int64', shape: [null] },
    { name: 'probabilities', type: 'float32', shape: [null, 2] },
  ],
  // A ZipMap output the session could not serve (asked for by name, it is refused with its own message).
  skippedOutputs: ['output_probability'],
  layout: 'per-column',
  features: ['x', 'cat'],
};
