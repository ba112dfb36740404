/**
 * Confidence-based performance estimation (CBPE) for binary classifiers, as nannyml 0.13.1 does it: fitted once on
 * a labelled reference (calibration decision, isotonic calibrator, sampling-error components), then applied to
 * chunks that have no labels yet. The fitted estimator is plain JSON (a server stores it); every figure that is
 * NaN in nannyml is null here. See docs/estimated-performance.md.
 */
import { InvalidParameterError } from '../../errors.js';
import { Rng } from '../sketch/index.js';
import { calibrationDecision, stratifiedShuffleSplits } from './calibration.js';
import {
  estimateAccuracy,
  estimateAveragePrecision,
  estimateF1,
  estimatePrecision,
  estimateRecall,
  estimateRocAuc,
  estimateSpecificity,
  expectedConfusion,
  type ExpectedConfusion,
} from './estimate.js';
import { binary, optionalBinary, probability } from './inputs.js';
import { isotonicFit, isotonicPredict, type IsotonicFit } from './isotonic.js';
import { AucRefused } from './numeric.js';
import { realizedMetrics, type RealizedMetrics } from './realized.js';
import {
  AP_RESAMPLES,
  accuracyComponent,
  apComponentFromResamples,
  apSampleSize,
  apSamplingError,
  aurocComponent,
  f1Component,
  nullable,
  precisionComponent,
  recallComponent,
  specificityComponent,
  universalSamplingError,
  type Components,
} from './sampling-error.js';

export const CBPE_METRICS = ['roc_auc', 'f1', 'precision', 'recall', 'specificity', 'accuracy', 'average_precision'] as const;
export type CbpeMetric = (typeof CBPE_METRICS)[number];

/** 'auto': decide as nannyml does, on Ferry's seeded splits; 'isotonic' / 'none': the decision given. */
export type CbpeCalibration = 'auto' | 'isotonic' | 'none';

/** The band is the estimate ± 3 sampling errors (nannyml's SAMPLING_ERROR_RANGE), clipped to [0, 1]. */
export const CBPE_BAND_WIDTH = 3;

export interface CbpeReference {
  yTrue: ArrayLike<unknown>;
  yProba: ArrayLike<unknown>;
  yPred: ArrayLike<unknown>;
}

export interface CbpeFitOptions {
  calibration?: CbpeCalibration;
  /** Seeds the calibration splits ('auto') and the average-precision resamples. */
  seed?: number;
}

export interface CbpeFitted {
  kind: 'cbpe-binary';
  version: 1;
  calibration: {
    requested: CbpeCalibration;
    method: 'isotonic' | 'none';
    reason: string;
    eceBefore: number | null;
    eceAfter: number | null;
    referenceRocAuc: number | null;
    isotonic: IsotonicFit | null;
  };
  seed: number;
  reference: { rows: number; positives: number; predictedPositives: number; realized: Record<CbpeMetric, number | null> };
  components: Components;
}

export interface CbpeChunk {
  yProba: ArrayLike<unknown>;
  yPred: ArrayLike<unknown>;
  /** Labels where they have arrived (null where not); realized metrics use the labelled rows only. */
  yTrue?: ArrayLike<unknown>;
}

export interface CbpeMetricEstimate {
  value: number | null;
  samplingError: number | null;
  lower: number | null;
  upper: number | null;
  /** On the labelled rows; null without labels or where nannyml's realized value is NaN. */
  realized: number | null;
  /** True when the realized value lies outside [lower, upper]; null when either is missing. */
  realizedOutsideBand: boolean | null;
}

export interface CbpeEstimate {
  rows: number;
  labelled: number;
  calibrated: boolean;
  expectedConfusion: ExpectedConfusion;
  metrics: Record<CbpeMetric, CbpeMetricEstimate>;
}

function realizedRecord(r: RealizedMetrics): Record<CbpeMetric, number | null> {
  return Object.fromEntries(CBPE_METRICS.map((m) => [m, nullable(r[m])])) as Record<CbpeMetric, number | null>;
}

/** Fits CBPE on a labelled reference: ≥ 2 rows per the calibration bins, labels and predictions 0/1. */
export function cbpeFit(reference: CbpeReference, options: CbpeFitOptions = {}): CbpeFitted {
  const requested = options.calibration ?? 'auto';
  if (!['auto', 'isotonic', 'none'].includes(requested)) {
    throw new InvalidParameterError('calibration', "'calibration' must be one of auto, isotonic, none.");
  }
  const seed = options.seed ?? 42;
  if (!Number.isInteger(seed)) throw new InvalidParameterError('seed', "'seed' must be an integer.");
  const yTrue = binary('y_true', reference?.yTrue);
  const n = yTrue.length;
  if (n === 0) throw new InvalidParameterError('y_true', "'y_true' is empty: CBPE needs a labelled reference.");
  const yProba = probability('y_proba', reference.yProba, n);
  const yPred = binary('y_pred', reference.yPred, n);

  let decision: ReturnType<typeof calibrationDecision>;
  if (requested === 'auto') decision = calibrationDecision(yTrue, yProba, stratifiedShuffleSplits(yTrue, 10, 0.1, seed));
  else
    decision = {
      calibrate: requested === 'isotonic',
      reason:
        requested === 'isotonic'
          ? 'Isotonic calibration was asked for, so scores are calibrated on the reference.'
          : 'No calibration was asked for, so scores are used as they are.',
      eceBefore: null,
      eceAfter: null,
      referenceRocAuc: null,
    };

  const components: Components = {
    roc_auc: aurocComponent(yTrue, yProba),
    f1: f1Component(yTrue, yPred),
    precision: precisionComponent(yTrue, yPred),
    recall: recallComponent(yTrue, yPred),
    specificity: specificityComponent(yTrue, yPred),
    accuracy: accuracyComponent(yTrue, yPred),
    average_precision: apComponentFromResamples(yTrue, yProba, apResamples(n, seed)),
  };
  let positives = 0;
  let predictedPositives = 0;
  for (let i = 0; i < n; i++) {
    positives += yTrue[i];
    predictedPositives += yPred[i];
  }
  return {
    kind: 'cbpe-binary',
    version: 1,
    calibration: {
      requested,
      method: decision.calibrate ? 'isotonic' : 'none',
      reason: decision.reason,
      eceBefore: decision.eceBefore,
      eceAfter: decision.eceAfter,
      referenceRocAuc: decision.referenceRocAuc,
      isotonic: decision.calibrate ? isotonicFit(yProba, yTrue) : null,
    },
    seed,
    reference: { rows: n, positives, predictedPositives, realized: realizedRecord(realizedMetrics(yTrue, yPred, yProba)) },
    components,
  };
}

/** Ferry's seeded stand-in for nannyml's 50 unseeded `np.random.choice` resamples of half the reference. */
export function apResamples(n: number, seed: number): number[][] {
  const rng = new Rng(seed ^ 0x41502d53);
  const size = apSampleSize(n);
  return Array.from({ length: AP_RESAMPLES }, () => Array.from({ length: size }, () => rng.nextInt(n)));
}

function requireFitted(fitted: CbpeFitted): void {
  if (fitted?.kind !== 'cbpe-binary' || fitted.version !== 1 || typeof fitted.components !== 'object') {
    throw new InvalidParameterError('fitted', "'fitted' is not a CBPE estimator fitted by cbpeFit (version 1).");
  }
}

/** Applies the fitted calibrator (identity when none was chosen). */
export function cbpeCalibrate(fitted: CbpeFitted, yProba: ArrayLike<number>): Float64Array {
  const iso = fitted.calibration.isotonic;
  return iso ? isotonicPredict(iso, yProba) : Float64Array.from(yProba);
}

/** Estimates every metric of one chunk (at least one row), with its sampling error, band and realized value. */
export function cbpeEstimate(fitted: CbpeFitted, chunk: CbpeChunk): CbpeEstimate {
  requireFitted(fitted);
  const score = probability('y_proba', chunk?.yProba);
  const n = score.length;
  if (n === 0) throw new InvalidParameterError('y_proba', "'y_proba' is empty: a chunk needs at least one row.");
  const yPred = binary('y_pred', chunk.yPred, n);
  const labels = chunk.yTrue === undefined ? null : optionalBinary('y_true', chunk.yTrue, n);
  const c = cbpeCalibrate(fitted, score);
  const conf = expectedConfusion(yPred, c);

  const refused = new Set<CbpeMetric>();
  const guarded = (m: CbpeMetric, f: () => number): number => {
    try {
      return f();
    } catch (err) {
      if (!(err instanceof AucRefused)) throw err;
      refused.add(m);
      return NaN;
    }
  };
  const values: Record<CbpeMetric, number> = {
    roc_auc: guarded('roc_auc', () => estimateRocAuc(c, score)),
    f1: estimateF1(conf),
    precision: estimatePrecision(conf),
    recall: estimateRecall(conf),
    specificity: estimateSpecificity(conf),
    accuracy: estimateAccuracy(conf, n),
    average_precision: guarded('average_precision', () => estimateAveragePrecision(c, score)),
  };
  const k = fitted.components;
  const errors: Record<CbpeMetric, number> = {
    roc_auc: universalSamplingError(k.roc_auc, n),
    f1: universalSamplingError(k.f1, n),
    precision: universalSamplingError(k.precision, n),
    recall: universalSamplingError(k.recall, n),
    specificity: universalSamplingError(k.specificity, n),
    accuracy: universalSamplingError(k.accuracy, n),
    average_precision: apSamplingError(k.average_precision, n),
  };

  const lt: number[] = [];
  const lp: number[] = [];
  const ls: number[] = [];
  if (labels) {
    labels.forEach((y, i) => {
      if (y !== null) {
        lt.push(y);
        lp.push(yPred[i]);
        ls.push(score[i]);
      }
    });
  }
  const realized = realizedMetrics(lt, lp, ls);

  const metrics = {} as Record<CbpeMetric, CbpeMetricEstimate>;
  for (const m of CBPE_METRICS) {
    const value = values[m];
    // nannyml reports a metric whose estimate raised (sklearn's auc refusing a non-monotonic curve) as NaN throughout.
    const se = refused.has(m) ? NaN : errors[m];
    const real = refused.has(m) ? NaN : realized[m];
    const upper = Math.min(1, value + CBPE_BAND_WIDTH * se);
    const lower = Math.max(0, value - CBPE_BAND_WIDTH * se);
    const out: CbpeMetricEstimate = {
      value: nullable(value),
      samplingError: nullable(se),
      lower: nullable(lower),
      upper: nullable(upper),
      realized: nullable(real),
      realizedOutsideBand: null,
    };
    if (out.realized !== null && out.lower !== null && out.upper !== null) {
      out.realizedOutsideBand = out.realized < out.lower || out.realized > out.upper;
    }
    metrics[m] = out;
  }
  return {
    rows: n,
    labelled: lt.length,
    calibrated: fitted.calibration.method === 'isotonic',
    expectedConfusion: conf,
    metrics,
  };
}
