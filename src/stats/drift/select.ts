/**
 * Which drift test a column gets, and how its score is read — Evidently's DataDriftPreset rules
 * (legacy/calculations/stattests/registry.py `_get_default_stattest` and DataDriftOptions).
 *
 * Default, by the reference's row count (after dropping missing values) and the number of distinct
 * values in reference ∪ current:
 *   reference ≤ 1000 rows: numerical with > 5 values → "ks"; categorical, or numerical with ≤ 5 values →
 *     "chisquare" when > 2 values, else "z".
 *   reference > 1000 rows: numerical with > 5 values → "wasserstein"; otherwise "jensenshannon".
 */
import { InvalidParameterError } from '../../errors.js';

export type ColumnKind = 'numerical' | 'categorical';
export type DriftMethod = 'ks' | 'chisquare' | 'z' | 'wasserstein' | 'jensenshannon' | 'psi' | 'kl_div' | 'hellinger';

export interface DriftMethodInfo {
  name: DriftMethod;
  /** Evidently's display name. */
  label: string;
  /** Kinds an explicit choice may be used on (Evidently's allowed_feature_types). */
  kinds: readonly ColumnKind[];
  defaultThreshold: number;
  /** 'p_value': drift when p < threshold (≤ for ks); 'distance': drift when the score ≥ threshold. */
  scoreType: 'p_value' | 'distance';
}

const BOTH: readonly ColumnKind[] = ['numerical', 'categorical'];

export const DRIFT_METHODS: Readonly<Record<DriftMethod, DriftMethodInfo>> = {
  ks: { name: 'ks', label: 'K-S p_value', kinds: ['numerical'], defaultThreshold: 0.05, scoreType: 'p_value' },
  chisquare: {
    name: 'chisquare',
    label: 'chi-square p_value',
    kinds: ['categorical'],
    defaultThreshold: 0.05,
    scoreType: 'p_value',
  },
  z: { name: 'z', label: 'Z-test p_value', kinds: ['categorical'], defaultThreshold: 0.05, scoreType: 'p_value' },
  wasserstein: {
    name: 'wasserstein',
    label: 'Wasserstein distance (normed)',
    kinds: ['numerical'],
    defaultThreshold: 0.1,
    scoreType: 'distance',
  },
  jensenshannon: {
    name: 'jensenshannon',
    label: 'Jensen-Shannon distance',
    kinds: BOTH,
    defaultThreshold: 0.1,
    scoreType: 'distance',
  },
  psi: { name: 'psi', label: 'PSI', kinds: BOTH, defaultThreshold: 0.1, scoreType: 'distance' },
  kl_div: { name: 'kl_div', label: 'Kullback-Leibler divergence', kinds: BOTH, defaultThreshold: 0.1, scoreType: 'distance' },
  hellinger: { name: 'hellinger', label: 'Hellinger distance', kinds: BOTH, defaultThreshold: 0.1, scoreType: 'distance' },
};

/** Reference sizes above this switch from hypothesis tests to distances (tests flag tiny shifts at scale). */
export const SMALL_REFERENCE_MAX_ROWS = 1000;

export function isDriftMethod(name: unknown): name is DriftMethod {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(DRIFT_METHODS, name);
}

/** Evidently's _get_default_stattest. `uniqueValues` counts distinct values of reference ∪ current. */
export function defaultMethod(kind: ColumnKind, referenceRows: number, uniqueValues: number): DriftMethod {
  if (referenceRows <= SMALL_REFERENCE_MAX_ROWS) {
    if (kind === 'numerical' && uniqueValues > 5) return 'ks';
    return uniqueValues > 2 ? 'chisquare' : 'z';
  }
  return kind === 'numerical' && uniqueValues > 5 ? 'wasserstein' : 'jensenshannon';
}

/**
 * The method for one column: an explicit choice (checked against the column kind, as Evidently's
 * get_registered_stattest does) or the default rule.
 */
export function chooseMethod(kind: ColumnKind, referenceRows: number, uniqueValues: number, override?: DriftMethod | string): DriftMethodInfo {
  if (override === undefined || override === null) return DRIFT_METHODS[defaultMethod(kind, referenceRows, uniqueValues)];
  if (!isDriftMethod(override)) {
    throw new InvalidParameterError('method', `Unknown drift method '${String(override)}'. Available: ${Object.keys(DRIFT_METHODS).join(', ')}.`);
  }
  const info = DRIFT_METHODS[override];
  if (!info.kinds.includes(kind)) {
    throw new InvalidParameterError('method', `Drift method '${override}' does not apply to ${kind} columns (it applies to: ${info.kinds.join(', ')}).`);
  }
  return info;
}

/**
 * Drift decision. Evidently's ks compares p ≤ threshold; its other tests p < threshold; distances ≥.
 * A NaN score never counts as drift.
 */
export function isDrifted(method: DriftMethod, score: number, threshold: number): boolean {
  const info = DRIFT_METHODS[method];
  if (info.scoreType === 'distance') return score >= threshold;
  return method === 'ks' ? score <= threshold : score < threshold;
}

/** Per-dataset choices, with Evidently's precedence: per column, then per kind, then for all columns. */
export interface DriftOptions {
  method?: DriftMethod;
  numericalMethod?: DriftMethod;
  categoricalMethod?: DriftMethod;
  perColumnMethod?: Record<string, DriftMethod>;
  threshold?: number;
  numericalThreshold?: number;
  categoricalThreshold?: number;
  perColumnThreshold?: Record<string, number>;
}

export function methodOverride(options: DriftOptions, column: string, kind: ColumnKind): DriftMethod | undefined {
  const perKind = kind === 'numerical' ? options.numericalMethod : options.categoricalMethod;
  return own(options.perColumnMethod, column) ?? perKind ?? options.method;
}

export function thresholdOverride(options: DriftOptions, column: string, kind: ColumnKind): number | undefined {
  const perKind = kind === 'numerical' ? options.numericalThreshold : options.categoricalThreshold;
  return own(options.perColumnThreshold, column) ?? perKind ?? options.threshold;
}

function own<T>(map: Record<string, T> | undefined, key: string): T | undefined {
  return map && Object.prototype.hasOwnProperty.call(map, key) ? map[key] : undefined;
}
