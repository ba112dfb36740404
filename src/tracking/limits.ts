/** MLflow's limits and name rules, which its clients assume (mlflow/utils/validation.py). */
import { InvalidParameterError } from '../errors.js';

export const LIMITS = {
  keyLength: 250,
  paramValueLength: 6000,
  tagValueLength: 8000,
  experimentTagValueLength: 20000,
  registryTagValueLength: 100_000,
  batchMetrics: 1000,
  batchParams: 100,
  batchTags: 100,
  batchEntities: 1000,
  batchRequestBytes: 1_000_000,
  searchMaxResults: 50000,
  searchDefaultResults: 1000,
  experimentNameLength: 500,
} as const;

// MLflow allows word characters (any script, as Python's \w), '-', '.', ' ', '/' and ':' in keys.
const VALID_KEY = /^[\p{L}\p{M}\p{N}\p{Pc}\-. /:]+$/u;

export function validateKey(key: string, field: string): void {
  if (key.length > LIMITS.keyLength) {
    throw new InvalidParameterError(field, `'${field}' '${key.slice(0, 40)}…' exceeds the maximum key length of ${LIMITS.keyLength}.`);
  }
  if (!VALID_KEY.test(key)) {
    throw new InvalidParameterError(
      field,
      `Invalid ${field} '${key}': names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colons (:) and slashes (/).`,
    );
  }
  // A key is also a path in some stores; '..' segments or a leading '/' would escape it.
  if (key.split('/').some((part) => part === '..' || part === '.') || key.startsWith('/')) {
    throw new InvalidParameterError(field, `Invalid ${field} '${key}': it must be a normalised relative path.`);
  }
}

export function validateValue(value: string, field: string, limit: number): void {
  if (value.length > limit) {
    throw new InvalidParameterError(field, `'${field}' exceeds the maximum length of ${limit} characters (got ${value.length}).`);
  }
}

/** Metric values arrive as JSON numbers or, for non-finite ones, as "NaN" / "Infinity" / "-Infinity". */
export function parseMetricValue(raw: unknown, field: string): number {
  if (typeof raw === 'number') return raw;
  if (typeof raw === 'string') {
    if (raw === 'NaN') return Number.NaN;
    if (raw === 'Infinity' || raw === 'inf') return Number.POSITIVE_INFINITY;
    if (raw === '-Infinity' || raw === '-inf') return Number.NEGATIVE_INFINITY;
    if (raw.trim() !== '' && !Number.isNaN(Number(raw))) return Number(raw);
  }
  throw new InvalidParameterError(field, `Invalid value for '${field}': expected a number, got ${JSON.stringify(raw)}.`);
}

/** How MLflow's JSON writes a double: non-finite values as strings. */
export function metricValueJson(value: number, isNan: number | boolean): number | 'NaN' | 'Infinity' | '-Infinity' {
  if (isNan) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return 'Infinity';
  if (value === Number.NEGATIVE_INFINITY) return '-Infinity';
  return value;
}

/** Experiment ids are 32-bit integers in the store; anything else cannot name an experiment. */
export function isExperimentId(raw: string): boolean {
  return /^\d{1,10}$/.test(raw) && Number(raw) <= 2_147_483_647;
}
