/**
 * Ferry extras, not in Fairlearn: seeded bootstrap intervals for a group metric and for its difference/ratio, and
 * the four-fifths heuristic. Nothing here changes a Fairlearn-convention value.
 */
import { InvalidParameterError } from '../../errors.js';
import { Rng } from '../sketch/rng.js';
import { quantileSorted } from '../gate/quantile.js';
import { type MetricFrameInput, type Method, METHODS, cellValues, disparities, groupLabel, prepare, sumCells } from './frame.js';
import { metricValue } from './metrics.js';

export interface Interval {
  estimate: number;
  lo: number;
  hi: number;
  /** Replicates in which the statistic was NaN (left out of the percentiles). */
  undefinedReplicates: number;
}

export interface BootstrapOptions {
  replicates?: number;
  seed?: number;
  /** Two-sided confidence level, default 0.95. */
  level?: number;
}

export interface BootstrapResult {
  metric: string;
  replicates: number;
  seed: number;
  level: number;
  overall: Interval;
  groups: (Interval & { label: string; n: number })[];
  difference: Record<Method, Interval>;
  ratio: Record<Method, Interval>;
}

export const DEFAULT_BOOTSTRAP_REPLICATES = 1000;
export const MAX_BOOTSTRAP_REPLICATES = 100_000;
export const DEFAULT_BOOTSTRAP_SEED = 42;

function interval(estimate: number, reps: number[], level: number): Interval {
  const ok = reps.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  const alpha = (1 - level) / 2;
  return {
    estimate,
    lo: ok.length ? quantileSorted(ok, alpha) : NaN,
    hi: ok.length ? quantileSorted(ok, 1 - alpha) : NaN,
    undefinedReplicates: reps.length - ok.length,
  };
}

/**
 * Percentile bootstrap, stratified by group: each replicate redraws every observed group's rows with replacement
 * (group sizes fixed, so no group vanishes from a replicate), then recomputes group values, the overall value and
 * difference/ratio by both methods. Same input and seed ⇒ same intervals.
 */
export function bootstrapFairness(input: MetricFrameInput, options: BootstrapOptions = {}): BootstrapResult {
  const replicates = options.replicates ?? DEFAULT_BOOTSTRAP_REPLICATES;
  if (!Number.isInteger(replicates) || replicates < 1 || replicates > MAX_BOOTSTRAP_REPLICATES) {
    throw new InvalidParameterError('replicates', `'replicates' must be an integer in [1, ${MAX_BOOTSTRAP_REPLICATES}].`);
  }
  const level = options.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw new InvalidParameterError('level', `'level' must lie strictly between 0 and 1.`);
  const seed = options.seed ?? DEFAULT_BOOTSTRAP_SEED;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new InvalidParameterError('seed', `'seed' must be an integer in [0, 2^32).`);
  }
  const p = prepare(input);
  const members: number[][] = p.cells.map(() => []);
  p.cellOf.forEach((c, i) => members[c].push(i));

  const base = sumCells(p);
  const baseValues = cellValues(p, base.cells);
  const baseOverall = metricValue(p.metric, base.all);
  const baseDisp = disparities(baseValues, baseOverall);

  const rng = new Rng(seed);
  const idx = new Int32Array(p.cellOf.length);
  const groupReps = p.cells.map(() => [] as number[]);
  const overallReps: number[] = [];
  const diffReps = { between_groups: [] as number[], to_overall: [] as number[] };
  const ratioReps = { between_groups: [] as number[], to_overall: [] as number[] };
  for (let b = 0; b < replicates; b++) {
    let k = 0;
    for (const rows of members) for (let j = 0; j < rows.length; j++) idx[k++] = rows[rng.nextInt(rows.length)];
    const { cells, all } = sumCells(p, idx);
    const values = cellValues(p, cells);
    const overall = metricValue(p.metric, all);
    values.forEach((v, c) => groupReps[c].push(v));
    overallReps.push(overall);
    const d = disparities(values, overall);
    for (const m of METHODS) {
      diffReps[m].push(d.difference[m]);
      ratioReps[m].push(d.ratio[m]);
    }
  }
  return {
    metric: p.metric,
    replicates,
    seed,
    level,
    overall: interval(baseOverall, overallReps, level),
    groups: p.cells.map((key, c) => ({
      label: groupLabel(key),
      n: members[c].length,
      ...interval(baseValues[c], groupReps[c], level),
    })),
    difference: {
      between_groups: interval(baseDisp.difference.between_groups, diffReps.between_groups, level),
      to_overall: interval(baseDisp.difference.to_overall, diffReps.to_overall, level),
    },
    ratio: {
      between_groups: interval(baseDisp.ratio.between_groups, ratioReps.between_groups, level),
      to_overall: interval(baseDisp.ratio.to_overall, ratioReps.to_overall, level),
    },
  };
}

export const FOUR_FIFTHS = 0.8;

export interface FourFifths {
  ratio: number;
  threshold: number;
  /** ratio < 0.8; false when the ratio is NaN (undefined: every group's selection rate is 0). */
  flagged: boolean;
  undefined: boolean;
  explanation: string;
}

/**
 * The "four-fifths rule" as what it is: a heuristic from US employment guidance (a selection rate below 4/5 of the
 * highest group's rate is taken as evidence of adverse impact). Given Fairlearn's demographic_parity_ratio
 * (between_groups: lowest selection rate / highest), flags < 0.8. Not a legal test and not a significance test.
 */
export function fourFifths(demographicParityRatio: number): FourFifths {
  if (typeof demographicParityRatio !== 'number') {
    throw new InvalidParameterError('demographic_parity_ratio', `'demographic_parity_ratio' must be a number.`);
  }
  const undef = Number.isNaN(demographicParityRatio);
  return {
    ratio: demographicParityRatio,
    threshold: FOUR_FIFTHS,
    flagged: !undef && demographicParityRatio < FOUR_FIFTHS,
    undefined: undef,
    explanation:
      'Four-fifths heuristic: the lowest group selection rate divided by the highest group selection rate ' +
      '(demographic parity ratio, between groups); below 0.8 is flagged for review. A rule of thumb, not a legal or statistical test.',
  };
}
