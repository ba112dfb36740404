import { route, type ApiRoute } from '../api-route.js';
import * as C from '../contract/tracking.js';
import { ACTIVE, DELETED } from './lifecycle.js';
import type { ExperimentService } from './experiment-service.js';
import { kvs } from './shapes.js';

type SearchFields = { view_type?: string; max_results?: number; filter?: string; order_by?: string[]; page_token?: string };

export function experimentRoutes(svc: ExperimentService): ApiRoute[] {
  // The same search answers POST (a JSON body, what the client sends) and GET (query parameters).
  const search = (f: SearchFields) =>
    svc.search({ viewType: f.view_type, maxResults: f.max_results, filter: f.filter, orderBy: f.order_by, pageToken: f.page_token });
  return [
    route(C.createExperiment, async ({ body }) => ({ experiment_id: await svc.create(body.name, body.artifact_location || undefined, kvs(body.tags)) })),
    route(C.getExperiment, async ({ query }) => ({ experiment: await svc.get(query.experiment_id) })),
    route(C.getExperimentByName, async ({ query }) => ({ experiment: await svc.getByName(query.experiment_name) })),
    route(C.searchExperiments, async ({ body }) => search(body)),
    route(C.searchExperimentsByQuery, async ({ query }) => search(query)),
    route(C.updateExperiment, async ({ body }) => (await svc.rename(body.experiment_id, body.new_name), {})),
    route(C.deleteExperiment, async ({ body }) => (await svc.setLifecycle(body.experiment_id, DELETED), {})),
    route(C.restoreExperiment, async ({ body }) => (await svc.setLifecycle(body.experiment_id, ACTIVE), {})),
    route(C.setExperimentTag, async ({ body }) => (await svc.setTag(body.experiment_id, body.key, body.value ?? ''), {})),
    route(C.deleteExperimentTag, async ({ body }) => (await svc.deleteTag(body.experiment_id, body.key), {})),
  ];
}
