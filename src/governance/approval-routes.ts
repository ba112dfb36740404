/** HTTP surface of approval gates: the contract's operations, each calling the service. */
import { type ApiRoute, type RequestContext, route } from '../api-route.js';
import * as C from '../contract/approvals.js';
import type { Actor, ApprovalService } from './approval-service.js';

const actorOf = (ctx: RequestContext): Actor => ({ name: ctx.principal.name, role: ctx.principal.role, ip: ctx.ip });

export function approvalRoutes(svc: ApprovalService): ApiRoute[] {
  return [
    route(C.putPolicy, async ({ params, body }, ctx) => svc.putPolicy(params.name, params.alias, body, actorOf(ctx))),
    route(C.getPolicy, async ({ params }) => ({ policy: await svc.getPolicy(params.name, params.alias) })),
    route(C.listPolicies, async ({ params }) => ({ policies: await svc.listPolicies(params.name) })),
    route(C.deletePolicy, async ({ params }, ctx) => (await svc.deletePolicy(params.name, params.alias, actorOf(ctx)), {})),
    route(C.recordApproval, async ({ params, body }, ctx) => svc.recordApproval(params.name, params.version, body, actorOf(ctx))),
    route(C.listApprovals, async ({ params, query }) => ({ approvals: await svc.listApprovals(params.name, params.version, query.alias) })),
    route(C.getGate, async ({ params, query }) => svc.gate(params.name, params.version, query.alias)),
    route(C.listGateEvents, async ({ params, query }) => ({ events: await svc.events(params.name, query.alias, query.max_results ?? 100) })),
  ];
}
