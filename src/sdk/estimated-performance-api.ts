/**
 * Estimated performance without labels (CBPE, binary classifiers): a deployment's predictions per window with the
 * metrics estimated from the model's own probabilities, their ±3·SE bands, and realized metrics beside them where
 * label feedback has joined. Reached as `ferry.monitoring.estimated(name, query)`. See docs/estimated-performance.md.
 */
import type { Static } from '@sinclair/typebox';
import * as C from '../contract/estimated-performance.js';
import type { HttpClient } from './http.js';

export type EstimatedPerformance = Static<typeof C.EstimatedPerformance>;
export type EstimatedPerformanceWindow = Static<typeof C.EstimatedWindow>;
export type EstimatedMetric = Static<typeof C.EstimatedMetric>;
export type EstimatedReference = Static<typeof C.EstimatedReference>;
export type EstimatedMetricName = (typeof C.ESTIMATED_METRICS)[number];

/** The query, camel-cased where the contract is not: from, to (ISO, epoch ms, or a duration ago), window, the reference. */
export interface EstimatedPerformanceQuery {
  from?: string | number;
  to?: string | number;
  /** Window length, e.g. "1h" (default 1h). */
  window?: string;
  /** The labelled reference NAME@VERSION (default: the serving version's training data, from lineage). */
  dataset?: string;
  /** Its label column (default: its one column that is not a model input). */
  label?: string;
  calibration?: (typeof C.CALIBRATIONS)[number];
  /** The outputs read as the predicted label and as class probabilities (defaults: the first that fit). */
  prediction?: string;
  probability?: string;
}

export const ESTIMATED_METRICS = C.ESTIMATED_METRICS;

export function estimatedPerformance(http: HttpClient, deployment: string, q: EstimatedPerformanceQuery = {}): Promise<EstimatedPerformance> {
  const query: Static<typeof C.EstimatedPerformanceQuery> = {};
  if (q.from !== undefined) query.from = String(q.from);
  if (q.to !== undefined) query.to = String(q.to);
  if (q.window !== undefined) query.window = q.window;
  if (q.dataset !== undefined) query.dataset = q.dataset;
  if (q.label !== undefined) query.label = q.label;
  if (q.calibration !== undefined) query.calibration = q.calibration;
  if (q.prediction !== undefined) query.prediction = q.prediction;
  if (q.probability !== undefined) query.probability = q.probability;
  return http.call(C.getEstimatedPerformance, { params: { name: deployment }, query });
}
