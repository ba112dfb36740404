/**
 * A Fairlearn MetricFrame equivalent: one metric per group of one or several sensitive features, the overall value,
 * group_min/group_max, and difference/ratio by both of Fairlearn's methods. Conventions (fairlearn 0.15
 * `_disaggregated_result.py`): groups are the sorted observed values of one feature; with several features, the full
 * Cartesian product of each feature's observed values, where a combination with no rows is NaN; min/max/difference/
 * ratio skip NaN (pandas) and are NaN when no group has a value; ratio between groups = min/max (0/0 = NaN), to the
 * overall = min over groups of m_g/overall, inverted when above 1, so a ratio is never above 1.
 */
import { InvalidParameterError } from '../../errors.js';
import { type Label, type Norm, labelColumn, norm, positiveLabel } from './labels.js';
import { LABEL_RULE, METRIC_NAMES, type MetricName, type Rows, type Sums, addRow, emptySums, metricValue } from './metrics.js';

export type Method = 'between_groups' | 'to_overall';
export const METHODS: readonly Method[] = ['between_groups', 'to_overall'];

/** A Ferry default, not Fairlearn's: groups with fewer rows are flagged `insufficient` (never dropped). */
export const DEFAULT_MIN_GROUP_SIZE = 30;

export interface SensitiveFeature {
  name: string;
  values: Label[];
}

export interface MetricFrameInput {
  metric: MetricName;
  /** Ignored by selection_rate (Fairlearn ignores it too), required by every other metric. */
  yTrue?: Label[];
  yPred: Label[];
  sensitiveFeatures: SensitiveFeature[];
  /** Non-negative finite weights, one per row; absent = all 1. */
  sampleWeight?: number[];
  /** Absent or null = the metric's default (Fairlearn's {0,1}/{−1,1} rule for the rates, 1 otherwise). */
  posLabel?: Label | null;
  /** Ferry extra: groups with fewer rows are marked insufficient. Default DEFAULT_MIN_GROUP_SIZE. */
  minGroupSize?: number;
}

export interface GroupResult {
  /** One value per sensitive feature, in the order of `features`. */
  key: Norm[];
  label: string;
  value: number;
  /** Rows in the group and their weight sum (0 for an unobserved combination). */
  n: number;
  weight: number;
  observed: boolean;
  /** Ferry extra: n < minGroupSize. The value is still reported and still counts in difference/ratio. */
  insufficient: boolean;
}

export interface MetricFrameResult {
  metric: MetricName;
  features: string[];
  posLabel: Norm | null;
  overall: number;
  n: number;
  weight: number;
  byGroup: GroupResult[];
  groupMin: number;
  groupMax: number;
  difference: Record<Method, number>;
  ratio: Record<Method, number>;
  minGroupSize: number;
  insufficientGroups: string[];
}

/** Rows flagged once, each row's cell (intersection) index, and the cells' keys. */
export interface Prepared {
  metric: MetricName;
  features: string[];
  posLabel: Norm | null;
  rows: Rows;
  cellOf: Int32Array;
  cells: Norm[][];
  minGroupSize: number;
}

const compareValues = (a: Norm, b: Norm): number => {
  if (typeof a !== typeof b) return typeof a === 'number' ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
};

export function prepare(input: MetricFrameInput): Prepared {
  if (!(METRIC_NAMES as readonly string[]).includes(input.metric)) {
    throw new InvalidParameterError('metric', `'metric' must be one of ${METRIC_NAMES.join(', ')}.`);
  }
  const yPred = labelColumn('y_pred', input.yPred);
  const n = yPred.length;
  if (n === 0) throw new InvalidParameterError('y_pred', `'y_pred' is empty.`);
  const rule = LABEL_RULE[input.metric];
  let yTrue: Norm[];
  if (input.yTrue === undefined) {
    if (rule !== 'select') throw new InvalidParameterError('y_true', `'y_true' is required for ${input.metric}.`);
    yTrue = yPred;
  } else yTrue = labelColumn('y_true', input.yTrue, n);

  const weight = new Float64Array(n);
  if (input.sampleWeight === undefined) weight.fill(1);
  else {
    if (!Array.isArray(input.sampleWeight) || input.sampleWeight.length !== n) {
      throw new InvalidParameterError('sample_weight', `'sample_weight' must be an array of ${n} numbers.`);
    }
    input.sampleWeight.forEach((w, i) => {
      if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) {
        throw new InvalidParameterError('sample_weight', `'sample_weight[${i}]' must be a finite number ≥ 0.`);
      }
      weight[i] = w;
    });
  }

  const given = input.posLabel === undefined || input.posLabel === null ? null : norm(input.posLabel);
  let pos: Norm | null;
  if (rule === 'fairlearn') pos = positiveLabel(yTrue, yPred, given);
  else if (rule === 'sklearn') pos = positiveLabel(yTrue, yPred, given ?? 1);
  else if (rule === 'select') pos = given ?? 1;
  else pos = null;

  const rows: Rows = {
    posTrue: new Uint8Array(n),
    posPred: new Uint8Array(n),
    correct: new Uint8Array(n),
    weight,
  };
  for (let i = 0; i < n; i++) {
    rows.posTrue[i] = yTrue[i] === pos ? 1 : 0;
    rows.posPred[i] = yPred[i] === pos ? 1 : 0;
    rows.correct[i] = yTrue[i] === yPred[i] ? 1 : 0;
  }

  const feats = input.sensitiveFeatures;
  if (!Array.isArray(feats) || feats.length === 0) {
    throw new InvalidParameterError('sensitive_features', `'sensitive_features' must name at least one feature.`);
  }
  const names = new Set<string>();
  const columns = feats.map((f, k) => {
    const field = `sensitive_features[${k}]`;
    if (typeof f?.name !== 'string' || f.name === '') throw new InvalidParameterError(`${field}.name`, `'${field}.name' must be a non-empty string.`);
    if (names.has(f.name)) throw new InvalidParameterError(`${field}.name`, `'${field}.name' repeats '${f.name}'.`);
    names.add(f.name);
    // Fairlearn refuses missing sensitive values (pandas would silently drop the rows from every group).
    return labelColumn(`sensitive_features.${f.name}`, f.values, n);
  });
  const levels = columns.map((col) => [...new Set(col)].sort(compareValues));
  const indexOf = levels.map((lv) => new Map(lv.map((v, j) => [v, j])));
  const cellOf = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let c = 0;
    for (let k = 0; k < columns.length; k++) c = c * levels[k].length + indexOf[k].get(columns[k][i])!;
    cellOf[i] = c;
  }
  // Mixed-radix enumeration in the same order as pandas' MultiIndex.from_product (last feature fastest).
  let cells: Norm[][] = [[]];
  for (const lv of levels) cells = cells.flatMap((prefix) => lv.map((v) => [...prefix, v]));

  const minGroupSize = input.minGroupSize ?? DEFAULT_MIN_GROUP_SIZE;
  if (!Number.isInteger(minGroupSize) || minGroupSize < 0) {
    throw new InvalidParameterError('min_group_size', `'min_group_size' must be an integer ≥ 0.`);
  }
  return { metric: input.metric, features: feats.map((f) => f.name), posLabel: pos, rows, cellOf, cells, minGroupSize };
}

/** pandas min/max: NaN skipped; NaN when every value is NaN. */
export function nanMin(xs: number[]): number {
  let m = NaN;
  for (const x of xs) if (!Number.isNaN(x) && !(x >= m)) m = x;
  return m;
}
export function nanMax(xs: number[]): number {
  let m = NaN;
  for (const x of xs) if (!Number.isNaN(x) && !(x <= m)) m = x;
  return m;
}

/** Fairlearn's difference and ratio of per-group values against the overall value. */
export function disparities(values: number[], overall: number) {
  const groupMin = nanMin(values);
  const groupMax = nanMax(values);
  const difference: Record<Method, number> = {
    between_groups: nanMax(values.map((v) => Math.abs(v - groupMin))),
    to_overall: nanMax(values.map((v) => Math.abs(v - overall))),
  };
  const ratio: Record<Method, number> = {
    between_groups: groupMin / groupMax,
    to_overall: nanMin(
      values.map((v) => {
        const r = v / overall;
        return r > 1 ? 1 / r : r;
      }),
    ),
  };
  return { groupMin, groupMax, difference, ratio };
}

/** Sums per cell and overall for the given rows (all rows when `indices` is absent). */
export function sumCells(p: Prepared, indices?: ArrayLike<number>): { cells: Sums[]; all: Sums } {
  const cells = p.cells.map(emptySums);
  const all = emptySums();
  const m = indices ? indices.length : p.cellOf.length;
  for (let j = 0; j < m; j++) {
    const i = indices ? indices[j] : j;
    addRow(cells[p.cellOf[i]], p.rows, i);
    addRow(all, p.rows, i);
  }
  return { cells, all };
}

export function cellValues(p: Prepared, cells: Sums[]): number[] {
  return cells.map((s) => (s.n === 0 ? NaN : metricValue(p.metric, s)));
}

export function groupLabel(key: Norm[]): string {
  return key.map(String).join(', ');
}

export function frameOf(p: Prepared): MetricFrameResult {
  const { cells, all } = sumCells(p);
  const values = cellValues(p, cells);
  const overall = metricValue(p.metric, all);
  const byGroup = p.cells.map((key, c) => ({
    key,
    label: groupLabel(key),
    value: values[c],
    n: cells[c].n,
    weight: cells[c].w,
    observed: cells[c].n > 0,
    insufficient: cells[c].n < p.minGroupSize,
  }));
  return {
    metric: p.metric,
    features: p.features,
    posLabel: p.posLabel,
    overall,
    n: all.n,
    weight: all.w,
    byGroup,
    ...disparities(values, overall),
    minGroupSize: p.minGroupSize,
    insufficientGroups: byGroup.filter((g) => g.insufficient).map((g) => g.label),
  };
}

/** MetricFrame: the metric by group, overall, group_min/max, difference and ratio by both methods. */
export function metricFrame(input: MetricFrameInput): MetricFrameResult {
  return frameOf(prepare(input));
}
