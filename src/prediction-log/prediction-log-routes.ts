/** HTTP surface of the prediction log: monitoring settings, the log (query, export) and feedback. */
import { Type } from '@sinclair/typebox';
import { type ApiRoute, RawResponse } from '../api-route.js';
import { InvalidParameterError } from '../errors.js';
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

export function predictionLogRoutes(svc: MonitoringService): ApiRoute[] {
  return [
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
