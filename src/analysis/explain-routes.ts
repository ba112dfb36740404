/** HTTP surface of explanations: a deployment's or a model version's rows explained, and a version's global importance. */
import { type ApiRoute, route } from '../api-route.js';
import * as C from '../contract/explain.js';
import type { ExplainService } from './explain-service.js';

/** One audit row (the auth capability's AuditLog.record; analysis does not import auth). */
export type RecordAudit = (e: { ts: number; actor: string; action: string; method: string; path: string; status: number; ip: string }) => Promise<void>;

export function explainRoutes(svc: ExplainService, audit?: RecordAudit): ApiRoute[] {
  return [
    // Explaining runs the model like a prediction (same role); it is audited like any POST, since an explanation
    // of given rows is a governance act worth its row in the audit log, and rare beside predictions.
    route(C.explainDeployment, async ({ params, body }) => svc.explainDeployment(params.name, body)),
    route(C.explainModelVersion, async ({ params, body }) => svc.explainVersion(params.name, params.version, body)),
    route(C.modelImportance, async ({ params, query }, ctx) => {
      const imp = await svc.importance(params.name, params.version, query, ctx.principal.name);
      // A GET, so the server does not audit it; but a computed importance is stored (the card shows it): a write.
      if (!imp.cached && imp.summary && audit)
        await audit({
          ts: imp.summary.created_at,
          actor: ctx.principal.name,
          action: 'model.importance.store',
          method: 'GET',
          path: `/api/v1/models/${encodeURIComponent(params.name)}/versions/${params.version}/importance`,
          status: 200,
          ip: ctx.ip,
        });
      return imp;
    }),
  ];
}
