import type { ApiRoute, LegacyRoute } from '../api-route.js';
import { optBool, optInt, optString, optStringList, reqString, tagList } from '../fields.js';
import type { RegistryService } from './registry-service.js';

const M = '/api/2.0/mlflow/registered-models';
const V = '/api/2.0/mlflow/model-versions';

type Def = [LegacyRoute['method'], string, LegacyRoute['role'], string, LegacyRoute['handler']];

export function registryRoutes(svc: RegistryService): ApiRoute[] {
  const searchModels: LegacyRoute['handler'] = async (f) =>
    svc.searchModels({ filter: optString(f, 'filter'), maxResults: optInt(f, 'max_results', { min: 1, max: 1000 }), orderBy: optStringList(f, 'order_by'), pageToken: optString(f, 'page_token') });
  const latest: LegacyRoute['handler'] = async (f) => ({ model_versions: await svc.latestVersions(reqString(f, 'name'), optStringList(f, 'stages')) });
  const defs: Def[] = [
    ['POST', `${M}/create`, 'editor', 'Create a registered model', async (f) => ({ registered_model: await svc.createModel(reqString(f, 'name'), optString(f, 'description'), tagList(f, 'tags')) })],
    ['GET', `${M}/get`, 'viewer', 'Get a registered model', async (f) => ({ registered_model: await svc.getModel(reqString(f, 'name')) })],
    ['POST', `${M}/rename`, 'editor', 'Rename a registered model', async (f) => ({ registered_model: await svc.renameModel(reqString(f, 'name'), reqString(f, 'new_name')) })],
    ['PATCH', `${M}/update`, 'editor', "Update a registered model's description", async (f) => ({ registered_model: await svc.updateModel(reqString(f, 'name'), optString(f, 'description')) })],
    ['DELETE', `${M}/delete`, 'editor', 'Delete a registered model and its versions', async (f) => (await svc.deleteModel(reqString(f, 'name')), {})],
    ['GET', `${M}/search`, 'viewer', 'Search registered models', searchModels],
    ['POST', `${M}/set-tag`, 'editor', 'Set a registered model tag', async (f) => (await svc.setModelTag(reqString(f, 'name'), reqString(f, 'key'), optString(f, 'value') ?? ''), {})],
    ['DELETE', `${M}/delete-tag`, 'editor', 'Delete a registered model tag', async (f) => (await svc.deleteModelTag(reqString(f, 'name'), reqString(f, 'key')), {})],
    ['GET', `${M}/get-latest-versions`, 'viewer', 'Latest version per stage', latest],
    ['POST', `${M}/get-latest-versions`, 'viewer', 'Latest version per stage', latest],
    ['POST', `${M}/alias`, 'editor', 'Point an alias at a version', async (f) => (await svc.setAlias(reqString(f, 'name'), reqString(f, 'alias'), reqString(f, 'version')), {})],
    ['DELETE', `${M}/alias`, 'editor', 'Delete an alias', async (f) => (await svc.deleteAlias(reqString(f, 'name'), reqString(f, 'alias')), {})],
    ['GET', `${M}/alias`, 'viewer', 'The version an alias points at', async (f) => ({ model_version: await svc.versionByAlias(reqString(f, 'name'), reqString(f, 'alias')) })],
    [
      'POST', `${V}/create`, 'editor', 'Create a model version',
      async (f, ctx) => ({
        model_version: await svc.createVersion({
          name: reqString(f, 'name'), source: reqString(f, 'source'), runId: optString(f, 'run_id'), runLink: optString(f, 'run_link'),
          description: optString(f, 'description'), tags: tagList(f, 'tags'), modelId: optString(f, 'model_id'), userId: ctx.principal.name,
        }),
      }),
    ],
    ['GET', `${V}/get`, 'viewer', 'Get a model version', async (f) => ({ model_version: await svc.getVersion(reqString(f, 'name'), reqString(f, 'version')) })],
    ['PATCH', `${V}/update`, 'editor', "Update a model version's description", async (f) => ({ model_version: await svc.updateVersion(reqString(f, 'name'), reqString(f, 'version'), optString(f, 'description')) })],
    ['DELETE', `${V}/delete`, 'editor', 'Delete a model version', async (f) => (await svc.deleteVersion(reqString(f, 'name'), reqString(f, 'version')), {})],
    [
      'GET', `${V}/search`, 'viewer', 'Search model versions',
      async (f) => svc.searchVersions({ filter: optString(f, 'filter'), maxResults: optInt(f, 'max_results', { min: 1, max: 200000 }), orderBy: optStringList(f, 'order_by'), pageToken: optString(f, 'page_token') }),
    ],
    ['GET', `${V}/get-download-uri`, 'viewer', "Where a version's files are", async (f) => svc.downloadUri(reqString(f, 'name'), reqString(f, 'version'))],
    [
      'POST', `${V}/transition-stage`, 'editor', 'Move a version to a stage',
      async (f) => ({ model_version: await svc.transitionStage(reqString(f, 'name'), reqString(f, 'version'), reqString(f, 'stage'), optBool(f, 'archive_existing_versions') ?? false) }),
    ],
    ['POST', `${V}/set-tag`, 'editor', 'Set a model version tag', async (f) => (await svc.setVersionTag(reqString(f, 'name'), reqString(f, 'version'), reqString(f, 'key'), optString(f, 'value') ?? ''), {})],
    ['DELETE', `${V}/delete-tag`, 'editor', 'Delete a model version tag', async (f) => (await svc.deleteVersionTag(reqString(f, 'name'), reqString(f, 'version'), reqString(f, 'key')), {})],
  ];
  return defs.map(([method, url, role, summary, handler]) => ({ method, url, role, summary, handler, style: 'mlflow' }));
}
