/** A binding as an adapter gets it, for tests that drive the broker adapters directly (no server). */
import type { RunnableBinding } from '../../src/serving/streams/binding-service.js';

export function binding(kind: RunnableBinding['kind'], url: string, input: string, extra: Partial<RunnableBinding> = {}): RunnableBinding {
  return {
    deployment: 'risk',
    name: 'b',
    kind,
    url,
    input,
    output: `${input}-out`,
    dead_letter: `${input}.dlq`,
    group: `g-${input}`,
    format: 'records',
    bytes_dtype: 'float32',
    id_field: null,
    key_field: null,
    batch_size: 10,
    max_wait_ms: 100,
    concurrency: 4,
    tls: false,
    enabled: true,
    has_credentials: false,
    created_at: 0,
    created_by: 'test',
    updated_at: 0,
    credentials: null,
    ...extra,
  };
}
