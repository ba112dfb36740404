import { describe, expect, it } from 'vitest';
import { normalSf } from '../../stats/index.js';
import { servingFamily, type ServingInput } from './serving-family.js';

const base = (over: Partial<ServingInput> & { ce?: number; he?: number; cn?: number; hn?: number; cp?: number; hp?: number }): ServingInput => ({
  champion: { requests: over.hn ?? 1000, errors: over.he ?? 10, latencyP99Ms: over.hp ?? 40 },
  candidate: { requests: over.cn ?? 1000, errors: over.ce ?? 10, latencyP99Ms: over.cp ?? 40 },
  maxErrorRateIncrease: over.maxErrorRateIncrease ?? 0.01,
  maxLatencyRatio: over.maxLatencyRatio ?? 1.5,
  alpha: over.alpha ?? 0.05,
  ...(over.minRequests !== undefined ? { minRequests: over.minRequests } : {}),
});

describe('servingFamily', () => {
  it.each([
    ['equal error rates and latency pass', {}, 'pass', 'pass', 'pass'],
    ['a higher error rate within the allowed increase passes', { ce: 15 }, 'pass', 'pass', 'pass'],
    ['an error rate significantly above champion + allowed fails', { ce: 60 }, 'fail', 'fail', 'pass'],
    ['a lower error rate passes (one-sided)', { ce: 0, he: 80 }, 'pass', 'pass', 'pass'],
    ['p99 over the max ratio and 51 ms slower fails alone', { hp: 100, cp: 151 }, 'fail', 'pass', 'fail'],
    ['p99 over the max ratio but only 21 ms slower passes (the warm-up floor)', { cp: 61 }, 'pass', 'pass', 'pass'],
    ['p99 at exactly the max ratio passes', { cp: 60 }, 'pass', 'pass', 'pass'],
    ['too few candidate requests: insufficient data', { cn: 99, ce: 50 }, 'insufficient_data', 'insufficient_data', 'insufficient_data'],
    ['a champion p99 of 0 ms: no ratio, insufficient data', { hp: 0 }, 'insufficient_data', 'pass', 'insufficient_data'],
  ] as const)('%s', (_name, over, verdict, errorVerdict, latencyVerdict) => {
    const e = servingFamily(base(over));
    expect([e.verdict, e.error_rate.verdict, e.latency.verdict]).toEqual([verdict, errorVerdict, latencyVerdict]);
    expect(JSON.parse(JSON.stringify(e))).toEqual(e);
  });

  it('tests H0: p_cand − p_champ ≤ allowed with the unpooled z and the normal tail', () => {
    const e = servingFamily(base({ ce: 35, cn: 1200, he: 9, hn: 900 }));
    const pc = 35 / 1200;
    const ph = 9 / 900;
    const z = (pc - ph - 0.01) / Math.sqrt((pc * (1 - pc)) / 1200 + (ph * (1 - ph)) / 900);
    expect(e.error_rate.z).toBeCloseTo(z, 12);
    expect(e.error_rate.p_value).toBeCloseTo(normalSf(z), 14);
    expect(e.error_rate.verdict).toBe(normalSf(z) < 0.05 ? 'fail' : 'pass');
  });

  it('passes with 0 errors on both sides and says so; all-failing candidate fails without a test', () => {
    const none = servingFamily(base({ ce: 0, he: 0 }));
    expect([none.verdict, none.error_rate.note, none.error_rate.z, none.error_rate.p_value]).toEqual(['pass', 'no_errors', null, null]);
    const all = servingFamily(base({ ce: 1000, he: 0 }));
    expect([all.verdict, all.error_rate.note]).toEqual(['fail', 'no_variance']);
  });

  it('refuses counts that are not counts and levels out of range', () => {
    expect(() => servingFamily(base({ ce: 1001 }))).toThrow(/errors ≤ requests/);
    expect(() => servingFamily(base({ alpha: 0 }))).toThrow(/alpha/);
    expect(() => servingFamily(base({ maxLatencyRatio: 0.5 }))).toThrow(/maxLatencyRatio/);
  });
});
