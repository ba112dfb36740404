/** HTTP surface of the prediction log: monitoring settings, the log (query, export) and feedback. */
import { type ApiRoute, RawResponse, route } from '../api-route.js';
import * as C from '../contract/monitoring.js';
import type { MonitoringService } from './monitoring-service.js';
import { csvExport, jsonlExport } from './prediction-export.js';

export function predictionLogRoutes(svc: MonitoringService): ApiRoute[] {
  return [
    route(C.getMonitoringSettings, async ({ params }) => svc.settings(params.name)),
    route(C.updateMonitoringSettings, async ({ params, body }, ctx) => ({ settings: await svc.putSettings(params.name, body, ctx.principal.name) })),
    route(C.listPredictions, async ({ params, query }) => {
      const { name } = params;
      const q = {
        from: query.from,
        to: query.to,
        modelVersion: query.model_version,
        status: query.status,
        route: query.route,
        limit: query.limit ?? query.max_results,
      };
      const format = query.format ?? 'json';
      if (format === 'json') return svc.predictions(name, { ...q, pageToken: query.page_token });
      const pages = await svc.exportPages(name, q);
      return format === 'csv'
        ? new RawResponse('text/csv; charset=utf-8', csvExport(pages), `${name}-predictions.csv`)
        : new RawResponse('application/x-ndjson; charset=utf-8', jsonlExport(pages), `${name}-predictions.jsonl`);
    }),
    // A JSON list body arrives as {feedback: [...]} (arrayBody), the form the contract validates.
    route(C.submitFeedback, async ({ body }) => svc.feedback(body.feedback), { arrayBody: 'feedback' }),
  ];
}
