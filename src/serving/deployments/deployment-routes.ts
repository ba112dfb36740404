import { type ApiRoute, route } from '../../api-route.js';
import * as C from '../../contract/deployments.js';
import { InvalidParameterError } from '../../errors.js';
import type { Fields } from '../../fields.js';
import type { DeploymentRuntime } from './deployment-runtime.js';
import type { DeploymentRecord, DeploymentService } from './deployment-service.js';
import { specJson } from './deployment-spec.js';
import { toPredictions } from '../protocols/predictions.js';
import { recordsToFeeds } from '../protocols/records-codec.js';

export function stickyValue(body: Fields, key: string | undefined): string | undefined {
  if (!key) return undefined;
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' && typeof v !== 'number') throw new InvalidParameterError(key, `The sticky key '${key}' must be a string or number.`);
  return String(v);
}

export function deploymentRoutes(svc: DeploymentService, runtime: DeploymentRuntime, maxRows: number): ApiRoute[] {
  const shape = (d: DeploymentRecord) => ({
    name: d.name,
    revision: d.revision,
    spec: specJson(d.spec),
    created_at: d.created_at,
    updated_at: d.updated_at,
    created_by: d.created_by,
    status: runtime.statusOf(d.name),
  });
  const activate = (candidate: DeploymentRecord) => runtime.activate(candidate);
  const applied = (d: DeploymentRecord) => ({ deployment: shape(d) });
  return [
    route(C.createDeployment, async ({ body: { name, ...spec } }, ctx) => applied(await svc.create(name, spec, ctx.principal.name, activate))),
    route(C.listDeployments, async () => ({ deployments: (await svc.list()).map(shape) })),
    route(C.getDeployment, async ({ params }) => applied(await svc.get(params.name))),
    route(C.updateDeployment, async ({ params, body }, ctx) => applied(await svc.update(params.name, body, ctx.principal.name, activate))),
    route(C.rollbackDeployment, async ({ params, body }, ctx) => applied(await svc.rollback(params.name, body.revision, ctx.principal.name, activate))),
    route(C.listDeploymentRevisions, async ({ params }) => ({ revisions: await svc.revisions(params.name) })),
    route(C.deleteDeployment, async ({ params }) => {
      await svc.delete(params.name);
      await runtime.remove(params.name);
      return {};
    }),
    // The hot path: the body is read by the records codec against the model's signature (its own checks name
    // the feature and the row), not by the schema validator; `fields` is the parsed JSON body.
    route(
      C.predict,
      async ({ params: { name }, fields }, ctx) => {
        // The prediction's id is the request's (X-Request-Id): a caller that sent one gives feedback by it.
        const res = await runtime.infer(name, 'records', (r) => recordsToFeeds(fields, r.pool.signature, maxRows), {
          sticky: stickyValue(fields, runtime.stickyKey(name)),
          requestId: ctx.requestId,
        });
        return {
          predictions: toPredictions(
            res.outputs,
            res.route.pool.signature.outputs.map((o) => o.name),
          ),
          model: res.route.model,
          model_version: res.route.version,
          deployment: name,
          revision: res.revision,
          request_id: res.requestId,
        };
      },
      { audit: 'none' },
    ),
  ];
}
