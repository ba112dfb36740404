/**
 * An alert rule as users write it, validated field by field (every error names its field), and the
 * comparison it applies. Rules may name deployments that do not exist yet: they can be written before the
 * deployment (infrastructure as code) and simply see no data until it serves.
 */
import { InvalidParameterError } from '../errors.js';
import type { AlertRuleInput } from '../contract/alerts.js';
import type { Static } from '@sinclair/typebox';
import { durationField } from '../fields.js';
import { ALERT_COMPARISONS as COMPARISONS, ALERT_SEVERITIES as SEVERITIES, FEATURE_METRICS, PLAIN_METRICS } from '../contract/alerts.js';

export { ALERT_COMPARISONS as COMPARISONS, ALERT_SEVERITIES as SEVERITIES, PLAIN_METRICS, FEATURE_METRICS } from '../contract/alerts.js';
export type Comparison = (typeof COMPARISONS)[number];
export type Severity = (typeof SEVERITIES)[number];

export interface RuleSpec {
  name: string;
  deployment: string;
  metric: string;
  comparison: Comparison;
  threshold: number;
  window_ms: number;
  for_ms: number;
  keep_firing_for_ms: number;
  severity: Severity;
  labels: Record<string, string>;
  enabled: boolean;
}

const RULE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;
const DEPLOYMENT_NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
const MAX_LABELS = 32;

export const DEFAULT_WINDOW = '5m';

export function validateMetric(raw: unknown, field = 'metric'): string {
  if (typeof raw !== 'string' || raw === '') throw new InvalidParameterError(field, `Missing value for required parameter '${field}'.`);
  if ((PLAIN_METRICS as readonly string[]).includes(raw)) return raw;
  const i = raw.indexOf(':');
  const prefix = i < 0 ? raw : raw.slice(0, i);
  if ((FEATURE_METRICS as readonly string[]).includes(prefix)) {
    const feature = i < 0 ? '' : raw.slice(i + 1);
    // eslint-disable-next-line no-control-regex
    if (feature === '' || feature.length > 256 || /[\u0000-\u001f]/.test(feature)) {
      throw new InvalidParameterError(field, `'${field}' ${prefix} needs a feature name: ${prefix}:<feature>.`);
    }
    return raw;
  }
  throw new InvalidParameterError(
    field,
    `Unknown ${field} '${raw}': use one of ${PLAIN_METRICS.join(', ')}, or ${FEATURE_METRICS.map((m) => `${m}:<feature>`).join(', ')}.`,
  );
}

function oneOf<T extends string>(raw: unknown, field: string, allowed: readonly T[], fallback?: T): T {
  if ((raw === undefined || raw === null) && fallback !== undefined) return fallback;
  if (typeof raw === 'string' && (allowed as readonly string[]).includes(raw)) return raw as T;
  throw new InvalidParameterError(field, `Invalid ${field} ${JSON.stringify(raw ?? null)}: use one of ${allowed.join(' ')}.`);
}

function finiteNumber(raw: unknown, field: string): number {
  const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  if (typeof n !== 'number' || !Number.isFinite(n))
    throw new InvalidParameterError(field, `'${field}' must be a finite number, got ${JSON.stringify(raw ?? null)}.`);
  return n;
}

export function validateLabels(raw: unknown, field = 'labels'): Record<string, string> {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new InvalidParameterError(field, `'${field}' must be an object of string values.`);
  const entries = Object.entries(raw as Record<string, unknown>);
  if (entries.length > MAX_LABELS) throw new InvalidParameterError(field, `'${field}' has more than ${MAX_LABELS} entries.`);
  const out: Record<string, string> = {};
  for (const [k, v] of entries) {
    if (!LABEL_NAME.test(k)) throw new InvalidParameterError(`${field}.${k}`, `Invalid label name '${k}': letters, digits and _, not starting with a digit.`);
    if (typeof v !== 'string' || v.length > 1024) throw new InvalidParameterError(`${field}.${k}`, `Label '${k}' must be a string of at most 1024 characters.`);
    out[k] = v;
  }
  return out;
}

function bool(raw: unknown, field: string, fallback: boolean): boolean {
  if (raw === undefined || raw === null) return fallback;
  if (raw === true || raw === 'true') return true;
  if (raw === false || raw === 'false') return false;
  throw new InvalidParameterError(field, `'${field}' must be true or false.`);
}

function text(raw: unknown, field: string, pattern: RegExp, hint: string): string {
  if (raw === undefined || raw === null || raw === '') throw new InvalidParameterError(field, `Missing value for required parameter '${field}'.`);
  if (typeof raw !== 'string' || !pattern.test(raw)) throw new InvalidParameterError(field, `Invalid ${field} ${JSON.stringify(raw)}: ${hint}.`);
  return raw;
}

/** A rule as the API takes it. */
export type RuleInput = Static<typeof AlertRuleInput>;

/**
 * Validates a whole rule (what the schema cannot say: metric names, label names, durations above 0). Its input
 * is checked again here, so a rule from anywhere (a file, a test) gets the same errors, each naming its field.
 * Optional fields get defaults: window 5m, for 0s, keep_firing_for 0s, severity warning.
 */
export function parseRuleSpec(f: Partial<Record<keyof RuleInput, unknown>>): RuleSpec {
  return {
    name: text(f['name'], 'name', RULE_NAME, 'use letters, digits and _ . : -, at most 128 characters'),
    deployment: text(f['deployment'], 'deployment', DEPLOYMENT_NAME, 'use lowercase letters, digits and -, at most 63 characters'),
    metric: validateMetric(f['metric']),
    comparison: oneOf(f['comparison'], 'comparison', COMPARISONS),
    threshold:
      f['threshold'] === undefined || f['threshold'] === null
        ? (() => {
            throw new InvalidParameterError('threshold', "Missing value for required parameter 'threshold'.");
          })()
        : finiteNumber(f['threshold'], 'threshold'),
    window_ms: durationField(f['window'] ?? DEFAULT_WINDOW, 'window'),
    for_ms: durationField(f['for'] ?? '0s', 'for', { allowZero: true }),
    keep_firing_for_ms: durationField(f['keep_firing_for'] ?? '0s', 'keep_firing_for', { allowZero: true }),
    severity: oneOf(f['severity'], 'severity', SEVERITIES, 'warning'),
    labels: validateLabels(f['labels']),
    enabled: bool(f['enabled'], 'enabled', true),
  };
}

/** Whether `value comparison threshold` holds. */
export function compare(value: number, comparison: Comparison, threshold: number): boolean {
  switch (comparison) {
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
    case '==':
      return value === threshold;
    case '!=':
      return value !== threshold;
  }
}

/**
 * The condition of a rule for one value. No data (null) and NaN make it false: an alert never fires, and a
 * firing alert resolves (after keep_firing_for), when the metric cannot be computed.
 */
export function conditionHolds(value: number | null, comparison: Comparison, threshold: number): boolean {
  return value !== null && !Number.isNaN(value) && compare(value, comparison, threshold);
}
