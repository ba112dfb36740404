import type { ApiRoute } from '../../api-route.js';
import { InvalidParameterError } from '../../errors.js';
import { type Fields, reqInt, reqString } from '../../fields.js';
import type { DeploymentRuntime } from './deployment-runtime.js';
import type { DeploymentRecord, DeploymentService } from './deployment-service.js';
import { CreateDeploymentBody, DeploymentSpecBody, PredictBody, RollbackBody } from './deployment-schemas.js';
import { specJson } from './deployment-spec.js';
import { toPredictions } from '../protocols/predictions.js';
import { recordsToFeeds } from '../protocols/records-codec.js';

const P = '/api/v1/deployments';

export function stickyValue(body: Fields, key: string | undefined): string | undefined {
  if (!key) return undefined;
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' && typeof v !== 'number') throw new InvalidParameterError(key, `The sticky key '${key}' must be a string or number.`);
  return String(v);
}

export function deploymentRoutes(svc: DeploymentService, runtime: DeploymentRuntime, maxRows: number): ApiRoute[] {
  const shape = (d: DeploymentRecord) => ({ name: d.name, revision: d.revision, spec: specJson(d.spec), created_at: d.created_at, updated_at: d.updated_at, created_by: d.created_by, status: runtime.statusOf(d.name) });
  const activate = (candidate: DeploymentRecord) => runtime.activate(candidate);
  const applied = (d: DeploymentRecord) => ({ deployment: shape(d) });
  return [
    { method: 'POST', url: P, role: 'editor', style: 'native', body: CreateDeploymentBody, summary: 'Create a deployment (revision 1); loads and warms its models', handler: async (f, ctx) => applied(await svc.create(reqString(f, 'name'), f, ctx.principal.name, activate)) },
    { method: 'GET', url: P, role: 'viewer', style: 'native', summary: 'List deployments with their live status', handler: async () => ({ deployments: (await svc.list()).map(shape) }) },
    { method: 'GET', url: `${P}/:name`, role: 'viewer', style: 'native', summary: 'A deployment, its spec and per-route status', handler: async (_f, ctx) => ({ deployment: shape(await svc.get(ctx.params['name']!)) }) },
    { method: 'PUT', url: `${P}/:name`, role: 'editor', style: 'native', body: DeploymentSpecBody, summary: 'Change a deployment (a new revision; zero-downtime switch)', handler: async (f, ctx) => applied(await svc.update(ctx.params['name']!, f, ctx.principal.name, activate)) },
    {
      method: 'POST', url: `${P}/:name/rollback`, role: 'editor', style: 'native', body: RollbackBody, summary: 'Return to an earlier revision (recorded as a new revision)',
      handler: async (f, ctx) => applied(await svc.rollback(ctx.params['name']!, reqInt(f, 'revision', { min: 1 }), ctx.principal.name, activate)),
    },
    { method: 'GET', url: `${P}/:name/revisions`, role: 'viewer', style: 'native', summary: "A deployment's revision history, newest first", handler: async (_f, ctx) => ({ revisions: await svc.revisions(ctx.params['name']!) }) },
    {
      method: 'DELETE', url: `${P}/:name`, role: 'editor', style: 'native', summary: 'Delete a deployment (drains, then unloads)',
      handler: async (_f, ctx) => {
        await svc.delete(ctx.params['name']!);
        await runtime.remove(ctx.params['name']!);
        return {};
      },
    },
    {
      method: 'POST', url: `${P}/:name/predict`, role: 'viewer', style: 'native', audit: 'none', body: PredictBody, summary: 'Predict from JSON records (MLflow scoring formats)',
      handler: async (f, ctx) => {
        const name = ctx.params['name']!;
        const res = await runtime.infer(name, 'records', (route) => recordsToFeeds(f, route.pool.signature, maxRows), stickyValue(f, runtime.stickyKey(name)));
        return {
          predictions: toPredictions(res.outputs, res.route.pool.signature.outputs.map((o) => o.name)),
          model: res.route.model,
          model_version: res.route.version,
          deployment: name,
          revision: res.revision,
          request_id: res.requestId,
        };
      },
    },
  ];
}
