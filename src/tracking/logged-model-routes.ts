import type { ApiRoute } from '../api-route.js';
import { optArray, optBool, optInt, optString, optStringList, reqString, tagList } from '../fields.js';
import type { LoggedModelService } from './logged-model-service.js';

const P = '/api/2.0/mlflow/logged-models';

export function loggedModelRoutes(svc: LoggedModelService): ApiRoute[] {
  return [
    {
      method: 'POST', url: P, role: 'editor', style: 'mlflow', summary: 'Create a logged model',
      handler: async (f) => ({
        model: await svc.create({
          experimentId: reqString(f, 'experiment_id'),
          name: optString(f, 'name'),
          modelType: optString(f, 'model_type'),
          sourceRunId: optString(f, 'source_run_id'),
          params: tagList(f, 'params'),
          tags: tagList(f, 'tags'),
        }),
      }),
    },
    {
      method: 'POST', url: `${P}/search`, role: 'viewer', style: 'mlflow', summary: 'Search logged models',
      handler: async (f) =>
        svc.search({
          experimentIds: optStringList(f, 'experiment_ids') ?? [],
          filter: optString(f, 'filter'),
          maxResults: optInt(f, 'max_results', { min: 1, max: 10000 }),
          pageToken: optString(f, 'page_token'),
          orderBy: optArray(f, 'order_by').map((o) => ({ field: reqString(o, 'field_name'), ascending: optBool(o, 'ascending') ?? true })),
        }),
    },
    { method: 'GET', url: `${P}/:model_id`, role: 'viewer', style: 'mlflow', summary: 'Get a logged model', handler: async (f, ctx) => ({ model: await svc.get(ctx.params['model_id']!, optBool(f, 'allow_deleted') ?? false) }) },
    { method: 'PATCH', url: `${P}/:model_id`, role: 'editor', style: 'mlflow', summary: 'Finalise a logged model (set its status)', handler: async (f, ctx) => ({ model: await svc.finalize(ctx.params['model_id']!, reqString(f, 'status')) }) },
    { method: 'DELETE', url: `${P}/:model_id`, role: 'editor', style: 'mlflow', summary: 'Delete a logged model', handler: async (_f, ctx) => (await svc.delete(ctx.params['model_id']!), {}) },
    { method: 'PATCH', url: `${P}/:model_id/tags`, role: 'editor', style: 'mlflow', summary: 'Set logged model tags', handler: async (f, ctx) => (await svc.setTags(ctx.params['model_id']!, tagList(f, 'tags')), {}) },
    { method: 'DELETE', url: `${P}/:model_id/tags/:tag_key`, role: 'editor', style: 'mlflow', summary: 'Delete a logged model tag', handler: async (_f, ctx) => (await svc.deleteTag(ctx.params['model_id']!, ctx.params['tag_key']!), {}) },
    { method: 'POST', url: `${P}/:model_id/params`, role: 'editor', style: 'mlflow', summary: 'Log logged model params', handler: async (f, ctx) => (await svc.logParams(ctx.params['model_id']!, tagList(f, 'params')), {}) },
  ];
}
