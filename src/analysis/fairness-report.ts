/**
 * A fairness report's numbers from scored rows (no I/O): per set of sensitive features, a MetricFrame per metric,
 * Fairlearn's parity metrics by both methods, the four-fifths heuristic, and (when asked) seeded bootstrap
 * intervals — all from src/stats/fairness, whose conventions are Fairlearn 0.15's. NaN becomes null here (JSON has
 * no NaN); a null value is what Fairlearn answers as NaN.
 */
import type { Static } from '@sinclair/typebox';
import type { FairnessAnalysis, FairnessFrame, FairnessInterval } from '../contract/fairness.js';
import { InvalidParameterError, isFerryError } from '../errors.js';
import {
  type FairnessBootstrapResult,
  type FairnessLabel,
  type FairnessMethod,
  type MetricFrameResult,
  type MetricName,
  bootstrapFairness,
  fourFifths,
  metricFrame,
} from '../stats/index.js';

export type AnalysisOut = Static<typeof FairnessAnalysis>;
type FrameOut = Static<typeof FairnessFrame>;
type IntervalOut = Static<typeof FairnessInterval>;

/** NaN (and ±∞, which no fairness value should be) as null. */
export const num = (x: number): number | null => (Number.isFinite(x) ? x : null);
const byMethod = (r: Record<FairnessMethod, number>) => ({ between_groups: num(r.between_groups), to_overall: num(r.to_overall) });

/** pandas min/max over the two parts of equalized odds: NaN skipped (Ferry's default, docs/fairness.md). */
export const nanMax2 = (a: number, b: number) => (Number.isNaN(a) ? b : Number.isNaN(b) ? a : Math.max(a, b));
export const nanMin2 = (a: number, b: number) => (Number.isNaN(a) ? b : Number.isNaN(b) ? a : Math.min(a, b));

export interface ScoredColumns {
  yTrue: FairnessLabel[];
  yPred: FairnessLabel[];
  sensitive: Record<string, FairnessLabel[]>;
  /** Each row's weight (Fairlearn's sample_weight); absent: every row weighs 1. */
  weights?: number[];
}

export interface BootstrapSpec {
  samples: number;
  seed: number;
  level: number;
}

/** Most row resamples one report may draw (samples × rows × frames): the work is done on the request. */
export const MAX_BOOTSTRAP_WORK = 400_000_000;

function interval(i: { estimate: number; lo: number; hi: number; undefinedReplicates: number }): IntervalOut {
  return { estimate: num(i.estimate), lo: num(i.lo), hi: num(i.hi), undefined_replicates: i.undefinedReplicates };
}

function frameOut(f: MetricFrameResult, b: FairnessBootstrapResult | null): FrameOut {
  return {
    metric: f.metric,
    overall: num(f.overall),
    n: f.n,
    groups: f.byGroup.map((g, i) => ({
      key: g.key,
      label: g.label,
      value: num(g.value),
      n: g.n,
      weight: g.weight,
      observed: g.observed,
      insufficient: g.insufficient,
      ...(b ? { interval: interval(b.groups[i]!) } : {}),
    })),
    group_min: num(f.groupMin),
    group_max: num(f.groupMax),
    difference: byMethod(f.difference),
    ratio: byMethod(f.ratio),
    insufficient_groups: f.insufficientGroups,
    ...(b
      ? {
          bootstrap: {
            replicates: b.replicates,
            seed: b.seed,
            level: b.level,
            overall: interval(b.overall),
            difference: { between_groups: interval(b.difference.between_groups), to_overall: interval(b.difference.to_overall) },
            ratio: { between_groups: interval(b.ratio.between_groups), to_overall: interval(b.ratio.to_overall) },
          },
        }
      : {}),
  };
}

export interface AnalyseOptions {
  metrics: MetricName[];
  posLabel: FairnessLabel | null;
  minGroupSize: number;
  bootstrap: BootstrapSpec | null;
}

/**
 * One analysis: the rows grouped by `features` (several: their intersections). Parity metrics are computed whatever
 * `metrics` lists (demographic parity from selection rates, equal opportunity from TPR, equalized odds from TPR and
 * FPR); when the labels are not binary the rate-based ones are null and `notes` says why.
 */
export function analyse(cols: ScoredColumns, features: string[], o: AnalyseOptions, notes: string[]): AnalysisOut {
  const sensitiveFeatures = features.map((name) => ({ name, values: cols.sensitive[name]! }));
  const input = (metric: MetricName) => ({
    metric,
    yTrue: cols.yTrue,
    yPred: cols.yPred,
    sensitiveFeatures,
    posLabel: o.posLabel,
    minGroupSize: o.minGroupSize,
    ...(cols.weights ? { sampleWeight: cols.weights } : {}),
  });
  const frames = new Map<MetricName, MetricFrameResult>();
  const frame = (m: MetricName) => frames.get(m) ?? frames.set(m, metricFrame(input(m))).get(m)!;
  const out: FrameOut[] = o.metrics.map((m) =>
    frameOut(frame(m), o.bootstrap ? bootstrapFairness(input(m), { replicates: o.bootstrap.samples, seed: o.bootstrap.seed, level: o.bootstrap.level }) : null),
  );

  const sel = frame('selection_rate');
  let tpr: MetricFrameResult | null = null;
  let fpr: MetricFrameResult | null = null;
  try {
    tpr = frame('true_positive_rate');
    fpr = frame('false_positive_rate');
  } catch (err) {
    if (!isFerryError(err) || err.status !== 400) throw err;
    notes.push(`Equal opportunity and equalized odds are not computed for ${features.join(' × ')}: ${err.message}`);
  }
  const nullPair = { between_groups: null, to_overall: null };
  const eo = (kind: 'difference' | 'ratio') => {
    if (!tpr || !fpr) return nullPair;
    const pick = kind === 'difference' ? nanMax2 : nanMin2;
    return {
      between_groups: num(pick(tpr[kind].between_groups, fpr[kind].between_groups)),
      to_overall: num(pick(tpr[kind].to_overall, fpr[kind].to_overall)),
    };
  };
  const ff = fourFifths(sel.ratio.between_groups);
  return {
    features,
    frames: out,
    parity: {
      demographic_parity_difference: byMethod(sel.difference),
      demographic_parity_ratio: byMethod(sel.ratio),
      equalized_odds_difference: eo('difference'),
      equalized_odds_ratio: eo('ratio'),
      equal_opportunity_difference: tpr ? byMethod(tpr.difference) : nullPair,
      equal_opportunity_ratio: tpr ? byMethod(tpr.ratio) : nullPair,
    },
    four_fifths: { ratio: num(ff.ratio), threshold: ff.threshold, flagged: ff.flagged, undefined: ff.undefined, explanation: ff.explanation },
    insufficient_groups: sel.insufficientGroups,
  };
}

/**
 * The report's analyses: all features together (their intersections) first, then each feature alone when there
 * are several. Refuses bootstrap work past MAX_BOOTSTRAP_WORK, naming `bootstrap.samples`.
 */
export function analyses(cols: ScoredColumns, features: string[], o: AnalyseOptions): { analyses: AnalysisOut[]; notes: string[] } {
  const sets = features.length > 1 ? [features, ...features.map((f) => [f])] : [features];
  if (o.bootstrap) {
    const work = o.bootstrap.samples * cols.yPred.length * o.metrics.length * sets.length;
    if (work > MAX_BOOTSTRAP_WORK) {
      const most = Math.max(1, Math.floor(MAX_BOOTSTRAP_WORK / (cols.yPred.length * o.metrics.length * sets.length)));
      throw new InvalidParameterError(
        'bootstrap.samples',
        `'bootstrap.samples' ${o.bootstrap.samples} is too many for ${cols.yPred.length} rows, ${o.metrics.length} metrics and ${sets.length} feature sets: at most ${most}.`,
      );
    }
  }
  const notes: string[] = [];
  return { analyses: sets.map((s) => analyse(cols, s, o, notes)), notes };
}
