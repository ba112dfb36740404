import { route, type ApiRoute } from '../api-route.js';
import * as C from '../contract/registry.js';
import type { RegistryService } from './registry-service.js';

export function registryRoutes(svc: RegistryService): ApiRoute[] {
  const search = (q: { filter?: string; max_results?: number; order_by?: string[]; page_token?: string }) => ({
    filter: q.filter,
    maxResults: q.max_results,
    orderBy: q.order_by,
    pageToken: q.page_token,
  });
  const latest = async (q: { name: string; stages?: string[] }) => ({ model_versions: await svc.latestVersions(q.name, q.stages) });
  return [
    route(C.createRegisteredModel, async ({ body }) => ({ registered_model: await svc.createModel(body.name, body.description, tags(body.tags)) })),
    route(C.getRegisteredModel, async ({ query }) => ({ registered_model: await svc.getModel(query.name) })),
    route(C.renameRegisteredModel, async ({ body }) => ({ registered_model: await svc.renameModel(body.name, body.new_name) })),
    route(C.updateRegisteredModel, async ({ body }) => ({ registered_model: await svc.updateModel(body.name, body.description) })),
    route(C.deleteRegisteredModel, async ({ body }) => (await svc.deleteModel(body.name), {})),
    route(C.searchRegisteredModels, async ({ query }) => svc.searchModels(search(query))),
    route(C.setRegisteredModelTag, async ({ body }) => (await svc.setModelTag(body.name, body.key, body.value ?? ''), {})),
    route(C.deleteRegisteredModelTag, async ({ body }) => (await svc.deleteModelTag(body.name, body.key), {})),
    route(C.getLatestVersionsByQuery, async ({ query }) => latest(query)),
    route(C.getLatestVersions, async ({ body }) => latest(body)),
    route(
      C.setRegisteredModelAlias,
      async ({ body }, ctx) => (
        await svc.setAlias(body.name, body.alias, body.version, { name: ctx.principal.name, role: ctx.principal.role, ip: ctx.ip }),
        {}
      ),
    ),
    route(C.deleteRegisteredModelAlias, async ({ body }) => (await svc.deleteAlias(body.name, body.alias), {})),
    route(C.getModelVersionByAlias, async ({ query }) => ({ model_version: await svc.versionByAlias(query.name, query.alias) })),
    route(C.createModelVersion, async ({ body }, ctx) => ({
      model_version: await svc.createVersion({
        name: body.name,
        source: body.source,
        runId: body.run_id,
        runLink: body.run_link,
        description: body.description,
        tags: tags(body.tags),
        modelId: body.model_id,
        userId: ctx.principal.name,
      }),
    })),
    route(C.getModelVersion, async ({ query }) => ({ model_version: await svc.getVersion(query.name, query.version) })),
    route(C.updateModelVersion, async ({ body }) => ({ model_version: await svc.updateVersion(body.name, body.version, body.description) })),
    route(C.deleteModelVersion, async ({ body }) => (await svc.deleteVersion(body.name, body.version), {})),
    route(C.searchModelVersions, async ({ query }) => svc.searchVersions(search(query))),
    route(C.getModelVersionDownloadUri, async ({ query }) => svc.downloadUri(query.name, query.version)),
    route(C.transitionModelVersionStage, async ({ body }) => ({
      model_version: await svc.transitionStage(body.name, body.version, body.stage, body.archive_existing_versions ?? false),
    })),
    route(C.setModelVersionTag, async ({ body }) => (await svc.setVersionTag(body.name, body.version, body.key, body.value ?? ''), {})),
    route(C.deleteModelVersionTag, async ({ body }) => (await svc.deleteVersionTag(body.name, body.version, body.key), {})),
  ];
}

/** MLflow's tag list: a tag sent without a value has the empty string. */
function tags(list: { key: string; value?: string }[] | undefined): { key: string; value: string }[] {
  return (list ?? []).map((t) => ({ key: t.key, value: t.value ?? '' }));
}
