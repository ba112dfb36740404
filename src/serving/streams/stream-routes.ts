import { type ApiRoute, route } from '../../api-route.js';
import * as C from '../../contract/streams.js';
import type { StreamBindingService } from './binding-service.js';
import type { StreamBindingRecord } from './binding-spec.js';
import type { StreamManager } from './stream-manager.js';

export function streamRoutes(svc: StreamBindingService, manager: StreamManager): ApiRoute[] {
  const shape = (b: StreamBindingRecord) => ({ ...b, status: manager.statusOf(b.deployment, b.name, b.enabled) });
  const one = async (b: StreamBindingRecord) => {
    await manager.refreshLag(b.deployment, b.name);
    return { stream: shape(b) };
  };
  return [
    route(C.listStreamBindings, async ({ params }) => {
      const all = await svc.list(params.name);
      await Promise.all(all.map((b) => manager.refreshLag(b.deployment, b.name)));
      return { streams: all.map(shape) };
    }),
    route(C.createStreamBinding, async ({ params, body }, ctx) => one(await svc.create(params.name, body, ctx.principal.name))),
    route(C.getStreamBinding, async ({ params }) => one(await svc.get(params.name, params.stream))),
    route(C.updateStreamBinding, async ({ params, body }) => one(await svc.update(params.name, params.stream, body))),
    route(C.deleteStreamBinding, async ({ params }) => {
      await svc.delete(params.name, params.stream);
      return {};
    }),
  ];
}
