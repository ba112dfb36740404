/**
 * HTTP surface of monitoring: references, drift, quality and live performance here, then the prediction log's
 * own routes (settings, query, export, feedback).
 */
import { type ApiRoute, route } from '../api-route.js';
import * as C from '../contract/monitoring.js';
import { type MonitoringService, predictionLogRoutes } from '../prediction-log/index.js';
import type { DriftMethod } from '../stats/index.js';
import type { DriftService } from './drift-service.js';

/** `age:psi,income:ks` (the contract's pattern) → per-feature drift tests. */
function methodsOf(method: string | undefined): Record<string, DriftMethod> | undefined {
  if (!method) return undefined;
  return Object.fromEntries(
    method.split(',').map((pair) => {
      const i = pair.lastIndexOf(':');
      return [pair.slice(0, i).trim(), pair.slice(i + 1).trim() as DriftMethod];
    }),
  );
}

export function monitoringRoutes(svc: MonitoringService, drift: DriftService): ApiRoute[] {
  return [
    route(C.putReference, async ({ params, query, body }, ctx) => {
      // A text/csv or JSON Lines body reaches here as {file_format, file_text} (parseTableBody).
      const table = body.file_text !== undefined ? { format: body.file_format ?? 'jsonl', text: body.file_text } : undefined;
      const input = {
        table,
        from: body.from,
        to: body.to,
        dataset: body.dataset,
        trainingData: body.training_data,
        predictionColumn: query.prediction_column ?? body.prediction_column,
      };
      return { reference: await drift.putReference(params.name, input, ctx.principal.name) };
    }),
    route(C.getReference, async ({ params }) => ({ reference: await drift.describeReference(params.name) })),
    route(C.getDrift, async ({ params, query }) =>
      drift.drift(params.name, {
        from: query.from,
        to: query.to,
        modelVersion: query.model_version,
        driftShare: query.drift_share,
        methods: methodsOf(query.method),
      }),
    ),
    route(C.getQuality, async ({ params, query }) => drift.quality(params.name, { from: query.from, to: query.to })),
    route(C.getPerformance, async ({ params, query }) => drift.performance(params.name, { from: query.from, to: query.to })),
    route(C.getDriftWindows, async ({ params, query }) =>
      drift.driftWindows(params.name, { from: query.from, to: query.to, driftShare: query.drift_share, methods: methodsOf(query.method) }),
    ),
    ...predictionLogRoutes(svc),
  ];
}
