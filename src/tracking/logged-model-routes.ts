import { route, type ApiRoute } from '../api-route.js';
import * as C from '../contract/tracking.js';
import type { LoggedModelService } from './logged-model-service.js';
import { kvs } from './shapes.js';

export function loggedModelRoutes(svc: LoggedModelService): ApiRoute[] {
  return [
    route(C.createLoggedModel, async ({ body }) => ({
      model: await svc.create({
        experimentId: body.experiment_id,
        name: body.name,
        modelType: body.model_type,
        sourceRunId: body.source_run_id,
        params: kvs(body.params),
        tags: kvs(body.tags),
      }),
    })),
    route(C.searchLoggedModels, async ({ body }) =>
      svc.search({
        experimentIds: body.experiment_ids ?? [],
        filter: body.filter,
        maxResults: body.max_results,
        pageToken: body.page_token,
        orderBy: (body.order_by ?? []).map((o) => ({ field: o.field_name, ascending: o.ascending ?? true })),
      }),
    ),
    route(C.getLoggedModel, async ({ params, query }) => ({ model: await svc.get(params.model_id, query.allow_deleted ?? false) })),
    route(C.finalizeLoggedModel, async ({ params, body }) => ({ model: await svc.finalize(params.model_id, body.status) })),
    route(C.deleteLoggedModel, async ({ params }) => (await svc.delete(params.model_id), {})),
    route(C.setLoggedModelTags, async ({ params, body }) => (await svc.setTags(params.model_id, kvs(body.tags)), {})),
    route(C.deleteLoggedModelTag, async ({ params }) => (await svc.deleteTag(params.model_id, params.tag_key), {})),
    route(C.logLoggedModelParams, async ({ params, body }) => (await svc.logParams(params.model_id, kvs(body.params)), {})),
  ];
}
