/**
 * One column's drift, and the dataset verdict — the entry points monitoring calls.
 *
 * columnDrift cleans both samples (missing values dropped and counted, see sample.ts), picks the method
 * (select.ts: Evidently's default rule unless one is given), computes it and returns the score, the
 * decision and the reference-vs-current buckets for plotting. Numeric samples are sorted once and
 * shared by every step; nothing allocates per element beyond that copy.
 */
import { InvalidParameterError } from '../../errors.js';
import type { BinMode, BinnedPair, PlotBins } from './bins.js';
import { categoryBins, discreteNumeric, fillZeroes, histogramSorted, numericBins, shares, sturgesEdges, toPlotBins } from './bins.js';
import { chiSquareDrift } from './chi2.js';
import { hellinger, jensenShannon, klDivergence, psi, wassersteinNormed } from './distances.js';
import { ks2sampSorted } from './ks.js';
import type { CategoricalInput, NumericInput } from './sample.js';
import { prepareCategorical, prepareNumeric, uniqueCountUnion } from './sample.js';
import type { ColumnKind, DriftMethod } from './select.js';
import { chooseMethod, isDrifted } from './select.js';
import { zTestDrift } from './ztest.js';

export interface ColumnDriftInput {
  kind: ColumnKind;
  reference: NumericInput | CategoricalInput;
  current: NumericInput | CategoricalInput;
  /** Evidently's method name; default: Evidently's rule (select.ts). */
  method?: DriftMethod;
  /** Default: the method's own (0.05 for p-value tests, 0.1 for distances). */
  threshold?: number;
  /** Default 'evidently' (reproduces Evidently); 'reference' fixes the buckets on the reference (bins.ts). */
  binMode?: BinMode;
}

export interface ColumnDriftSide extends PlotBins {
  /** Values used, after dropping missing ones. */
  rows: number;
  /** Null, NaN and ±Infinity values dropped before testing. */
  dropped: number;
}

export interface ColumnDriftResult {
  method: DriftMethod;
  method_label: string;
  score_type: 'p_value' | 'distance';
  /** The test statistic (KS D, χ², z) or, for distances, the distance itself. */
  statistic: number;
  /** null for distances. */
  p_value: number | null;
  threshold: number;
  drifted: boolean;
  bin_mode: BinMode;
  reference: ColumnDriftSide;
  current: ColumnDriftSide;
}

export function columnDrift(input: ColumnDriftInput): ColumnDriftResult {
  const { kind } = input;
  if (kind !== 'numerical' && kind !== 'categorical') {
    throw new InvalidParameterError('kind', `'kind' must be 'numerical' or 'categorical' (got ${String(kind)}).`);
  }
  const binMode = input.binMode ?? 'evidently';
  if (binMode !== 'evidently' && binMode !== 'reference') {
    throw new InvalidParameterError('binMode', `'binMode' must be 'evidently' or 'reference' (got ${String(binMode)}).`);
  }
  if (!isArrayLike(input.reference)) throw new InvalidParameterError('reference', "'reference' must be an array.");
  if (!isArrayLike(input.current)) throw new InvalidParameterError('current', "'current' must be an array.");
  const computed =
    kind === 'numerical'
      ? numericalDrift(input.reference as NumericInput, input.current as NumericInput, input.method, binMode)
      : categoricalDrift(input.reference as CategoricalInput, input.current as CategoricalInput, input.method, binMode);
  const { info, statistic, pValue, pair, dropped } = computed;
  const threshold = input.threshold ?? info.defaultThreshold;
  if (typeof threshold !== 'number' || !Number.isFinite(threshold)) {
    throw new InvalidParameterError('threshold', "'threshold' must be a finite number.");
  }
  const score = info.scoreType === 'p_value' ? pValue : statistic;
  const plot = toPlotBins(pair);
  return {
    method: info.name,
    method_label: info.label,
    score_type: info.scoreType,
    statistic,
    p_value: info.scoreType === 'p_value' ? pValue : null,
    threshold,
    drifted: isDrifted(info.name, score, threshold),
    bin_mode: binMode,
    reference: { rows: pair.nReference, dropped: dropped[0], ...plot.reference },
    current: { rows: pair.nCurrent, dropped: dropped[1], ...plot.current },
  };
}

interface Computed {
  info: ReturnType<typeof chooseMethod>;
  statistic: number;
  pValue: number;
  pair: BinnedPair;
  dropped: [number, number];
}

function numericalDrift(refIn: NumericInput, curIn: NumericInput, method: DriftMethod | undefined, binMode: BinMode): Computed {
  const r = prepareNumeric(refIn, 'reference');
  const c = prepareNumeric(curIn, 'current');
  const ref = r.sorted;
  const cur = c.sorted;
  const unique = uniqueCountUnion(ref, cur);
  const info = chooseMethod('numerical', ref.length, unique, method);
  const dropped: [number, number] = [r.dropped, c.dropped];
  // Plot buckets; also the test's buckets for the binned measures (Evidently's get_binned_data rule).
  const binned = () => numericBins(ref, cur, binMode);
  switch (info.name) {
    case 'ks': {
      const ks = ks2sampSorted(ref, cur);
      return { info, statistic: ks.statistic, pValue: ks.p_value, pair: binned(), dropped };
    }
    case 'wasserstein':
      return { info, statistic: wassersteinNormed(ref, cur), pValue: NaN, pair: binned(), dropped };
    case 'chisquare':
    case 'z': {
      // Both count each distinct value (Evidently's keys), whatever the number of values.
      const pair = discreteNumeric(ref, cur, binMode);
      return { info, ...pValueTest(info.name, pair), pair, dropped };
    }
    case 'hellinger': {
      // Evidently: Sturges bins over the *distinct* values of reference ∪ current (a count of `unique`).
      const pair = binMode === 'evidently' ? hellingerHistogram(ref, cur, unique) : binned();
      return { info, ...distance(info.name, pair), pair, dropped };
    }
    default: {
      const pair = binned();
      return { info, ...distance(info.name, pair), pair, dropped };
    }
  }
}

function categoricalDrift(refIn: CategoricalInput, curIn: CategoricalInput, method: DriftMethod | undefined, binMode: BinMode): Computed {
  const r = prepareCategorical(refIn, 'reference');
  const c = prepareCategorical(curIn, 'current');
  let unique = r.counts.size;
  for (const k of c.counts.keys()) if (!r.counts.has(k)) unique++;
  const info = chooseMethod('categorical', r.n, unique, method);
  const pair = categoryBins(r, c, binMode);
  const dropped: [number, number] = [r.dropped, c.dropped];
  if (info.name === 'chisquare' || info.name === 'z') return { info, ...pValueTest(info.name, pair), pair, dropped };
  return { info, ...distance(info.name, pair), pair, dropped };
}

function pValueTest(name: 'chisquare' | 'z', pair: BinnedPair): { statistic: number; pValue: number } {
  const res = name === 'chisquare' ? chiSquareDrift(pair.reference, pair.current) : zTestDrift(pair.reference, pair.current);
  return { statistic: res.statistic, pValue: res.p_value };
}

function distance(name: DriftMethod, pair: BinnedPair): { statistic: number; pValue: number } {
  const p = shares(pair.reference, pair.nReference);
  const q = shares(pair.current, pair.nCurrent);
  switch (name) {
    case 'jensenshannon':
      return { statistic: jensenShannon(p, q), pValue: NaN };
    case 'psi':
      return { statistic: psi(fillZeroes(p), fillZeroes(q)), pValue: NaN };
    case 'kl_div':
      return { statistic: klDivergence(fillZeroes(p), fillZeroes(q)), pValue: NaN };
    case 'hellinger':
      return { statistic: hellinger(p, q), pValue: NaN };
    default:
      throw new Error(`drift: ${name} is not a binned distance`);
  }
}

function hellingerHistogram(ref: Float64Array, cur: Float64Array, unique: number): BinnedPair {
  const min = Math.min(ref[0], cur[0]);
  const max = Math.max(ref[ref.length - 1], cur[cur.length - 1]);
  const edges = sturgesEdges(min, max, unique);
  return {
    edges,
    outer: false,
    unseen: false,
    reference: histogramSorted(ref, edges, false),
    current: histogramSorted(cur, edges, false),
    nReference: ref.length,
    nCurrent: cur.length,
  };
}

function isArrayLike(v: unknown): v is ArrayLike<unknown> {
  return Array.isArray(v) || ArrayBuffer.isView(v);
}

export interface DatasetDriftResult {
  dataset_drift: boolean;
  /** The threshold on the share of drifted columns (Evidently's drift_share). */
  drift_share: number;
  number_drifted: number;
  number_of_columns: number;
  share_drifted: number;
}

/** Evidently's get_dataset_drift: drift when the share of drifted columns is ≥ shareThreshold. */
export function datasetDrift(results: ReadonlyArray<{ drifted: boolean }>, shareThreshold = 0.5): DatasetDriftResult {
  if (!Array.isArray(results) || results.length === 0) {
    throw new InvalidParameterError('results', 'Dataset drift needs at least one column result.');
  }
  if (typeof shareThreshold !== 'number' || !(shareThreshold >= 0 && shareThreshold <= 1)) {
    throw new InvalidParameterError('shareThreshold', "'shareThreshold' must be a number between 0 and 1.");
  }
  const numberDrifted = results.reduce((n, r) => n + (r.drifted ? 1 : 0), 0);
  const share = numberDrifted / results.length;
  return {
    dataset_drift: share >= shareThreshold,
    drift_share: shareThreshold,
    number_drifted: numberDrifted,
    number_of_columns: results.length,
    share_drifted: share,
  };
}
