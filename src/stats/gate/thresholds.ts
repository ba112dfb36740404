/**
 * TFX-style metric thresholds (tensorflow_model_analysis `GenericValueThreshold` / `GenericChangeThreshold`,
 * as `evaluators/metrics_validator.py` checks them):
 *
 * - value: lower ≤ candidate ≤ upper, both bounds inclusive, an unset bound is ∓∞;
 * - change: delta = candidate − baseline, ratio = delta / baseline. higher_is_better passes when
 *   delta ≥ absolute and ratio ≥ relative; lower_is_better when delta ≤ absolute and ratio ≤ relative. So with
 *   higher_is_better a negative absolute limits regression (AUC `absolute: -1e-10` = "not lower") and a
 *   positive one requires improvement; lower_is_better mirrors it. An unset absolute or relative is not checked.
 * - A relative threshold against a baseline of exactly 0 fails (TFMA computes ratio = NaN, which fails every
 *   comparison); here it fails with its own reason and the ratio is null, never NaN.
 * - No baseline (the first model): change thresholds are skipped, as TFX does on its first run, but the outcome
 *   says so (`no_baseline_pass` / `no_baseline_fail`) instead of a silent blessing.
 */
import { InvalidParameterError } from '../../errors.js';
import { formatChange, formatNumber } from './format.js';

export type GateDirection = 'higher_is_better' | 'lower_is_better';

export interface ValueThreshold {
  lower?: number;
  upper?: number;
}

export interface ChangeThreshold {
  absolute?: number;
  relative?: number;
  direction: GateDirection;
}

export interface MetricThreshold {
  value?: ValueThreshold;
  change?: ChangeThreshold;
}

export interface ThresholdInput {
  candidate: number;
  /** The champion's value of the same metric on the same data; null when there is no champion yet. */
  baseline: number | null;
  threshold: MetricThreshold;
  /** The metric's name, for the sentence only. */
  metric?: string;
}

export type ThresholdOutcome = 'pass' | 'fail' | 'no_baseline_pass' | 'no_baseline_fail';

export type ThresholdCheckKind = 'value_lower' | 'value_upper' | 'change_absolute' | 'change_relative';

/** One bound, with the number it was compared with. */
export interface ThresholdCheck {
  kind: ThresholdCheckKind;
  /** The bound: lower/upper for value checks, absolute/relative for change checks. */
  bound: number;
  /** The number compared with the bound: the candidate's value, delta, or ratio (null when undefined). */
  actual: number | null;
  /** '>=' or '<=': how actual must compare with bound to pass. */
  comparison: '>=' | '<=';
  passed: boolean;
  /** Set when the check could not be evaluated (a relative change against a baseline of 0). */
  note?: string;
}

export interface ThresholdResult {
  outcome: ThresholdOutcome;
  candidate: number;
  baseline: number | null;
  /** candidate − baseline; null without a baseline. */
  delta: number | null;
  /** delta / baseline; null without a baseline or when the baseline is 0. */
  ratio: number | null;
  checks: ThresholdCheck[];
  /** Change thresholds that were configured but not evaluated because there is no baseline. */
  skipped: ThresholdCheckKind[];
  reason: string;
}

function optionalFinite(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new InvalidParameterError(field, `'${field}' must be a finite number, got ${String(value)}.`);
  }
  return value;
}

function checkInput(input: ThresholdInput): void {
  if (typeof input.candidate !== 'number' || !Number.isFinite(input.candidate)) {
    throw new InvalidParameterError('candidate', `'candidate' must be a finite number, got ${String(input.candidate)}.`);
  }
  if (input.baseline !== null && (typeof input.baseline !== 'number' || !Number.isFinite(input.baseline))) {
    throw new InvalidParameterError('baseline', `'baseline' must be a finite number or null, got ${String(input.baseline)}.`);
  }
  const t = input.threshold;
  if (t === null || typeof t !== 'object') throw new InvalidParameterError('threshold', "'threshold' must be an object.");
  const lower = optionalFinite(t.value?.lower, 'threshold.value.lower');
  const upper = optionalFinite(t.value?.upper, 'threshold.value.upper');
  if (lower !== undefined && upper !== undefined && lower > upper) {
    throw new InvalidParameterError('threshold.value', `'threshold.value' has lower ${lower} above upper ${upper}: no value could pass.`);
  }
  if (t.change) {
    optionalFinite(t.change.absolute, 'threshold.change.absolute');
    optionalFinite(t.change.relative, 'threshold.change.relative');
    if (t.change.direction !== 'higher_is_better' && t.change.direction !== 'lower_is_better') {
      throw new InvalidParameterError(
        'threshold.change.direction',
        `'threshold.change.direction' must be 'higher_is_better' or 'lower_is_better', got ${String(t.change.direction)}.`,
      );
    }
  }
}

const CHECK_NAME: Record<ThresholdCheckKind, string> = {
  value_lower: 'lower bound',
  value_upper: 'upper bound',
  change_absolute: 'absolute change',
  change_relative: 'relative change',
};

function describeFailure(c: ThresholdCheck): string {
  if (c.note) return c.note;
  const what = c.kind === 'change_absolute' ? 'change' : c.kind === 'change_relative' ? 'relative change' : 'value';
  const shown = c.kind.startsWith('change') ? formatChange(c.actual as number) : formatNumber(c.actual as number);
  const need = c.comparison === '>=' ? 'at least' : 'at most';
  return `${what} ${shown} is not ${need} ${c.kind.startsWith('change') ? formatChange(c.bound) : formatNumber(c.bound)} (${CHECK_NAME[c.kind]})`;
}

/** Judges one metric's candidate value against its thresholds (and the champion's value when there is one). */
export function checkThreshold(input: ThresholdInput): ThresholdResult {
  checkInput(input);
  const { candidate, baseline, threshold } = input;
  const checks: ThresholdCheck[] = [];
  const skipped: ThresholdCheckKind[] = [];
  const v = threshold.value ?? {};
  if (v.lower !== undefined && v.lower !== null) {
    checks.push({ kind: 'value_lower', bound: v.lower, actual: candidate, comparison: '>=', passed: candidate >= v.lower });
  }
  if (v.upper !== undefined && v.upper !== null) {
    checks.push({ kind: 'value_upper', bound: v.upper, actual: candidate, comparison: '<=', passed: candidate <= v.upper });
  }
  const delta = baseline === null ? null : candidate - baseline;
  const ratio = baseline === null || baseline === 0 ? null : (delta as number) / baseline;
  const change = threshold.change;
  if (change) {
    const cmp = change.direction === 'higher_is_better' ? '>=' : '<=';
    const ok = (x: number, bound: number) => (cmp === '>=' ? x >= bound : x <= bound);
    const hasAbsolute = change.absolute !== undefined && change.absolute !== null;
    const hasRelative = change.relative !== undefined && change.relative !== null;
    if (delta === null) {
      if (hasAbsolute) skipped.push('change_absolute');
      if (hasRelative) skipped.push('change_relative');
    } else {
      if (hasAbsolute) {
        const bound = change.absolute as number;
        checks.push({ kind: 'change_absolute', bound, actual: delta, comparison: cmp, passed: ok(delta, bound) });
      }
      if (hasRelative) {
        const bound = change.relative as number;
        if (ratio === null) {
          checks.push({
            kind: 'change_relative',
            bound,
            actual: null,
            comparison: cmp,
            passed: false,
            note: 'the champion’s value is 0, so a relative change is undefined and the relative threshold fails',
          });
        } else {
          checks.push({ kind: 'change_relative', bound, actual: ratio, comparison: cmp, passed: ok(ratio, bound) });
        }
      }
    }
  }
  const failed = checks.filter((c) => !c.passed);
  const passed = failed.length === 0;
  const outcome: ThresholdOutcome = baseline === null ? (passed ? 'no_baseline_pass' : 'no_baseline_fail') : passed ? 'pass' : 'fail';
  return { outcome, candidate, baseline, delta, ratio, checks, skipped, reason: sentence(input, checks, failed, skipped, delta) };
}

function sentence(input: ThresholdInput, checks: ThresholdCheck[], failed: ThresholdCheck[], skipped: ThresholdCheckKind[], delta: number | null): string {
  const name = input.metric ?? 'The metric';
  const head =
    input.baseline === null
      ? `${name} ${formatNumber(input.candidate)} (no champion to compare with`
      : `${name} ${formatNumber(input.candidate)} vs champion ${formatNumber(input.baseline)} (change ${formatChange(delta as number)}`;
  const noBaseline =
    input.baseline === null ? (skipped.length > 0 ? ': change thresholds skipped, judged by value bounds only' : ': judged by value bounds only') : '';
  if (failed.length > 0) return `${head}${noBaseline}): fails — ${failed.map(describeFailure).join('; ')}.`;
  if (checks.length === 0) return `${head}${noBaseline}): passes — no threshold applies.`;
  return `${head}${noBaseline}): passes ${checks.length === 1 ? 'its threshold' : `all ${checks.length} thresholds`}.`;
}
