import { describe, expect, it } from 'vitest';
import { refusalOf } from '../../../test/support/refusal.js';
import { type GateConfig, type GateSource, evaluateGate } from './gate-evaluator.js';
import type { GateEvidence, MetricEvidence } from './evidence.js';
import { gateReason } from './reason.js';
import { gateConfig } from './config.js';

/** mulberry32: a small seeded generator, so the fixtures are the same on every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/**
 * A binary problem: n rows with a region and an income; the candidate separates the classes with strength
 * `cand`, the champion with `champ`, on shared noise (so the pair is correlated, as two versions of a model are).
 */
function binary(n: number, cand: number, champ: number | null, seed = 1): Omit<GateSource, 'source' | 'label'> {
  const r = rng(seed);
  const features: Record<string, unknown>[] = [];
  const truth: number[] = [];
  const candidate: Record<string, unknown>[] = [];
  const champion: Record<string, unknown>[] = [];
  const out = (p: number) => ({ label: p >= 0.5 ? 1 : 0, probabilities: [1 - p, p] });
  for (let i = 0; i < n; i++) {
    const y = r() < 0.4 ? 1 : 0;
    const common = 2 * r() - 1;
    features.push({ region: i % 3 === 0 ? 'north' : 'south', income: Math.round(r() * 80000) });
    truth.push(y);
    candidate.push(out(sigmoid(cand * (2 * y - 1) + 1.5 * common + (r() - 0.5))));
    if (champ !== null) champion.push(out(sigmoid(champ * (2 * y - 1) + 1.5 * common + (r() - 0.5))));
  }
  return { features, truth, candidate, champion: champ === null ? null : champion };
}

const holdout = (data: Omit<GateSource, 'source' | 'label'>): GateSource => ({
  source: 'holdout',
  label: 'credit-holdout v3',
  dataset: { dataset: 'credit-holdout', version: 3 },
  ...data,
});

function config(over: Partial<GateConfig> = {}): GateConfig {
  return { thresholds: [{ metric: 'accuracy', absolute: -0.01 }], slices: [], min_slice_size: 30, alpha: 0.05, replicates: 200, seed: 7, ...over };
}

const metric = (e: GateEvidence, source: number, slice: string, threshold = 0): MetricEvidence =>
  e.sources[source]!.slices.find((s) => s.name === slice)!.metrics.find((m) => m.threshold === threshold)!;

/** The evidence survives JSON unchanged (no undefined, NaN or Infinity) and its reason re-renders from it alone. */
function roundTrip(e: GateEvidence): void {
  const copy = JSON.parse(JSON.stringify(e)) as GateEvidence;
  expect(copy).toStrictEqual(e);
  expect(gateReason(copy)).toBe(e.reason);
}

describe('evaluateGate', () => {
  it('passes a better candidate on every source, slice and metric, with intervals from the statistics', () => {
    const production: GateSource = {
      source: 'production',
      label: 'production 2026-12-01 → 2026-12-07',
      window: { from: 1, to: 2 },
      ...binary(400, 2.5, 1.2, 2),
    };
    const e = evaluateGate(
      [holdout(binary(600, 2.5, 1.2)), production],
      config({
        thresholds: [
          { metric: 'accuracy', absolute: -0.01, margin: 0.01 },
          { metric: 'roc_auc', margin: 0.005 },
          { metric: 'log_loss', upper: 1, per_slice: false },
        ],
        slices: [{ feature: 'region' }, { feature: 'income', bins: [20000, 50000] }],
      }),
    );
    expect(e.outcome).toBe('pass');
    expect(e.failures).toEqual([]);
    const acc = metric(e, 0, 'all');
    expect(acc.judged && acc.passed).toBe(true);
    expect(acc.delta).toBeCloseTo((acc.candidate as number) - (acc.champion as number), 15);
    expect(acc.statistical).toMatchObject({
      method: 'paired_bootstrap',
      level: 0.95,
      seed: '7',
      replicates: { requested: 200, used: 200, skipped: 0 },
      outcome: 'pass',
    });
    expect(acc.statistical!.candidate).toBe(acc.candidate);
    expect(metric(e, 0, 'all', 1).statistical).toMatchObject({ method: 'delong', outcome: 'pass' });
    // log_loss with per_slice false is judged on `all` only.
    expect(e.sources[0]!.slices.find((s) => s.name === 'region=north')!.metrics.map((m) => m.metric)).toEqual(['accuracy', 'roc_auc']);
    expect(e.sources[0]!.slices.map((s) => s.name)).toEqual([
      'all',
      'region=north',
      'region=south',
      'income < 20000',
      'income in [20000, 50000)',
      'income >= 50000',
    ]);
    expect(e.reason).toMatch(
      /^Passed: 3 metrics on 2 sources and 12 slices cleared their thresholds; accuracy \+0\.\d{3} \(95% interval \+0\.\d{3} to \+0\.\d{3}\) on credit-holdout v3\.$/,
    );
    roundTrip(e);
  });

  it('fails a value threshold', () => {
    const e = evaluateGate([holdout(binary(300, 1.5, 1.2))], config({ thresholds: [{ metric: 'accuracy', lower: 0.99 }] }));
    expect(e.outcome).toBe('fail');
    expect(e.failures).toHaveLength(1);
    expect(e.failures[0]).toMatchObject({ source: 0, slice: 'all', threshold: 0, metric: 'accuracy', kind: 'value_lower' });
    const acc = metric(e, 0, 'all');
    expect(e.reason).toBe(`Rejected: on credit-holdout v3, slice all, accuracy ${acc.candidate!.toFixed(3)} is below its lower bound 0.990.`);
    expect(e.failures[0]!.phrase).toBe(`accuracy ${acc.candidate!.toFixed(3)} is below its lower bound 0.990`);
    roundTrip(e);
  });

  it('fails a change threshold against the champion, per slice too', () => {
    const e = evaluateGate(
      [holdout(binary(600, 0.6, 2.5))],
      config({ thresholds: [{ metric: 'accuracy', absolute: -0.01 }], slices: [{ feature: 'region' }] }),
    );
    expect(e.outcome).toBe('fail');
    expect(e.failures.map((f) => [f.slice, f.kind])).toEqual([
      ['all', 'change_absolute'],
      ['region=north', 'change_absolute'],
      ['region=south', 'change_absolute'],
    ]);
    const acc = metric(e, 0, 'all');
    expect(acc.delta).toBeLessThan(-0.01);
    expect(e.reason).toContain(`Rejected: on credit-holdout v3, slice all, accuracy fell from ${acc.champion!.toFixed(3)} to ${acc.candidate!.toFixed(3)} (−`);
    expect(e.reason).toMatch(/the threshold allows a change of at least −0\.010\); 2 more failures\.$/);
    roundTrip(e);
  });

  it('fails a relative change threshold, lower is better mirrored', () => {
    const e = evaluateGate([holdout(binary(600, 0.6, 2.5))], config({ thresholds: [{ metric: 'log_loss', relative: 0.05 }] }));
    expect(e.failures[0]).toMatchObject({ kind: 'change_relative' });
    expect(e.reason).toMatch(/log_loss rose from .* \(\+\d+\.\d%; the threshold allows a relative change of at most \+5\.0%\)\.$/);
    roundTrip(e);
  });

  it('fails statistically where the point estimate passes', () => {
    // Equal accuracy, different rows right: the change threshold passes, the interval cannot clear a margin of 0.
    const n = 200;
    const truth = Array.from({ length: n }, (_, i) => i % 2);
    const hit = (y: number, right: boolean) => {
      const label = right ? y : 1 - y;
      return { label, probabilities: label === 1 ? [0.2, 0.8] : [0.8, 0.2] };
    };
    const candidate = truth.map((y, i) => hit(y, i % 5 !== 0));
    const champion = truth.map((y, i) => hit(y, i % 5 !== 1));
    const features = truth.map(() => ({}));
    const e = evaluateGate([holdout({ features, truth, candidate, champion })], config({ thresholds: [{ metric: 'accuracy', absolute: -0.05, margin: 0 }] }));
    const acc = metric(e, 0, 'all');
    expect(acc.delta).toBe(0);
    expect(acc.check!.outcome).toBe('pass');
    expect(acc.statistical!.outcome).toBe('fail');
    expect(e.outcome).toBe('fail');
    expect(e.failures.map((f) => f.kind)).toEqual(['statistical']);
    const s = acc.statistical!;
    expect(e.reason).toBe(
      `Rejected: on credit-holdout v3, slice all, accuracy stayed at 0.800 (0.000; 95% interval ${fmtSigned(s.interval!.lower)} to ${fmtSigned(s.interval!.upper)}, ` +
        `one-sided lower bound ${fmtSigned(s.bound!)}, does not clear 0.000).`,
    );
    roundTrip(e);
  });

  it('says no_baseline_pass and no_baseline_fail without a champion, judged by value thresholds only', () => {
    const thresholds: GateConfig['thresholds'] = [
      { metric: 'accuracy', lower: 0.6, absolute: -0.01, margin: 0.01 },
      { metric: 'roc_auc', margin: 0.01 },
    ];
    const pass = evaluateGate([holdout(binary(300, 2.5, null))], config({ thresholds }));
    expect(pass.outcome).toBe('no_baseline_pass');
    expect(pass.baseline).toBe(false);
    const acc = metric(pass, 0, 'all');
    expect(acc).toMatchObject({ champion: null, delta: null, relative_change: null, statistical: null, skipped: ['change_absolute', 'margin'], passed: true });
    expect(acc.check!.outcome).toBe('no_baseline_pass');
    expect(pass.reason).toBe(
      `Passed with no champion to compare with (change thresholds and margins skipped): 2 metrics on 1 source and 1 slice cleared their value thresholds; accuracy ${acc.candidate!.toFixed(3)} on credit-holdout v3.`,
    );
    roundTrip(pass);

    const fail = evaluateGate([holdout(binary(300, 0.2, null))], config({ thresholds }));
    expect(fail.outcome).toBe('no_baseline_fail');
    expect(fail.reason).toMatch(
      /^Rejected \(no champion to compare with: judged by value thresholds only\): on credit-holdout v3, slice all, accuracy 0\.\d{3} is below its lower bound 0\.600\.$/,
    );
    roundTrip(fail);
  });

  it('reports small slices and small or empty sources without judging them', () => {
    const data = binary(100, 2.5, 1.2);
    data.features.forEach((f, i) => (f.region = i < 10 ? 'west' : 'east'));
    const empty: GateSource = { source: 'production', label: 'production 2026-12-01 → 2026-12-07', features: [], truth: [], candidate: [], champion: [] };
    const tiny: GateSource = { source: 'production', label: 'production yesterday', ...binary(12, 2.5, 1.2, 5) };
    const e = evaluateGate(
      [holdout(data), empty, tiny],
      config({ thresholds: [{ metric: 'accuracy', upper: 0.5 }], slices: [{ feature: 'region' }], min_slice_size: 20 }),
    );
    const west = e.sources[0]!.slices.find((s) => s.name === 'region=west')!;
    expect(west).toEqual({
      name: 'region=west',
      feature: 'region',
      rows: 10,
      judged: false,
      not_judged: '10 rows, below the minimum slice size 20',
      metrics: [],
    });
    expect(e.sources[1]).toMatchObject({ rows: 0, judged: false, not_judged: 'no rows', slices: [] });
    expect(e.sources[2]).toMatchObject({ rows: 12, judged: false, not_judged: '12 rows, below the minimum slice size 20', slices: [] });
    // The small slice does not fail the gate; the failures are on the judged slices only.
    expect(e.failures.map((f) => f.slice)).toEqual(['all', 'region=east']);
    roundTrip(e);

    const passing = evaluateGate(
      [holdout(data), empty],
      config({ thresholds: [{ metric: 'accuracy', lower: 0.5 }], slices: [{ feature: 'region' }], min_slice_size: 20 }),
    );
    expect(passing.outcome).toBe('pass');
    expect(passing.reason).toMatch(
      /; accuracy \d\.\d{3} vs \d\.\d{3} \([+−]0\.\d{3}\) on credit-holdout v3 \(not judged: production 2026-12-01 → 2026-12-07: no rows; 1 slice below 20 rows\)\.$/,
    );
    roundTrip(passing);

    const nothing = evaluateGate([empty, tiny], config({ min_slice_size: 20 }));
    expect(nothing.outcome).toBe('insufficient_data');
    expect(nothing.reason).toBe(
      'Not judged: no source had enough rows to judge (production 2026-12-01 → 2026-12-07: no rows; production yesterday: 12 rows, below the minimum slice size 20).',
    );
    roundTrip(nothing);
  });

  it('counts unscorable rows and judges on the rest; a metric no row can give fails on all', () => {
    const data = binary(200, 2.5, 1.2);
    for (const i of [3, 50, 120]) data.candidate[i] = { label: data.candidate[i]!.label };
    const e = evaluateGate(
      [holdout(data)],
      config({
        thresholds: [
          { metric: 'log_loss', upper: 2 },
          { metric: 'mae', upper: 1 },
        ],
      }),
    );
    expect(e.sources[0]!.unscorable).toEqual([
      { metric: 'log_loss', model: 'candidate', reason: 'the model answers no class probabilities', count: 3, examples: [3, 50, 120] },
    ]);
    expect(metric(e, 0, 'all')).toMatchObject({ rows: 197, unscorable: 3, judged: true, passed: true });
    // mae on a classifier: its label is a number, so it scores; a string-labelled classifier could not.
    const strings = binary(60, 2.5, 1.2);
    const asText = (o: Record<string, unknown>) => ({ ...o, label: String(o.label) });
    const s = evaluateGate(
      [holdout({ ...strings, truth: strings.truth.map(String), candidate: strings.candidate.map(asText), champion: strings.champion!.map(asText) })],
      config({ thresholds: [{ metric: 'mae', upper: 1 }] }),
    );
    expect(s.outcome).toBe('fail');
    expect(s.failures[0]).toMatchObject({ kind: 'undefined' });
    expect(s.sources[0]!.unscorable.map((u) => [u.model, u.count, u.reason])).toEqual([
      ['candidate', 60, 'the truth is a string, not a number'],
      ['champion', 60, 'the truth is a string, not a number'],
    ]);
    expect(s.reason).toBe('Rejected: on credit-holdout v3, slice all, mae could not be judged: none of its rows could be scored for mae (60 unscorable rows).');
    roundTrip(s);
  });

  it('refuses a bad config, naming the field', () => {
    const src = [holdout(binary(50, 2, 1))];
    const cases: [Partial<GateConfig>, string][] = [
      [{ slices: [{ feature: 'regoin' }] }, 'slices[0].feature'],
      [{ slices: [{ feature: 'income', bins: [5, 1] }] }, 'slices[0].bins'],
      [{ thresholds: [] }, 'thresholds'],
      [{ thresholds: [{ metric: 'f1' as 'accuracy' }] }, 'thresholds[0].metric'],
      [{ thresholds: [{ metric: 'accuracy', lower: 0.9, upper: 0.8 }] }, 'thresholds[0].lower'],
      [{ thresholds: [{ metric: 'accuracy' }] }, 'thresholds[0]'],
      [{ thresholds: [{ metric: 'accuracy', margin: -1 }] }, 'thresholds[0].margin'],
      [{ thresholds: [{ metric: 'accuracy', upper: Number.NaN }] }, 'thresholds[0].upper'],
      [{ alpha: 0.5 }, 'alpha'],
      [{ replicates: 0 }, 'replicates'],
      [{ min_slice_size: 0 }, 'min_slice_size'],
      [{ seed: -1 }, 'seed'],
    ];
    for (const [over, field] of cases) expect(refusalOf(() => evaluateGate(src, config(over))).field, field).toBe(field);
    const short = { ...src[0]!, candidate: src[0]!.candidate.slice(1) };
    expect(refusalOf(() => evaluateGate([short], config()))).toMatchObject({ field: 'sources[0].candidate', message: expect.stringContaining('50 rows') });
    const noChampion = { ...src[0]!, source: 'production' as const, champion: null };
    expect(refusalOf(() => evaluateGate([src[0]!, noChampion], config())).field).toBe('sources[1].champion');
    expect(refusalOf(() => evaluateGate([], config())).field).toBe('sources');
  });
});

function fmtSigned(x: number): string {
  const s = x.toFixed(3).replace('-', '−');
  return x > 0 ? `+${s}` : s;
}

describe('gateConfig', () => {
  it("applies the contract's defaults to a loop's gate spec", () => {
    expect(gateConfig({ thresholds: [{ metric: 'roc_auc', margin: 0.01 }] })).toEqual({
      thresholds: [{ metric: 'roc_auc', margin: 0.01 }],
      slices: [],
      min_slice_size: 30,
      alpha: 0.05,
      replicates: 1000,
      seed: 0,
      fairness: [],
    });
    expect(gateConfig({ thresholds: [], slices: [{ feature: 'x' }], min_slice_size: 5, alpha: 0.1, replicates: 200, seed: 3 })).toMatchObject({
      min_slice_size: 5,
      alpha: 0.1,
      replicates: 200,
      seed: 3,
    });
  });
});
