import type { ApiRoute, LegacyRoute } from '../api-route.js';
import { optInt, optString, optStringList, reqString, tagList } from '../fields.js';
import { ACTIVE, DELETED } from './lifecycle.js';
import type { ExperimentService } from './experiment-service.js';

const P = '/api/2.0/mlflow/experiments';

export function experimentRoutes(svc: ExperimentService): ApiRoute[] {
  const search: LegacyRoute['handler'] = async (f) =>
    svc.search({
      viewType: optString(f, 'view_type'),
      maxResults: optInt(f, 'max_results', { min: 1, max: 50000 }),
      filter: optString(f, 'filter'),
      orderBy: optStringList(f, 'order_by'),
      pageToken: optString(f, 'page_token'),
    });
  return [
    { method: 'POST', url: `${P}/create`, role: 'editor', style: 'mlflow', summary: 'Create an experiment', handler: async (f) => ({ experiment_id: await svc.create(reqString(f, 'name'), optString(f, 'artifact_location') || undefined, tagList(f, 'tags')) }) },
    { method: 'GET', url: `${P}/get`, role: 'viewer', style: 'mlflow', summary: 'Get an experiment', handler: async (f) => ({ experiment: await svc.get(reqString(f, 'experiment_id')) }) },
    { method: 'GET', url: `${P}/get-by-name`, role: 'viewer', style: 'mlflow', summary: 'Get an experiment by name', handler: async (f) => ({ experiment: await svc.getByName(reqString(f, 'experiment_name')) }) },
    { method: 'GET', url: `${P}/search`, role: 'viewer', style: 'mlflow', summary: 'Search experiments', handler: search },
    { method: 'POST', url: `${P}/search`, role: 'viewer', style: 'mlflow', summary: 'Search experiments', handler: search },
    { method: 'POST', url: `${P}/update`, role: 'editor', style: 'mlflow', summary: 'Rename an experiment', handler: async (f) => (await svc.rename(reqString(f, 'experiment_id'), reqString(f, 'new_name')), {}) },
    { method: 'POST', url: `${P}/delete`, role: 'editor', style: 'mlflow', summary: 'Delete an experiment (soft)', handler: async (f) => (await svc.setLifecycle(reqString(f, 'experiment_id'), DELETED), {}) },
    { method: 'POST', url: `${P}/restore`, role: 'editor', style: 'mlflow', summary: 'Restore a deleted experiment', handler: async (f) => (await svc.setLifecycle(reqString(f, 'experiment_id'), ACTIVE), {}) },
    { method: 'POST', url: `${P}/set-experiment-tag`, role: 'editor', style: 'mlflow', summary: 'Set an experiment tag', handler: async (f) => (await svc.setTag(reqString(f, 'experiment_id'), reqString(f, 'key'), optString(f, 'value') ?? ''), {}) },
    { method: 'POST', url: `${P}/delete-experiment-tag`, role: 'editor', style: 'mlflow', summary: 'Delete an experiment tag', handler: async (f) => (await svc.deleteTag(reqString(f, 'experiment_id'), reqString(f, 'key')), {}) },
  ];
}
