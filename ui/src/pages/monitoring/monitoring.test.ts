import { describe, expect, it } from 'vitest';
import type { PerformanceReport } from '../../../../src/sdk/index.js';
import { binLabels, driftHistogram, MAX_CATEGORIES, shortNumber } from './drift-histogram.js';
import type { DriftWindow, QualityWindow } from './monitoring-data.js';
import { parseRange, rangeSpan } from './monitoring-data.js';
import {
  driftShareSeries,
  featureDriftSeries,
  withSpan,
  nullRateSeries,
  performanceMetricKeys,
  performanceSeries,
  performanceVersions,
  predictionDriftSeries,
  rankDriftFeatures,
  rankNullFeatures,
} from './series.js';

const T0 = '2026-01-01T00:00:00.000Z';
const T1 = '2026-01-01T01:00:00.000Z';
const s0 = Date.parse(T0) / 1000;
const s1 = Date.parse(T1) / 1000;

const window = (start: string, share: number, features: [string, number | null, boolean | null][], prediction: number | null = null): DriftWindow => ({
  start,
  rows: 10,
  dataset_drift: share >= 0.5,
  share_drifted: share,
  features: features.map(([name, statistic, drifted]) => ({ name, method: 'wasserstein', statistic, drifted })),
  prediction: prediction === null ? null : { statistic: prediction, drifted: false },
});

describe('drift over time', () => {
  const windows = [
    window(T0, 0, [
      ['age', 0.02, false],
      ['income', 0.05, false],
      ['debt', 0.3, false],
    ]),
    window(
      T1,
      0.5,
      [
        ['age', 0.01, false],
        ['income', 4.2, true],
        ['debt', null, null],
      ],
      0.16,
    ),
  ];
  it('charts the share of drifted features and the prediction score per window', () => {
    expect(driftShareSeries(windows)).toEqual([
      {
        label: 'share of drifted features',
        points: [
          { x: s0, y: 0 },
          { x: s1, y: 0.5 },
        ],
      },
    ]);
    expect(predictionDriftSeries(windows)[0]!.points).toEqual([
      { x: s0, y: null },
      { x: s1, y: 0.16 },
    ]);
    expect(predictionDriftSeries([windows[0]!])).toEqual([]);
  });
  it('ranks features by windows drifted, then largest score, keeping picked ones first', () => {
    expect(rankDriftFeatures(windows)).toEqual(['income', 'debt', 'age']);
    expect(rankDriftFeatures(windows, 2)).toEqual(['income', 'debt']);
    expect(rankDriftFeatures(windows, 2, ['age'])).toEqual(['age', 'income']);
  });
  it('gives one series per feature, null where a window has no score', () => {
    expect(featureDriftSeries(windows, ['debt'])).toEqual([
      {
        label: 'debt',
        points: [
          { x: s0, y: 0.3 },
          { x: s1, y: null },
        ],
      },
    ]);
  });
});

describe('null rates over time', () => {
  const q = (start: string, rates: Record<string, number | null>): QualityWindow => ({
    start,
    rows: 5,
    features: Object.entries(rates).map(([name, null_rate]) => ({ name, rows: 5, null_rate, type_errors: 0, out_of_range: null, unseen_categories: null })),
  });
  const windows = [q(T0, { a: 0, b: 0.1, c: 0.4 }), q(T1, { a: 0, b: 0.5, c: null })];
  it('ranks features by their worst missing rate and leaves out the never-missing', () => {
    expect(rankNullFeatures(windows)).toEqual(['b', 'c']);
    expect(rankNullFeatures(windows, 1, ['a'])).toEqual(['a']);
    expect(rankNullFeatures(windows, 1, ['zzz'])).toEqual(['b']);
  });
  it('charts the rate per window', () => {
    expect(nullRateSeries(windows, ['c'])).toEqual([
      {
        label: 'c',
        points: [
          { x: s0, y: 0.4 },
          { x: s1, y: null },
        ],
      },
    ]);
  });
});

describe('live performance', () => {
  const m = (version: string, accuracy: number | null, extra: Record<string, unknown> = {}) => ({
    model_version: version,
    task: 'classification' as const,
    n: 10,
    accuracy,
    ...extra,
  });
  // Only the fields the series read: a real report carries every classification metric.
  const report = {
    deployment: 'd',
    from: T0,
    to: T1,
    prediction: 'label',
    n: 30,
    overall: { task: 'classification', n: 30, accuracy: 0.8 },
    versions: [m('10', 0.7), m('2', 0.9, { roc_auc: 0.95 })],
    windows: [
      { start: T0, versions: [m('2', 0.9)] },
      { start: T1, versions: [m('2', 0.85, { roc_auc: Number.NaN }), m('10', 0.7, { log_loss: 0.4 })] },
    ],
  } as unknown as PerformanceReport;
  it('lists versions in numeric order and the metrics that have numbers', () => {
    expect(performanceVersions(report)).toEqual(['2', '10']);
    expect(performanceMetricKeys(report)).toEqual(['accuracy', 'roc_auc', 'log_loss']);
  });
  it('draws one series per version, with gaps where a version had no feedback', () => {
    expect(performanceSeries(report, 'accuracy')).toEqual([
      {
        label: 'v2',
        points: [
          { x: s0, y: 0.9 },
          { x: s1, y: 0.85 },
        ],
      },
      {
        label: 'v10',
        points: [
          { x: s0, y: null },
          { x: s1, y: 0.7 },
        ],
      },
    ]);
    expect(performanceSeries(report, 'roc_auc')[0]!.points).toEqual([
      { x: s0, y: null },
      { x: s1, y: null },
    ]);
  });
});

describe('reference-vs-current histogram', () => {
  type Sides = Parameters<typeof driftHistogram>[0];
  const counts = (c: number[]) => ({ counts: c, shares: [], rows: c.reduce((a, b) => a + b, 0) });
  it('uses the reference bins and adds out-of-range bars only when a side has values there', () => {
    const f = {
      reference: { edges: [0, 10, 20], ...counts([5, 5]), underflow: { count: 0, share: 0 }, overflow: { count: 0, share: 0 } },
      current: { edges: [0, 10, 20], ...counts([1, 2]), underflow: { count: 0, share: 0 }, overflow: { count: 7, share: 0.7 } },
    } as Sides;
    expect(driftHistogram(f)).toEqual({
      bins: ['0–10', '10–20', '> 20'],
      series: [
        { label: 'reference', color: '#9ca3af', counts: [5, 5, 0] },
        { label: 'current', color: '#2563eb', counts: [1, 2, 7] },
      ],
    });
  });
  it('aligns categories of both sides, with an unseen bar', () => {
    const f = {
      reference: { categories: ['a', 'b'], ...counts([8, 2]) },
      current: { categories: ['b', 'c', 1], ...counts([5, 3, 1]), unseen: { count: 4, share: 0.3 } },
    } as unknown as Sides;
    const h = driftHistogram(f)!;
    expect(h.bins).toEqual(['a', 'b', 'c', '1', 'unseen']);
    expect(h.series.map((s) => s.counts)).toEqual([
      [8, 2, 0, 0, 0],
      [0, 5, 3, 1, 4],
    ]);
  });
  it('folds a long tail of categories into one bar', () => {
    const cats = Array.from({ length: 100 }, (_, i) => `c${i}`);
    const f = {
      reference: { categories: cats, ...counts(cats.map((_, i) => 100 - i)) },
      current: { categories: cats, ...counts(cats.map(() => 1)) },
    } as unknown as Sides;
    const h = driftHistogram(f)!;
    expect(h.bins).toHaveLength(MAX_CATEGORIES);
    expect(h.bins.at(-1)).toBe(`other (${100 - MAX_CATEGORIES + 1})`);
    expect(h.series[1]!.counts.reduce((a, b) => a + b, 0)).toBe(100);
  });
  it('labels bins briefly', () => {
    expect([0, 950, 2.5, 20240, 1_500_000, -3e9, 3e-5, 123.456].map(shortNumber)).toEqual(['0', '950', '2.5', '20.2k', '1.5M', '-3G', '3e-5', '123']);
    expect(binLabels([9900, 20240, 30580])).toEqual(['9.9k–20.2k', '20.2k–30.6k']);
  });
  it('has nothing to draw without both sides', () => {
    expect(driftHistogram({})).toBeNull();
    expect(driftHistogram({ reference: counts([1]), current: counts([1]) } as Sides)).toBeNull();
  });
});

it('stretches the x axis to now, from the range start or just before data that starts later', () => {
  expect(rangeSpan('1h', 7_200_000)).toEqual({ from: 3600, to: 7200 });
  const early = [
    { label: 'a', points: [{ x: 3700, y: 1 }] },
    { label: 'b', points: [] },
  ];
  expect(withSpan(early, { from: 3600, to: 7200 })).toEqual([
    {
      label: 'a',
      points: [
        { x: 3600, y: null },
        { x: 3700, y: 1 },
        { x: 7200, y: null },
      ],
    },
    { label: 'b', points: [] },
  ]);
  const late = [{ label: 'a', points: [{ x: 5000, y: 1 }] }];
  expect(withSpan(late, { from: 3600, to: 7200 })[0]!.points[0]).toEqual({ x: 5000 - 220, y: null });
  expect(withSpan([], { from: 0, to: 1 })).toEqual([]);
});

it('reads the time range from the URL, 24h by default', () => {
  expect(parseRange('7d')).toBe('7d');
  expect(parseRange('5y')).toBe('24h');
  expect(parseRange(null)).toBe('24h');
});
