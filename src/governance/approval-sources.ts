/** The gate's fairness source: the fairness capability's check on the latest stored report (analysis/). */
import { fairnessCheck } from '../analysis/index.js';
import type { Store } from '../store/index.js';
import type { FairnessCheckFn } from './approval-facts.js';

export function fairnessFromReports(store: Store): FairnessCheckFn {
  return async (q) => {
    const r = await fairnessCheck(store, {
      model: q.model,
      version: q.version,
      feature: q.features,
      metric: q.metric,
      ...(q.min !== undefined ? { min: q.min } : {}),
      ...(q.max !== undefined ? { max: q.max } : {}),
      ...(q.method !== undefined ? { method: q.method } : {}),
    });
    return { passed: r.passed, reason: r.reason, evidence: { value: r.value, report_id: r.report_id, insufficient_groups: r.insufficient_groups } };
  };
}
