/** HTTP surface of data (JSON): datasets, versions, tags, diffs, lineage, suites, attachments, validation results. */
import { Type } from '@sinclair/typebox';
import type { ApiRoute } from '../api-route.js';
import { InvalidParameterError, NotFoundError } from '../errors.js';
import { type Fields, optBool, optInt, optString, reqString } from '../fields.js';
import type { DatasetService } from './dataset-service.js';
import type { LineageService } from './lineage-service.js';
import { checkAttachmentKind, type SuiteService } from './suite-service.js';
import { parseDatasetRef } from './version-ref.js';
import { versionDiff } from './version-diff.js';

const D = '/api/v1/datasets/:name';

function page(f: Fields) {
  return { limit: optInt(f, 'max_results', { min: 1, max: 1000 }) ?? 100, offset: optInt(f, 'offset', { min: 0 }) ?? 0 };
}

const TagBody = Type.Object({ version: Type.Union([Type.String(), Type.Integer()], { description: 'Version number, tag or digest prefix' }) });
const AttachBody = Type.Object({ dataset: Type.Optional(Type.String()), deployment: Type.Optional(Type.String()) }, { description: 'Exactly one of dataset / deployment' });
const InferBody = Type.Object({ dataset: Type.String({ description: 'NAME@VERSION' }), name: Type.Optional(Type.String()), save: Type.Optional(Type.Boolean()) });
const ValidateBody = Type.Object({ dataset: Type.String({ description: 'NAME@VERSION of a stored version' }) });

function attachTarget(f: Fields): { kind: 'dataset' | 'deployment'; target: string } {
  const dataset = optString(f, 'dataset');
  const deployment = optString(f, 'deployment');
  if ((dataset === undefined) === (deployment === undefined)) throw new InvalidParameterError('dataset', "Give exactly one of 'dataset' or 'deployment'.");
  return dataset !== undefined ? { kind: 'dataset', target: dataset } : { kind: 'deployment', target: deployment! };
}

export function dataRoutes(datasets: DatasetService, suites: SuiteService, lineage: LineageService): ApiRoute[] {
  const name = (ctx: { params: Record<string, string> }) => ctx.params['name']!;
  return [
    { method: 'GET', url: '/api/v1/datasets', role: 'viewer', style: 'native', summary: 'Datasets with their version counts', handler: async (f) => ({ datasets: await datasets.list({ ...page(f), nameLike: optString(f, 'name_like') }) }) },
    { method: 'GET', url: D, role: 'viewer', style: 'native', summary: 'A dataset: description, tags and its latest version', handler: async (_f, ctx) => ({ dataset: await datasets.get(name(ctx)) }) },
    {
      method: 'PATCH', url: D, role: 'editor', style: 'native', body: Type.Object({ description: Type.String() }), summary: "Change a dataset's description",
      handler: async (f, ctx) => (await datasets.setDescription(name(ctx), reqString(f, 'description')), { dataset: await datasets.get(name(ctx)) }),
    },
    {
      method: 'DELETE', url: D, role: 'editor', style: 'native', summary: 'Delete a dataset and all its versions (refused while runs used them, unless force=true)',
      handler: async (f, ctx) => (await datasets.deleteDataset(name(ctx), optBool(f, 'force') ?? false), {}),
    },
    { method: 'GET', url: `${D}/versions`, role: 'viewer', style: 'native', summary: "A dataset's versions, newest first", handler: async (f, ctx) => ({ versions: await datasets.versions(name(ctx), page(f)) }) },
    {
      method: 'GET', url: `${D}/versions/:ref`, role: 'viewer', style: 'native', summary: 'A version (number, tag, latest or digest prefix) with its schema and, with profile=true, its per-column profile',
      handler: async (f, ctx) => ({ version: await datasets.version(name(ctx), ctx.params['ref'], optBool(f, 'profile') ?? true) }),
    },
    {
      method: 'DELETE', url: `${D}/versions/:ref`, role: 'editor', style: 'native', summary: 'Delete a version (refused while a run or model version used it, unless force=true)',
      handler: async (f, ctx) => ({ deleted: await datasets.deleteVersion(name(ctx), ctx.params['ref']!, optBool(f, 'force') ?? false) }),
    },
    { method: 'PUT', url: `${D}/tags/:tag`, role: 'editor', style: 'native', body: TagBody, summary: 'Point a tag at a version', handler: async (f, ctx) => ({ version: await datasets.tag(name(ctx), ctx.params['tag']!, reqString(f, 'version')) }) },
    { method: 'DELETE', url: `${D}/tags/:tag`, role: 'editor', style: 'native', summary: 'Remove a tag', handler: async (_f, ctx) => (await datasets.untag(name(ctx), ctx.params['tag']!), {}) },
    {
      method: 'GET', url: `${D}/diff`, role: 'viewer', style: 'native', summary: 'Schema and distribution diff between two versions (from, to; to may name another dataset as NAME@VERSION)',
      handler: async (f, ctx) => {
        const from = await datasets.resolve(name(ctx), reqString(f, 'from'), 'from');
        const toText = reqString(f, 'to');
        const to = toText.includes('@') ? await (async () => { const r = parseDatasetRef(toText, 'to'); return datasets.resolve(r.name, r.ref, 'to'); })() : await datasets.resolve(name(ctx), toText, 'to');
        return { diff: versionDiff(from, to) };
      },
    },
    { method: 'GET', url: `${D}/versions/:ref/lineage`, role: 'viewer', style: 'native', summary: 'Which runs and model versions used this version', handler: async (_f, ctx) => ({ lineage: await lineage.ofDatasetVersion(name(ctx), ctx.params['ref']!) }) },
    {
      method: 'GET', url: `${D}/versions/:ref/validations`, role: 'viewer', style: 'native', summary: 'Validation results of a version',
      handler: async (f, ctx) => {
        const row = await datasets.resolve(name(ctx), ctx.params['ref']);
        return { validations: await suites.validations.list({ targetKind: 'dataset', target: row.dataset, version: Number(row.version) }, page(f)) };
      },
    },
    {
      method: 'GET', url: '/api/v1/models/:name/versions/:version/lineage', role: 'viewer', style: 'native', summary: 'Which run produced a model version and which dataset versions (and their validation results) it was trained on',
      handler: async (_f, ctx) => {
        const v = Number(ctx.params['version']);
        if (!Number.isInteger(v) || v < 1) throw new InvalidParameterError('version', `'version' must be a positive integer (got '${ctx.params['version']}').`);
        return { lineage: await lineage.ofModelVersion(name(ctx), v) };
      },
    },
    // Suites
    { method: 'GET', url: '/api/v1/suites', role: 'viewer', style: 'native', summary: 'Validation suites', handler: async (f) => ({ suites: await suites.list(page(f)) }) },
    { method: 'GET', url: '/api/v1/suites/:name', role: 'viewer', style: 'native', summary: 'A suite with its expectations and attachments', handler: async (_f, ctx) => ({ suite: await suites.get(name(ctx)) }) },
    {
      method: 'PUT', url: '/api/v1/suites/:name', role: 'editor', style: 'native', summary: 'Create or replace a suite (Great Expectations-style expectations JSON)',
      handler: async (f, ctx) => suites.put(name(ctx), f, ctx.principal.name),
    },
    { method: 'DELETE', url: '/api/v1/suites/:name', role: 'editor', style: 'native', summary: 'Delete a suite (and its attachments; past results stay)', handler: async (_f, ctx) => (await suites.delete(name(ctx)), {}) },
    { method: 'POST', url: '/api/v1/suites/infer', role: 'editor', style: 'native', body: InferBody, summary: "Propose a suite from a dataset version's profile (saved with save=true)",
      handler: async (f, ctx) => {
        const r = parseDatasetRef(reqString(f, 'dataset'));
        return suites.infer(r.name, r.ref, optString(f, 'name'), optBool(f, 'save') ?? false, ctx.principal.name);
      },
    },
    {
      method: 'POST', url: '/api/v1/suites/:name/attachments', role: 'editor', style: 'native', body: AttachBody, summary: "Attach a suite to a dataset (runs on every pushed version) or a deployment (runs on every traffic window)",
      handler: async (f, ctx) => {
        const t = attachTarget(f);
        await suites.attach(name(ctx), t.kind, t.target);
        return { suite: await suites.get(name(ctx)) };
      },
    },
    {
      method: 'DELETE', url: '/api/v1/suites/:name/attachments/:kind/:target', role: 'editor', style: 'native', summary: 'Detach a suite',
      handler: async (_f, ctx) => (await suites.detach(name(ctx), checkAttachmentKind(ctx.params['kind']!), ctx.params['target']!), {}),
    },
    {
      method: 'POST', url: '/api/v1/suites/:name/validations', role: 'editor', style: 'native', body: ValidateBody, summary: 'Validate a stored dataset version against the suite and record the result',
      handler: async (f, ctx) => {
        const r = parseDatasetRef(reqString(f, 'dataset'));
        return suites.validateVersion(name(ctx), r.name, r.ref);
      },
    },
    {
      method: 'GET', url: '/api/v1/validations', role: 'viewer', style: 'native', summary: 'Validation results (filter by target_kind, target, suite, success)',
      handler: async (f) => {
        const kind = optString(f, 'target_kind');
        return { validations: await suites.validations.list({ targetKind: kind === undefined ? undefined : checkAttachmentKind(kind, 'target_kind'), target: optString(f, 'target'), suite: optString(f, 'suite'), success: optBool(f, 'success') }, page(f)) };
      },
    },
    {
      method: 'GET', url: '/api/v1/validations/:id', role: 'viewer', style: 'native', summary: 'One validation result, whole',
      handler: async (_f, ctx) => {
        const id = Number(ctx.params['id']);
        const v = Number.isSafeInteger(id) && id > 0 ? await suites.validations.get(id) : undefined;
        if (!v) throw new NotFoundError(`Validation ${ctx.params['id']} does not exist.`);
        return { validation: v };
      },
    },
  ];
}
