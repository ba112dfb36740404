import { describe, expect, it } from 'vitest';
import { Batcher } from './batcher.js';
import type { ModelSession } from './session-pool.js';
import type { TensorValue } from './tensor.js';

/** A model that doubles its input, taking `ms` per run, and records each batch size it saw. */
function fakeModel(ms: number) {
  const batches: number[] = [];
  const session: ModelSession = {
    signature: { inputs: [], outputs: [], skippedOutputs: [], layout: 'single-tensor', features: [] },
    loadMs: 0,
    async run(feeds) {
      const x = feeds['x']!;
      batches.push(x.dims[0]!);
      await new Promise((r) => setTimeout(r, ms));
      return { y: { type: 'float32', dims: [...x.dims], data: Float32Array.from(x.data as Float32Array, (v) => v * 2) } };
    },
    async release() {},
  };
  return { session, batches };
}

const req = (values: number[]): Record<string, TensorValue> => ({ x: { type: 'float32', dims: [values.length, 1], data: Float32Array.from(values) } });

describe('Batcher', () => {
  it('runs a lone request at once, as its own batch', async () => {
    const m = fakeModel(1);
    // A delay longer than the test's timeout: if the lone request waited for it, the test would fail.
    const b = new Batcher(m.session, { maxBatchSize: 8, maxQueueDelayMs: 600_000, maxQueueRows: 100 }, 1);
    const out = await b.submit(req([1, 2]), 2);
    expect(Array.from(out['y']!.data as Float32Array)).toEqual([2, 4]);
    expect(m.batches).toEqual([2]);
  });

  it('coalesces concurrent requests into batches of at most maxBatchSize and splits results back', async () => {
    const m = fakeModel(5);
    const b = new Batcher(m.session, { maxBatchSize: 4, maxQueueDelayMs: 20, maxQueueRows: 100 }, 1);
    const outs = await Promise.all(Array.from({ length: 9 }, (_, i) => b.submit(req([i]), 1)));
    expect(outs.map((o) => (o['y']!.data as Float32Array)[0])).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16]);
    expect(m.batches[0]).toBe(1); // the first went alone, immediately
    expect(Math.max(...m.batches)).toBeLessThanOrEqual(4);
    expect(m.batches.reduce((a, c) => a + c, 0)).toBe(9);
    expect(m.batches.length).toBeLessThan(9);
  });

  it('refuses with OVERLOADED when the queue is full, and serves the rest', async () => {
    const m = fakeModel(10);
    const b = new Batcher(m.session, { maxBatchSize: 2, maxQueueDelayMs: 1, maxQueueRows: 3 }, 1);
    const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => b.submit(req([i]), 1)));
    const refused = results.filter((r) => r.status === 'rejected');
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'OVERLOADED' });
    expect(results.filter((r) => r.status === 'fulfilled').length).toBeGreaterThanOrEqual(4);
  });

  it('runs a lone small batch inline when the model offers it, and queued work on the workers', async () => {
    const m = fakeModel(5);
    const inlineBatches: number[] = [];
    const session: ModelSession = {
      ...m.session,
      canRunInline: true,
      async runInline(feeds) {
        inlineBatches.push(feeds['x']!.dims[0]!);
        return m.session.run(feeds);
      },
    };
    const b = new Batcher(session, { maxBatchSize: 64, maxQueueDelayMs: 1, maxQueueRows: 100 }, 2);
    await b.submit(req([1]), 1); // idle: inline
    await b.submit(req(Array.from({ length: 9 }, (_, i) => i)), 9); // idle but more than 8 rows: a worker
    await Promise.all(Array.from({ length: 6 }, (_, i) => b.submit(req([i]), 1))); // the first inline, the rest queue behind it
    expect(inlineBatches).toEqual([1, 1]);
    expect(m.batches.reduce((a, c) => a + c, 0)).toBe(1 + 9 + 6);
  });

  it('passes a run failure to every request of that batch', async () => {
    const session: ModelSession = { ...fakeModel(0).session, run: async () => Promise.reject(new Error('boom')) };
    const b = new Batcher(session, { maxBatchSize: 4, maxQueueDelayMs: 1, maxQueueRows: 10 }, 1);
    await expect(b.submit(req([1]), 1)).rejects.toThrow('boom');
  });
});
