/** HTTP surface of the loops' interop: the Flagger webhook (Argo Rollouts reads getLoopVerdict in loop-routes.ts). */
import { Answer, type ApiRoute, route } from '../api-route.js';
import * as C from '../contract/loops-interop.js';
import { flaggerHook } from './interop-service.js';
import type { LoopService } from './loop-service.js';

export function interopRoutes(loops: LoopService): ApiRoute[] {
  return [
    route(
      C.flaggerWebhook,
      async ({ params }) => {
        const a = await flaggerHook(loops, params.name, params.hook);
        if (a.ok) return a;
        // 412, not 5xx: Flagger halts (and logs the body in its events); "not yet" is no server fault.
        return new Answer(412, {
          type: 'https://ferry.dev/errors/loop_halt',
          title: 'LOOP_HALT',
          status: 412,
          detail: a.reason,
          code: 'LOOP_HALT',
          errors: [],
          ...a,
        });
      },
      // Flagger calls every analysis interval and the call changes nothing: no audit row per call.
      { audit: 'none' },
    ),
  ];
}
