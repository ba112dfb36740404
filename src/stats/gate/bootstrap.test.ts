import { describe, expect, it } from 'vitest';
import { refusalOf } from '../../../test/support/refusal.js';
import { type PairedBootstrapInput, pairedBootstrap } from './bootstrap.js';
import { quantileSorted } from './quantile.js';
import { binaryRows } from './test-data.js';

const field = (f: () => unknown) => refusalOf(f).field;

const rows = binaryRows(300, 7);
const auc = (extra: Partial<PairedBootstrapInput> = {}): PairedBootstrapInput => ({
  metric: 'roc_auc',
  yTrue: rows.y,
  candidate: rows.candidate,
  champion: rows.champion,
  seed: 11,
  replicates: 200,
  ...extra,
});

describe('quantileSorted (numpy linear)', () => {
  it('interpolates between order statistics at (B − 1)·q', () => {
    const x = [1, 2, 4, 8];
    expect(quantileSorted(x, 0)).toBe(1);
    expect(quantileSorted(x, 1)).toBe(8);
    expect(quantileSorted(x, 0.5)).toBe(3); // h = 1.5
    expect(quantileSorted(x, 0.25)).toBe(1.75); // h = 0.75: computed from the upper end, 2 − 1·0.25
    expect(quantileSorted([5], 0.3)).toBe(5);
  });
});

describe('pairedBootstrap', () => {
  it('is reproducible from its seed and changes with it', () => {
    const a = pairedBootstrap(auc());
    expect(pairedBootstrap(auc())).toEqual(a);
    expect(pairedBootstrap(auc({ seed: 12 })).interval).not.toEqual(a.interval);
    expect(a.seed).toBe('11');
  });

  it('gives the interval and bound as percentiles of the kept replicates', () => {
    const r = pairedBootstrap(auc({ keepReplicates: true, alpha: 0.1 }));
    const kept = (r.replicateValues as (number | null)[]).filter((v): v is number => v !== null).sort((a, b) => a - b);
    expect(kept.length).toBe(r.replicates.used);
    expect(r.interval).toEqual({ lower: quantileSorted(kept, 0.05), upper: quantileSorted(kept, 0.95) });
    expect(r.bound).toBe(quantileSorted(kept, 0.1));
    expect(r.outcome).toBe((r.bound as number) > 0 ? 'pass' : 'fail');
  });

  it('uses the upper bound for lower-is-better metrics and says so', () => {
    const r = pairedBootstrap({ ...auc({ keepReplicates: true }), metric: 'log_loss' });
    const kept = (r.replicateValues as number[]).slice().sort((a, b) => a - b);
    expect(r.direction).toBe('lower_is_better');
    expect(r.bound).toBe(quantileSorted(kept, 0.95));
    expect(r.reason).toContain('one-sided upper bound');
  });

  it('passes iff the bound clears −margin, in either direction of the metric', () => {
    const r = pairedBootstrap(auc());
    const bound = r.bound as number;
    expect(pairedBootstrap(auc({ margin: -bound + 1e-9 })).outcome).toBe('pass');
    expect(pairedBootstrap(auc({ margin: -bound - 1e-9 })).outcome).toBe('fail');
    const loss = pairedBootstrap({ ...auc(), metric: 'log_loss' });
    const upper = loss.bound as number;
    expect(pairedBootstrap({ ...auc(), metric: 'log_loss', margin: upper + 1e-9 }).outcome).toBe('pass');
    expect(pairedBootstrap({ ...auc(), metric: 'log_loss', margin: upper - 1e-9 }).outcome).toBe('fail');
  });

  it('identical models: every replicate is exactly 0 and a zero margin fails (0 is not above 0)', () => {
    const r = pairedBootstrap(auc({ champion: rows.candidate, margin: 0 }));
    expect(r.difference).toBe(0);
    expect(r.interval).toEqual({ lower: 0, upper: 0 });
    expect(r.outcome).toBe('fail');
    expect(pairedBootstrap(auc({ champion: rows.candidate, margin: 0.001 })).outcome).toBe('pass');
  });

  it('skips and counts AUC replicates of one class; all skipped → insufficient_data, no NaN', () => {
    const y = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    const s = [0.9, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.05];
    const r = pairedBootstrap({ metric: 'roc_auc', yTrue: y, candidate: s, champion: s.map((v) => 1 - v), seed: 1, replicates: 500 });
    // P(a replicate misses the only positive) = 0.9^10 ≈ 0.35.
    expect(r.replicates.skipped).toBeGreaterThan(120);
    expect(r.replicates.skipped).toBeLessThan(230);
    expect(r.replicates.used + r.replicates.skipped).toBe(500);
    expect(r.reason).toContain('skipped: one class only');
    const one = pairedBootstrap({ metric: 'roc_auc', yTrue: [0, 0, 0], candidate: [0.1, 0.2, 0.3], champion: [0.3, 0.2, 0.1], seed: 1 });
    expect(one.outcome).toBe('insufficient_data');
    expect(one.difference).toBeNull();
    expect(JSON.stringify([r, one])).not.toMatch(/NaN|null,"upper"/);
  });

  it('one row: every replicate is that row, the interval is the point', () => {
    const r = pairedBootstrap({ metric: 'mae', yTrue: [1], candidate: [1.5], champion: [2], seed: 3, replicates: 10 });
    expect(r.difference).toBe(-0.5);
    expect(r.interval).toEqual({ lower: -0.5, upper: -0.5 });
    expect(r.outcome).toBe('pass');
  });

  it('accuracy compares predicted labels of any one kind', () => {
    const r = pairedBootstrap({ metric: 'accuracy', yTrue: ['a', 'b', 'a', 'b'], candidate: ['a', 'b', 'a', 'a'], champion: ['a', 'a', 'a', 'a'], seed: 5 });
    expect([r.candidate, r.champion, r.difference]).toEqual([0.75, 0.5, 0.25]);
  });

  it('refuses empty, mismatched and non-finite input, naming the field', () => {
    expect(field(() => pairedBootstrap(auc({ yTrue: [], candidate: [], champion: [] })))).toBe('yTrue');
    expect(field(() => pairedBootstrap(auc({ candidate: rows.candidate.slice(1) })))).toBe('candidate');
    expect(field(() => pairedBootstrap(auc({ champion: rows.champion.slice(1) })))).toBe('champion');
    expect(field(() => pairedBootstrap(auc({ candidate: [NaN, ...rows.candidate.slice(1)] })))).toBe('candidate');
    expect(field(() => pairedBootstrap(auc({ champion: [Infinity, ...rows.champion.slice(1)] })))).toBe('champion');
    expect(field(() => pairedBootstrap({ ...auc(), metric: 'mae', yTrue: [NaN, ...rows.y.slice(1)] }))).toBe('yTrue');
    expect(field(() => pairedBootstrap({ ...auc(), metric: 'log_loss', candidate: [1.5, ...rows.candidate.slice(1)] }))).toBe('candidate');
    expect(field(() => pairedBootstrap({ ...auc(), metric: 'log_loss', yTrue: rows.y.map(() => 1) }))).toBe('positiveLabel');
    expect(field(() => pairedBootstrap({ ...auc(), yTrue: rows.y.map((v, i) => v + (i % 3)) }))).toBe('positiveLabel');
    expect(field(() => pairedBootstrap({ ...auc(), metric: 'f1' as never }))).toBe('metric');
    expect(field(() => pairedBootstrap(auc({ seed: -1 })))).toBe('seed');
    expect(field(() => pairedBootstrap(auc({ replicates: 0 })))).toBe('replicates');
    expect(field(() => pairedBootstrap(auc({ replicates: 2.5 })))).toBe('replicates');
    expect(field(() => pairedBootstrap(auc({ alpha: 0.5 })))).toBe('alpha');
    expect(field(() => pairedBootstrap(auc({ margin: NaN })))).toBe('margin');
    expect(field(() => pairedBootstrap({ ...auc(), metric: 'accuracy', yTrue: [1, 'a'] as never, candidate: [1, 1], champion: [1, 1] }))).toBe('yTrue');
    expect(field(() => pairedBootstrap({ ...auc(), metric: 'accuracy', yTrue: [1, 0], candidate: ['1', '0'], champion: [1, 0] }))).toBe('candidate');
    expect(field(() => pairedBootstrap({ ...auc(), metric: 'accuracy', yTrue: [1, 0], candidate: [1, 0], champion: [true, false] }))).toBe('champion');
  });
});
