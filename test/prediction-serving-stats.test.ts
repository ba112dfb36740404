import { expect, it } from 'vitest';
import { BatchBuilder, listSide, type LoggedRequest } from '../src/prediction-log/prediction-batch.js';
import { servingStats } from '../src/prediction-log/index.js';
import { flushedBatches, forEachStore, mainRequest, useFreshStore, writeBatches } from './support/stores.js';

const T0 = 1_790_000_000_000;

/** numpy.quantile(x, q) with the default method='linear', written out plainly (sort, h = (n − 1)q, interpolate). */
function npLinear(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  const h = (s.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, s.length - 1);
  return s[lo]! + (h - lo) * (s[hi]! - s[lo]!);
}

type Req = LoggedRequest;

/** Two versions on main, one of them also as a shadow, errors here and there, a second deployment, over 1.2 s. */
function traffic(): { reqs: Req[]; batches: ReturnType<BatchBuilder['finish']> } {
  const reqs: Req[] = [];
  const batches = flushedBatches(8, 60, (b, k, flush, i) => {
    const ts = T0 + flush * 150 + i * 2;
    const version = k % 3 === 0 ? '2' : '1';
    const r = mainRequest(ts, {
      deployment: k % 11 === 0 ? 'other' : 'credit',
      modelVersion: version,
      status: k % 7 === 0 ? 'error' : k % 17 === 0 ? 'client_error' : 'ok',
      rows: 1,
      // Latencies with ties and a long tail, in microseconds (not whole milliseconds).
      latencyUs: 1000 + ((k * 7919) % 5003) + (k % 29 === 0 ? 250_000 : 0),
    });
    b.add(r, listSide(['x'], [], 1, [k]), listSide(['y'], [1], 1, [k % 2]));
    reqs.push(r);
    if (version === '1' && k % 2 === 0) {
      const s: Req = { ...r, route: 'shadow', modelVersion: '3', status: k % 5 === 0 ? 'error' : 'ok', ts: ts + 1, latencyUs: 3000 + k };
      b.add(s, listSide(['x'], [], 1, [k]), listSide(['y'], [1], 1, [k % 2]));
      reqs.push(s);
    }
  });
  return { reqs, batches };
}

forEachStore('serving stats of the prediction log', (kind) => {
  const { reqs, batches } = traffic();
  const store = useFreshStore(kind, (s) => writeBatches(s, batches));

  it('counts requests and errors and gives exact numpy-linear latency quantiles per version and route, in [from, to)', async () => {
    for (const [from, to] of [
      [T0, T0 + 10_000],
      [T0 + 301, T0 + 751],
      [T0 + 450, T0 + 451],
    ] as const) {
      const got = await servingStats(store.db, 'credit', from, to);
      const inWindow = reqs.filter((r) => r.deployment === 'credit' && r.ts >= from && r.ts < to);
      const keys = [...new Set(inWindow.map((r) => `${r.modelVersion}|${r.route}`))].sort();
      expect(got.map((g) => `${g.modelVersion}|${g.route}`)).toEqual(keys);
      for (const g of got) {
        const mine = inWindow.filter((r) => r.modelVersion === g.modelVersion && r.route === g.route);
        const ms = mine.map((r) => r.latencyUs / 1000);
        const errors = mine.filter((r) => r.status !== 'ok').length;
        expect(g.requests).toBe(mine.length);
        expect(g.errors).toBe(errors);
        expect(g.errorRate).toBe(errors / mine.length);
        expect(g.latencyP50Ms).toBeCloseTo(npLinear(ms, 0.5), 12);
        expect(g.latencyP99Ms).toBeCloseTo(npLinear(ms, 0.99), 12);
      }
    }
  });

  it('interpolates between logged latencies as numpy does (hand-checked)', async () => {
    const b = new BatchBuilder();
    [1000, 4000, 2000, 3000].forEach((latencyUs, i) =>
      b.add(
        mainRequest(T0 + 50_000 + i, { deployment: 'tiny', modelVersion: '1', status: 'ok', rows: 1, latencyUs }),
        listSide(['x'], [], 1, [i]),
        listSide(['y'], [1], 1, [i]),
      ),
    );
    const w = store.predictionWriter();
    await w.insert(b.finish());
    await w.close();
    const [g] = await servingStats(store.db, 'tiny', T0, T0 + 60_000);
    // numpy.quantile([1, 2, 3, 4], 0.5) = 2.5; 0.99 → h = 2.97 → 3 + 0.97 = 3.97.
    expect(g).toEqual({ modelVersion: '1', route: 'main', requests: 4, errors: 0, errorRate: 0, latencyP50Ms: 2.5, latencyP99Ms: expect.closeTo(3.97, 12) });
  });

  it('answers nothing for a window without traffic and refuses an empty window', async () => {
    expect(await servingStats(store.db, 'credit', T0 - 10_000, T0)).toEqual([]);
    await expect(servingStats(store.db, 'credit', T0, T0)).rejects.toThrow(/from < to/);
  });
});
