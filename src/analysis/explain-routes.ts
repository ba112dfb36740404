/** HTTP surface of explanations: a deployment's or a model version's rows explained, and a version's global importance. */
import { type ApiRoute, route } from '../api-route.js';
import * as C from '../contract/explain.js';
import type { ExplainService } from './explain-service.js';

export function explainRoutes(svc: ExplainService): ApiRoute[] {
  return [
    // Explaining runs the model like a prediction (same role); it is audited like any POST, since an explanation
    // of given rows is a governance act worth its row in the audit log, and rare beside predictions.
    route(C.explainDeployment, async ({ params, body }) => svc.explainDeployment(params.name, body)),
    route(C.explainModelVersion, async ({ params, body }) => svc.explainVersion(params.name, params.version, body)),
    route(C.modelImportance, async ({ params, query }) => svc.importance(params.name, params.version, query)),
  ];
}
