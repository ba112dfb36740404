/** HTTP surface of loops: the contract's operations, each calling the service. */
import { type ApiRoute, route } from '../api-route.js';
import * as C from '../contract/loops.js';
import type { LoopService } from './loop-service.js';

export function loopRoutes(loops: LoopService): ApiRoute[] {
  return [
    route(C.createLoop, async ({ body }, ctx) => ({ loop: await loops.create(body, ctx.principal.name) })),
    route(C.listLoops, async ({ query }) => ({ loops: await loops.list({ deployment: query.deployment, model: query.model }) })),
    route(C.getLoop, async ({ params }) => ({ loop: await loops.get(params.name) })),
    route(C.updateLoop, async ({ params, body }) => ({ loop: await loops.update(params.name, body) })),
    route(C.pauseLoop, async ({ params }) => ({ loop: await loops.setState(params.name, 'paused') })),
    route(C.resumeLoop, async ({ params }) => ({ loop: await loops.setState(params.name, 'active') })),
    route(C.triggerLoop, async ({ params, body }, ctx) => loops.trigger(params.name, body ?? {}, ctx.principal)),
    route(C.listLoopRuns, async ({ params, query }) => ({ loop_runs: await loops.runs(params.name, query.max_results ?? 100) })),
    route(C.getLoopRun, async ({ params }) => ({ loop_run: await loops.run(params.name, params.seq) })),
    route(C.approveLoopRun, async ({ params, body }, ctx) => ({
      loop_run: await loops.approve(params.name, params.seq, body.decision, body.reason, ctx.principal),
    })),
    route(C.promoteLoopRun, async ({ params, body }, ctx) => ({ loop_run: await loops.forcePromote(params.name, params.seq, body.reason, ctx.principal) })),
    route(C.cancelLoopRun, async ({ params, body }, ctx) => ({ loop_run: await loops.cancel(params.name, params.seq, body?.reason, ctx.principal) })),
    route(C.getLoopVerdict, async ({ params }) => loops.verdict(params.name)),
  ];
}
