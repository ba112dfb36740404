/**
 * HTTP surface of monitoring: references, drift, quality and live performance here, then the prediction log's
 * own routes (settings, query, export, feedback).
 */
import { Type } from '@sinclair/typebox';
import type { ApiRoute } from '../api-route.js';
import { type MonitoringService, predictionLogRoutes } from '../prediction-log/index.js';
import type { DriftService } from './drift-service.js';

const P = '/api/v1/deployments/:name';

const ReferenceBody = Type.Object({
  from: Type.Optional(Type.Union([Type.String(), Type.Number()], { description: 'A past window of this deployment’s own traffic' })),
  to: Type.Optional(Type.Union([Type.String(), Type.Number()])),
  dataset: Type.Optional(Type.String({ description: 'A stored dataset version, NAME@VERSION' })),
  training_data: Type.Optional(Type.Boolean({ description: 'The dataset version the serving model version was trained on (lineage)' })),
  prediction_column: Type.Optional(Type.String({ description: 'A column of the dataset holding predictions (else the live model scores a sample)' })),
}, { description: 'Or send the table itself as text/csv or application/x-ndjson' });

export function monitoringRoutes(svc: MonitoringService, drift: DriftService): ApiRoute[] {
  return [
    {
      method: 'PUT', url: `${P}/reference`, role: 'editor', style: 'native', body: ReferenceBody,
      summary: 'Attach the reference drift is measured against: a CSV / JSON Lines body, or {"from", "to"} of past traffic',
      handler: async (f, ctx) => ({ reference: await drift.putReference(ctx.params['name']!, f, ctx.principal.name) }),
    },
    {
      method: 'GET', url: `${P}/reference`, role: 'viewer', style: 'native', summary: "The deployment's reference: source, rows and a per-column summary",
      handler: async (_f, ctx) => {
        const { row, profile } = await drift.getReference(ctx.params['name']!);
        return { reference: { rows: Number(row.rows), source: JSON.parse(row.source) as object, created_at: new Date(Number(row.created_at)).toISOString(), created_by: row.created_by, columns: profile.summary().columns } };
      },
    },
    { method: 'GET', url: `${P}/drift`, role: 'viewer', style: 'native', summary: 'Drift of a window of traffic (from, to; default 24 h) against the reference, per feature and for the prediction', handler: async (f, ctx) => drift.drift(ctx.params['name']!, f) },
    { method: 'GET', url: `${P}/quality`, role: 'viewer', style: 'native', summary: 'Data quality of live traffic per feature and window: missing values, type errors, out-of-range numbers, unseen categories', handler: async (f, ctx) => drift.quality(ctx.params['name']!, f) },
    { method: 'GET', url: `${P}/performance`, role: 'viewer', style: 'native', summary: 'Live performance from feedback (accuracy, precision, recall, F1, ROC AUC, log loss; MAE, RMSE, R², MAPE) per model version and window', handler: async (f, ctx) => drift.performance(ctx.params['name']!, f) },
    { method: 'GET', url: `${P}/drift/windows`, role: 'viewer', style: 'native', summary: 'Drift per profile window over a time range (for charts)', handler: async (f, ctx) => drift.driftWindows(ctx.params['name']!, f) },
    ...predictionLogRoutes(svc),
  ];
}
