/** HTTP surface of fairness: offline reports of a model version (create, list, show) and live fairness of a deployment. */
import { type ApiRoute, route } from '../api-route.js';
import * as C from '../contract/fairness.js';
import type { LiveFairnessService } from './fairness-live.js';
import type { FairnessService } from './fairness-service.js';

export function fairnessRoutes(svc: FairnessService, live: LiveFairnessService): ApiRoute[] {
  return [
    route(C.createFairnessReport, async ({ params, query, body }, ctx) => {
      const report = await svc.create(params.name, params.version, body, ctx.principal.name);
      if (!query.rows) delete report.rows;
      return { report };
    }),
    route(C.listFairnessReports, async ({ params }) => ({ reports: await svc.list(params.name, params.version) })),
    route(C.getFairnessReport, async ({ params, query }) => ({
      report: await svc.get(params.name, params.version, Number(params.id), query.rows === true),
    })),
    route(C.getLiveFairness, async ({ params, query }) => live.live(params.name, query)),
  ];
}
