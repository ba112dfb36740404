/**
 * The five metrics the bootstrap resamples, each prepared once from the rows so that a replicate costs O(n) and
 * allocates nothing. A replicate is given as multiplicities: counts[i] = how many times row i was drawn
 * (Σ counts = n); the full data is counts ≡ 1.
 *
 * - accuracy: mean of [prediction = label] (scikit-learn's accuracy_score).
 * - log_loss: binary, each model gives P(positive); per-row −log(clip(p_true, ε, 1 − ε)) with ε = 2⁻⁵² as
 *   scikit-learn 1.9's log_loss (src/stats/metrics/log-loss.ts).
 * - mae: mean |y − ŷ|; rmse: √(mean (y − ŷ)²) per model, then the difference of the two roots.
 * - roc_auc: P(score of a positive > score of a negative) with ties counted ½ (roc_auc_score), over the resample;
 *   undefined (null) when the resample holds one class only.
 *
 * For the mean metrics the replicate's difference is Σ counts[i]·(a_i − b_i) / n: the difference of the two
 * models' means on the resample.
 */
import { InvalidParameterError } from '../../errors.js';
import { type Label, type LabelInput, type NumberInput, checkLabelKinds } from '../metrics/labels.js';
import { rowLogLoss } from '../metrics/log-loss.js';
import { finiteColumn, labelColumn, positiveFlags, requirePairedRows } from './inputs.js';
import type { GateDirection } from './thresholds.js';

export type BootstrapMetric = 'accuracy' | 'log_loss' | 'mae' | 'rmse' | 'roc_auc';

export const BOOTSTRAP_METRICS: readonly BootstrapMetric[] = ['accuracy', 'log_loss', 'mae', 'rmse', 'roc_auc'];

export const METRIC_DIRECTION: Record<BootstrapMetric, GateDirection> = {
  accuracy: 'higher_is_better',
  log_loss: 'lower_is_better',
  mae: 'lower_is_better',
  rmse: 'lower_is_better',
  roc_auc: 'higher_is_better',
};

export const METRIC_NAME: Record<BootstrapMetric, string> = {
  accuracy: 'Accuracy',
  log_loss: 'Log loss',
  mae: 'Mean absolute error',
  rmse: 'RMSE',
  roc_auc: 'ROC AUC',
};

export interface PairedRows {
  /** Labels (accuracy, log_loss, roc_auc) or numeric targets (mae, rmse). */
  yTrue: LabelInput;
  /** Predicted labels (accuracy), P(positive) (log_loss), scores (roc_auc) or predictions (mae, rmse). */
  candidate: ArrayLike<Label>;
  champion: ArrayLike<Label>;
  positiveLabel?: Label;
}

/** A metric ready to be evaluated on any resample of the rows. */
export interface PreparedMetric {
  n: number;
  /** The two models' values on a resample; null when the metric is undefined there (AUC with one class). */
  values(counts: Uint32Array): [candidate: number, champion: number] | null;
  /** candidate − champion on a resample (the bootstrap's statistic); null when undefined. */
  difference(counts: Uint32Array): number | null;
}

function dot(counts: Uint32Array, x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += counts[i] * x[i];
  return s;
}

/** Mean-type metric: per-row values a (candidate) and b (champion). */
function meanMetric(a: Float64Array, b: Float64Array): PreparedMetric {
  const n = a.length;
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = a[i] - b[i];
  return {
    n,
    values: (counts) => [dot(counts, a) / n, dot(counts, b) / n],
    difference: (counts) => dot(counts, d) / n,
  };
}

function rmseMetric(a2: Float64Array, b2: Float64Array): PreparedMetric {
  const n = a2.length;
  const values = (counts: Uint32Array): [number, number] => [Math.sqrt(dot(counts, a2) / n), Math.sqrt(dot(counts, b2) / n)];
  return {
    n,
    values,
    difference: (counts) => {
      const [c, b] = values(counts);
      return c - b;
    },
  };
}

/** Rows sorted by descending score, cut into groups of equal scores (ties). */
interface TieGroups {
  order: Uint32Array;
  ends: Uint32Array;
}

function tieGroups(scores: Float64Array): TieGroups {
  const n = scores.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((x, y) => scores[y] - scores[x]);
  const ends: number[] = [];
  for (let k = 1; k <= n; k++) if (k === n || scores[order[k]] !== scores[order[k - 1]]) ends.push(k);
  return { order, ends: Uint32Array.from(ends) };
}

/** Weighted AUC: the pair counts of rocAucFromFlags with each row counted counts[i] times. */
function weightedAuc(g: TieGroups, positive: Uint8Array, counts: Uint32Array): number | null {
  const { order, ends } = g;
  let posAbove = 0;
  let negatives = 0;
  let area = 0; // pairs (positive above negative) + half the tied pairs: integers and halves, exact below 2⁵³
  let start = 0;
  for (let e = 0; e < ends.length; e++) {
    const end = ends[e];
    let pos = 0;
    let neg = 0;
    for (let k = start; k < end; k++) {
      const i = order[k];
      if (positive[i]) pos += counts[i];
      else neg += counts[i];
    }
    area += neg * (posAbove + pos / 2);
    posAbove += pos;
    negatives += neg;
    start = end;
  }
  if (posAbove === 0 || negatives === 0) return null;
  return area / (posAbove * negatives);
}

function aucMetric(positive: Uint8Array, candidate: Float64Array, champion: Float64Array): PreparedMetric {
  const gc = tieGroups(candidate);
  const gb = tieGroups(champion);
  const values = (counts: Uint32Array): [number, number] | null => {
    const c = weightedAuc(gc, positive, counts);
    if (c === null) return null;
    return [c, weightedAuc(gb, positive, counts) as number];
  };
  return {
    n: positive.length,
    values,
    difference: (counts) => {
      const v = values(counts);
      return v === null ? null : v[0] - v[1];
    },
  };
}

function probabilities(values: ArrayLike<Label>, field: string): Float64Array {
  const p = finiteColumn(values as NumberInput, field);
  for (let i = 0; i < p.length; i++) {
    if (p[i] < 0 || p[i] > 1) throw new InvalidParameterError(field, `'${field}' row ${i} has ${p[i]}: probabilities lie in [0, 1].`);
  }
  return p;
}

export function prepareMetric(metric: BootstrapMetric, rows: PairedRows): PreparedMetric {
  if (!BOOTSTRAP_METRICS.includes(metric)) {
    throw new InvalidParameterError('metric', `'metric' must be one of ${BOOTSTRAP_METRICS.join(', ')}, got ${String(metric)}.`);
  }
  const n = requirePairedRows(rows.yTrue, rows.candidate, rows.champion);
  switch (metric) {
    case 'accuracy': {
      const y = labelColumn(rows.yTrue, 'yTrue');
      const c = labelColumn(rows.candidate, 'candidate');
      const b = labelColumn(rows.champion, 'champion');
      // A prediction of another kind than the labels ('1' for 1) would silently count as wrong: refuse it.
      checkLabelKinds([y[0], ...c], 'candidate');
      checkLabelKinds([y[0], ...b], 'champion');
      const a = new Float64Array(n);
      const z = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        a[i] = c[i] === y[i] ? 1 : 0;
        z[i] = b[i] === y[i] ? 1 : 0;
      }
      return meanMetric(a, z);
    }
    case 'log_loss': {
      const positive = positiveFlags(labelColumn(rows.yTrue, 'yTrue'), rows.positiveLabel, true);
      const pc = probabilities(rows.candidate, 'candidate');
      const pb = probabilities(rows.champion, 'champion');
      const a = new Float64Array(n);
      const z = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        a[i] = rowLogLoss(positive[i] ? pc[i] : 1 - pc[i]);
        z[i] = rowLogLoss(positive[i] ? pb[i] : 1 - pb[i]);
      }
      return meanMetric(a, z);
    }
    case 'mae':
    case 'rmse': {
      const y = finiteColumn(rows.yTrue as NumberInput, 'yTrue');
      const c = finiteColumn(rows.candidate as NumberInput, 'candidate');
      const b = finiteColumn(rows.champion as NumberInput, 'champion');
      const a = new Float64Array(n);
      const z = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const ec = y[i] - c[i];
        const eb = y[i] - b[i];
        a[i] = metric === 'mae' ? Math.abs(ec) : ec * ec;
        z[i] = metric === 'mae' ? Math.abs(eb) : eb * eb;
      }
      return metric === 'mae' ? meanMetric(a, z) : rmseMetric(a, z);
    }
    case 'roc_auc': {
      const positive = positiveFlags(labelColumn(rows.yTrue, 'yTrue'), rows.positiveLabel, false);
      return aucMetric(positive, finiteColumn(rows.candidate as NumberInput, 'candidate'), finiteColumn(rows.champion as NumberInput, 'champion'));
    }
  }
}
