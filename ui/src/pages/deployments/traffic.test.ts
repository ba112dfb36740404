import { describe, expect, it } from 'vitest';
import { TRAFFIC_FAMILIES, type TrafficSample } from '../../../../src/sdk/index.js';
import {
  appendPoint,
  bucketIncrease,
  comparable,
  histogramQuantile,
  increase,
  LATENCY,
  ratesBetween,
  REQUESTS,
  SHADOWS,
  snapshotOf,
  trafficCharts,
  versionTotals,
} from './traffic.js';

/** What the traffic API answers for one deployment: two versions, two protocols, one shadow. */
function answer(o: { ok1: number; err1: number; ok2: number; b1: [number, number, number]; b2: [number, number, number]; shadow?: number }): TrafficSample[] {
  const l = (v: string, p = 'records') => ({ deployment: 'credit-risk', model_version: v, protocol: p });
  const s = (name: string, labels: Record<string, string>, value: number): TrafficSample => ({ name, labels, value });
  return [
    s(REQUESTS, { ...l('1'), outcome: 'ok' }, o.ok1),
    s(REQUESTS, { ...l('1'), outcome: 'error' }, o.err1),
    s(REQUESTS, { ...l('2', 'v2'), outcome: 'ok' }, o.ok2),
    ...(['1', '2'] as const).flatMap((v) => {
      const b = v === '1' ? o.b1 : o.b2;
      return [
        s(`${LATENCY}_bucket`, { le: '0.001', ...l(v) }, b[0]),
        s(`${LATENCY}_bucket`, { le: '0.01', ...l(v) }, b[1]),
        s(`${LATENCY}_bucket`, { le: '+Inf', ...l(v) }, b[2]),
        s(`${LATENCY}_sum`, l(v), b[2] * 0.002),
        s(`${LATENCY}_count`, l(v), b[2]),
      ];
    }),
    s(SHADOWS, { deployment: 'credit-risk', model_version: '3', outcome: 'ok' }, o.shadow ?? 0),
  ];
}

const read = (samples: TrafficSample[], t: number, replicas = 1) => snapshotOf(samples, t, replicas);

describe('the traffic answer', () => {
  it('names the families the server sums', () => {
    expect([REQUESTS, LATENCY, SHADOWS]).toEqual([...TRAFFIC_FAMILIES]);
  });

  it('reads counters per model version, summing protocols', () => {
    const snap = read(
      [
        ...answer({ ok1: 3, err1: 1, ok2: 2, b1: [1, 2, 3], b2: [0, 2, 2] }),
        { name: REQUESTS, labels: { model_version: '2', protocol: 'records', outcome: 'ok' }, value: 4 },
      ],
      7,
      2,
    );
    expect(snap).toMatchObject({ t: 7, replicas: 2 });
    expect(snap.main.get('2')).toMatchObject({ ok: 6, failed: 0, latencyCount: 2 });
    expect(snap.main.get('1')!.buckets).toEqual(
      new Map([
        [0.001, 1],
        [0.01, 2],
        [Infinity, 3],
      ]),
    );
  });

  it('leaves out an interval in which a replica joined, left or restarted', () => {
    const base = { ok1: 10, err1: 1, ok2: 5, b1: [5, 9, 10] as [number, number, number], b2: [5, 5, 5] as [number, number, number] };
    const a = read(answer({ ...base, shadow: 4 }), 0, 2);
    const more = read(answer({ ...base, ok1: 12, b1: [5, 10, 12], shadow: 5 }), 5000, 2);
    expect(comparable(a, more)).toBe(true);
    expect(comparable(a, { ...more, replicas: 3 })).toBe(false);
    // A replica gone: its count left the sum.
    expect(comparable(a, read(answer({ ...base, ok1: 4, b1: [2, 4, 4], shadow: 5 }), 5000, 2))).toBe(false);
    expect(comparable(a, read(answer({ ...base, shadow: 1 }), 5000, 2))).toBe(false);
    expect(comparable(a, read([], 5000, 2))).toBe(false);
  });
});

describe('rates between readings', () => {
  it('counts a reset counter from zero', () => {
    expect(increase(10, 15)).toBe(5);
    expect(increase(10, 3)).toBe(3);
  });

  it('interpolates quantiles inside buckets like histogram_quantile', () => {
    // 100 observations: 50 ≤ 1 ms, 40 in (1, 10] ms, 10 above 10 ms.
    const b: [number, number][] = [
      [0.001, 50],
      [0.01, 90],
      [Infinity, 100],
    ];
    expect(histogramQuantile(0.5, b)).toBeCloseTo(0.001);
    expect(histogramQuantile(0.25, b)).toBeCloseTo(0.0005);
    expect(histogramQuantile(0.7, b)).toBeCloseTo(0.001 + 0.009 * (20 / 40));
    // In the +Inf bucket the highest finite bound is the answer.
    expect(histogramQuantile(0.99, b)).toBe(0.01);
    expect(
      histogramQuantile(0.5, [
        [0.001, 0],
        [Infinity, 0],
      ]),
    ).toBeNull();
    expect(histogramQuantile(0.5, [])).toBeNull();
  });

  it('keeps bucket increases cumulative', () => {
    const before = new Map([
      [0.001, 5],
      [0.01, 8],
      [Infinity, 9],
    ]);
    const after = new Map([
      [0.001, 6],
      [0.01, 12],
      [Infinity, 15],
    ]);
    expect(bucketIncrease(before, after)).toEqual([
      [0.001, 1],
      [0.01, 4],
      [Infinity, 6],
    ]);
  });

  it('gives requests/s, error share and p50/p99 per model version, and shadow rates', () => {
    const a = read(answer({ ok1: 100, err1: 0, ok2: 10, b1: [50, 100, 100], b2: [0, 10, 10], shadow: 10 }), 1_000_000);
    const b = read(answer({ ok1: 190, err1: 10, ok2: 20, b1: [95, 185, 190], b2: [0, 20, 20], shadow: 20 }), 1_005_000);
    expect(a.main.get('1')).toMatchObject({ ok: 100, failed: 0, latencyCount: 100 });
    const p = ratesBetween(a, b, new Set(['1', '2']))!;
    expect([p.from, p.t]).toEqual([1000, 1005]);
    expect(p.main['1']!.requestsPerSec).toBeCloseTo(100 / 5);
    expect(p.main['1']!.errorRate).toBeCloseTo(0.1);
    // 90 ok observations: 45 ≤ 1 ms, 40 in (1, 10] ms, 5 above → p50 = 1 + 9 × (45 − 45)/40 ms.
    expect(p.main['1']!.p50Ms).toBeCloseTo(1);
    expect(p.main['1']!.p99Ms).toBeCloseTo(10);
    expect(p.main['2']).toMatchObject({ requestsPerSec: 2, errorRate: 0 });
    expect(p.main['2']!.p50Ms).toBeCloseTo(1 + 9 * 0.5);
    expect(p.shadow['3']).toEqual({ requestsPerSec: 2, errorRate: 0 });
  });

  it('drops idle versions that are no longer routed, keeps routed ones at zero', () => {
    const a = read(answer({ ok1: 5, err1: 0, ok2: 5, b1: [5, 5, 5], b2: [5, 5, 5] }), 0);
    const b = read(answer({ ok1: 5, err1: 0, ok2: 5, b1: [5, 5, 5], b2: [5, 5, 5] }), 5000);
    const p = ratesBetween(a, b, new Set(['2', '9']))!;
    expect(Object.keys(p.main).sort()).toEqual(['2', '9']);
    expect(p.main['2']).toEqual({ requestsPerSec: 0, errorRate: null, p50Ms: null, p99Ms: null });
    expect(ratesBetween(b, a)).toBeNull(); // time went backwards: no point
  });

  it('shapes chart series and totals', () => {
    const a = read(answer({ ok1: 0, err1: 0, ok2: 0, b1: [0, 0, 0], b2: [0, 0, 0] }), 0);
    const b = read(answer({ ok1: 10, err1: 0, ok2: 5, b1: [10, 10, 10], b2: [5, 5, 5], shadow: 5 }), 5000);
    const c = read(answer({ ok1: 20, err1: 5, ok2: 5, b1: [20, 20, 20], b2: [5, 5, 5], shadow: 5 }), 10000);
    let history = appendPoint([], ratesBetween(a, b)!, 2);
    history = appendPoint(history, ratesBetween(b, c, new Set(['2']))!, 2);
    const charts = trafficCharts(history);
    expect(charts.requests.map((s) => s.label)).toEqual(['v1', 'v2', 'v3 (shadow)']);
    // A leading empty point where the first interval starts.
    expect(charts.requests.map((s) => s.points.map((p) => p.y))).toEqual([
      [null, 2, 3],
      [null, 1, 0],
      [null, 1, 0],
    ]);
    expect(charts.requests[0]!.points.map((p) => p.x)).toEqual([0, 5, 10]);
    expect(charts.latency.map((s) => s.label)).toEqual(['v1 p50', 'v1 p99', 'v2 p50', 'v2 p99']);
    expect(charts.latency[2]!.points.map((p) => p.y)).toEqual([null, 0.5, null]);
    expect(charts.errors.map((s) => s.points.map((p) => p.y))).toEqual([
      [null, 0, (5 / 15) * 100],
      [null, 0, null],
      [null, 0, null],
    ]);
    const last = ratesBetween(a, c)!;
    expect(appendPoint(history, last, 2)).toEqual([history[1], last]);
    const totals = versionTotals(c, history[1], new Set(['1', '2', '4']));
    expect(totals.map((t) => [t.version, t.requests, t.failed])).toEqual([
      ['1', 25, 5],
      ['2', 5, 0],
      ['4', 0, 0],
    ]);
    expect(totals[0]!.meanMs).toBeCloseTo(2);
    expect(totals[2]!.meanMs).toBeNull();
  });
});
