/**
 * The fairness gate, for the approval gates and the loop: does the latest stored fairness report of a model version
 * have a parity metric within bounds for a sensitive feature (or a set of them, their intersections)? It reads the
 * stored report only — never recomputes silently — so the decision and its evidence (the report's id) agree; with
 * no report, the check fails and says so.
 */
import { PARITY_METRICS } from '../contract/fairness.js';
import { InvalidParameterError } from '../errors.js';
import type { Store } from '../store/index.js';
import { FairnessRepo } from './fairness-repo.js';
import type { AnalysisOut } from './fairness-report.js';

export type ParityMetric = (typeof PARITY_METRICS)[number];

export interface FairnessCheckInput {
  model: string;
  version: string;
  /** A sensitive feature, or several (their intersections, as the report grouped them). */
  feature: string | string[];
  metric: ParityMetric;
  /** Bounds on the value (between groups unless `method` says otherwise); at least one. */
  min?: number;
  max?: number;
  method?: 'between_groups' | 'to_overall';
}

export interface FairnessCheckResult {
  passed: boolean;
  /** The metric's value in the report; null when there is no report or the value is undefined (NaN). */
  value: number | null;
  /** One sentence: why it passed or failed. */
  reason: string;
  report_id: number | null;
  /** Groups of the analysis below the report's minimum group size (shown, not decisive). */
  insufficient_groups: string[];
}

const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));

export async function fairnessCheck(store: Store, q: FairnessCheckInput): Promise<FairnessCheckResult> {
  if (!(PARITY_METRICS as readonly string[]).includes(q.metric)) {
    throw new InvalidParameterError('metric', `'metric' must be one of ${PARITY_METRICS.join(', ')}.`);
  }
  if (q.min === undefined && q.max === undefined) throw new InvalidParameterError('min', "A fairness check needs 'min' or 'max'.");
  for (const [k, v] of [
    ['min', q.min],
    ['max', q.max],
  ] as const) {
    if (v !== undefined && !Number.isFinite(v)) throw new InvalidParameterError(k, `'${k}' must be a finite number.`);
  }
  const features = Array.isArray(q.feature) ? q.feature : [q.feature];
  const method = q.method ?? 'between_groups';
  const what = `${q.metric} (${method.replace('_', ' ')}) for ${features.join(' × ')} of ${q.model} version ${q.version}`;
  // The newest report that analysed these features (reports are append-only; ids grow with time).
  for (const r of await new FairnessRepo(store).list(q.model, q.version)) {
    const analyses = (JSON.parse(r.result) as { analyses: AnalysisOut[] }).analyses;
    const a = analyses.find((x) => sameSet(x.features, features));
    if (!a) continue;
    const value = a.parity[q.metric][method];
    const bounds = [q.min !== undefined ? `≥ ${q.min}` : null, q.max !== undefined ? `≤ ${q.max}` : null].filter(Boolean).join(' and ');
    const base = { value, report_id: r.id, insufficient_groups: a.insufficient_groups };
    const small = a.insufficient_groups.length ? ` (groups below the minimum size: ${a.insufficient_groups.join('; ')})` : '';
    if (value === null) {
      return {
        ...base,
        passed: false,
        reason: `${what} is undefined in fairness report ${r.id} (e.g. every group's rate is 0), so it cannot be shown to be ${bounds}${small}.`,
      };
    }
    const passed = (q.min === undefined || value >= q.min) && (q.max === undefined || value <= q.max);
    return {
      ...base,
      passed,
      reason: `${what} is ${value.toFixed(4)} in fairness report ${r.id} on ${r.dataset} version ${r.dataset_version}, ${passed ? 'within' : 'outside'} the bound ${bounds}${small}.`,
    };
  }
  return {
    passed: false,
    value: null,
    reason: `No stored fairness report of ${q.model} version ${q.version} analyses ${features.join(' × ')}; create one (POST /api/v1/models/${q.model}/versions/${q.version}/fairness) before this check can pass.`,
    report_id: null,
    insufficient_groups: [],
  };
}
