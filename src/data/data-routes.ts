/** HTTP surface of data (JSON): datasets, versions, tags, diffs, lineage, suites, attachments, validation results. */
import { type ApiRoute, route } from '../api-route.js';
import * as C from '../contract/data.js';
import { InvalidParameterError, NotFoundError } from '../errors.js';
import type { DatasetService } from './dataset-service.js';
import type { LineageService } from './lineage-service.js';
import type { SuiteService } from './suite-service.js';
import { parseDatasetRef } from './version-ref.js';
import { versionDiff } from './version-diff.js';

function page(q: { max_results?: number; offset?: number }) {
  return { limit: q.max_results ?? 100, offset: q.offset ?? 0 };
}

/** Exactly one target: a schema could say so only with a oneOf whose failure names no field. */
function attachTarget(b: { dataset?: string; deployment?: string }): { kind: 'dataset' | 'deployment'; target: string } {
  if ((b.dataset === undefined) === (b.deployment === undefined)) throw new InvalidParameterError('dataset', "Give exactly one of 'dataset' or 'deployment'.");
  return b.dataset !== undefined ? { kind: 'dataset', target: b.dataset } : { kind: 'deployment', target: b.deployment! };
}

export function dataRoutes(datasets: DatasetService, suites: SuiteService, lineage: LineageService): ApiRoute[] {
  return [
    route(C.listDatasets, async ({ query }) => ({ datasets: await datasets.list({ ...page(query), nameLike: query.name_like }) })),
    route(C.getDataset, async ({ params }) => ({ dataset: await datasets.get(params.name) })),
    route(
      C.updateDataset,
      async ({ params, body }) => (await datasets.setDescription(params.name, body.description), { dataset: await datasets.get(params.name) }),
    ),
    route(C.deleteDataset, async ({ params, query }) => (await datasets.deleteDataset(params.name, query.force ?? false), {})),
    route(C.listDatasetVersions, async ({ params, query }) => ({ versions: await datasets.versions(params.name, page(query)) })),
    route(C.getDatasetVersion, async ({ params, query }) => ({ version: await datasets.version(params.name, params.ref, query.profile ?? true) })),
    route(C.deleteDatasetVersion, async ({ params, query }) => ({ deleted: await datasets.deleteVersion(params.name, params.ref, query.force ?? false) })),
    route(C.setDatasetTag, async ({ params, body }) => ({ version: await datasets.tag(params.name, params.tag, String(body.version)) })),
    route(C.deleteDatasetTag, async ({ params }) => (await datasets.untag(params.name, params.tag), {})),
    route(C.diffDatasetVersions, async ({ params, query }) => {
      const from = await datasets.resolve(params.name, query.from, 'from');
      const other = query.to.includes('@') ? parseDatasetRef(query.to, 'to') : undefined;
      const to = other ? await datasets.resolve(other.name, other.ref, 'to') : await datasets.resolve(params.name, query.to, 'to');
      return { diff: versionDiff(from, to) };
    }),
    route(C.getDatasetVersionLineage, async ({ params }) => ({ lineage: await lineage.ofDatasetVersion(params.name, params.ref) })),
    route(C.listDatasetVersionValidations, async ({ params, query }) => {
      const row = await datasets.resolve(params.name, params.ref);
      return { validations: await suites.validations.list({ targetKind: 'dataset', target: row.dataset, version: Number(row.version) }, page(query)) };
    }),
    route(C.getModelVersionLineage, async ({ params }) => ({ lineage: await lineage.ofModelVersion(params.name, Number(params.version)) })),
    // Suites
    route(C.listSuites, async ({ query }) => ({ suites: await suites.list(page(query)) })),
    route(C.getSuite, async ({ params }) => ({ suite: await suites.get(params.name) })),
    route(C.putSuite, async ({ params, body }, ctx) => suites.put(params.name, body, ctx.principal.name)),
    route(C.deleteSuite, async ({ params }) => (await suites.delete(params.name), {})),
    route(C.inferSuite, async ({ body }, ctx) => {
      const r = parseDatasetRef(body.dataset);
      return suites.infer(r.name, r.ref, body.name, body.save ?? false, ctx.principal.name);
    }),
    route(C.attachSuite, async ({ params, body }) => {
      const t = attachTarget(body);
      await suites.attach(params.name, t.kind, t.target);
      return { suite: await suites.get(params.name) };
    }),
    route(C.detachSuite, async ({ params }) => (await suites.detach(params.name, params.kind, params.target), {})),
    route(C.validateDatasetVersion, async ({ params, body }) => {
      const r = parseDatasetRef(body.dataset);
      return suites.validateVersion(params.name, r.name, r.ref);
    }),
    route(C.listValidations, async ({ query }) => ({
      validations: await suites.validations.list(
        { targetKind: query.target_kind, target: query.target, suite: query.suite, success: query.success },
        page(query),
      ),
    })),
    route(C.getValidation, async ({ params }) => {
      const v = await suites.validations.get(Number(params.id));
      if (!v) throw new NotFoundError(`Validation ${params.id} does not exist.`);
      return { validation: v };
    }),
  ];
}
