/** HTTP surface of monitoring: settings, the prediction log (query, export) and feedback. */
import { Type } from '@sinclair/typebox';
import { type ApiRoute, RawResponse } from '../api-route.js';
import { InvalidParameterError } from '../errors.js';
import type { DriftService } from './drift-service.js';
import type { MonitoringService } from './monitoring-service.js';
import { csvExport, jsonlExport } from './prediction-export.js';

const P = '/api/v1/deployments/:name';

const SettingsBody = Type.Object({
  enabled: Type.Optional(Type.Boolean({ description: 'false: requests are neither logged nor profiled' })),
  sample_rate: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'Share of requests whose rows are stored; profiles see every request' })),
  retention_days: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
  pii: Type.Optional(Type.Object({ drop: Type.Optional(Type.Array(Type.String())), hash: Type.Optional(Type.Array(Type.String())) })),
  window: Type.Optional(Type.String({ description: 'Profile window, e.g. 1h' })),
});

const FeedbackItem = Type.Object({
  request_id: Type.String(),
  row: Type.Optional(Type.Integer({ minimum: 0 })),
  label: Type.Optional(Type.Union([Type.String(), Type.Number(), Type.Boolean()])),
  value: Type.Optional(Type.Number()),
  outcome: Type.Optional(Type.Unknown()),
  timestamp: Type.Optional(Type.Union([Type.String(), Type.Number()])),
});
const FeedbackBody = Type.Union([Type.Array(FeedbackItem), Type.Object({ feedback: Type.Array(FeedbackItem) })]);

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
    { method: 'GET', url: `${P}/monitoring`, role: 'viewer', style: 'native', summary: "A deployment's monitoring settings and what its prediction log stored, sampled out or dropped", handler: async (_f, ctx) => svc.settings(ctx.params['name']!) },
    {
      method: 'PUT', url: `${P}/monitoring`, role: 'editor', style: 'native', body: SettingsBody, summary: 'Change monitoring settings: sample rate, retention, PII rules, profile window',
      handler: async (f, ctx) => ({ settings: await svc.putSettings(ctx.params['name']!, f, ctx.principal.name) }),
    },
    {
      method: 'GET', url: `${P}/predictions`, role: 'viewer', style: 'native', summary: 'Logged predictions (filter by time, model version, status, route); format=jsonl|csv exports every match',
      handler: async (f, ctx) => {
        const name = ctx.params['name']!;
        const format = typeof f['format'] === 'string' ? f['format'] : 'json';
        if (format === 'json') return svc.predictions(name, f);
        if (format !== 'jsonl' && format !== 'csv') throw new InvalidParameterError('format', "'format' must be json, jsonl or csv.");
        const pages = await svc.exportPages(name, f);
        return format === 'csv'
          ? new RawResponse('text/csv; charset=utf-8', csvExport(pages), `${name}-predictions.csv`)
          : new RawResponse('application/x-ndjson; charset=utf-8', jsonlExport(pages), `${name}-predictions.jsonl`);
      },
    },
    {
      method: 'POST', url: '/api/v1/feedback', role: 'editor', style: 'native', body: FeedbackBody, arrayBody: 'feedback',
      summary: 'Ground truth for earlier predictions: [{request_id, row?, label | value | outcome, timestamp?}]; unknown ids reported per item',
      handler: async (f) => svc.feedback(f),
    },
  ];
}
