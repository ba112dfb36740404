/** HTTP surface of A/B tests and outcome events: the contract's operations, each calling a service. */
import { type ApiRoute, route } from '../api-route.js';
import * as C from '../contract/abtests.js';
import type { AbTestService } from './abtest-service.js';
import type { OutcomeService } from './outcome-service.js';

export function abtestRoutes(abtests: AbTestService, outcomes: OutcomeService): ApiRoute[] {
  return [
    route(C.createAbTest, async ({ body }, ctx) => ({ abtest: await abtests.create(body, ctx.principal.name) })),
    route(C.listAbTests, async ({ query }) => ({ abtests: await abtests.list({ deployment: query.deployment, state: query.state }) })),
    route(C.getAbTest, async ({ params }) => ({ abtest: await abtests.get(params.name) })),
    route(C.startAbTest, async ({ params }) => ({ abtest: await abtests.start(params.name) })),
    route(C.stopAbTest, async ({ params, body }, ctx) => ({ abtest: await abtests.stop(params.name, ctx.principal.name, body?.reason) })),
    route(C.getAbTestReport, async ({ params, query }) => abtests.report(params.name, { at: query.at, history: query.history, points: query.points })),
    // A JSON list body arrives as {outcomes: [...]} (arrayBody), the form the contract validates.
    route(C.submitOutcomes, async ({ body }) => outcomes.submit(body.outcomes), { arrayBody: 'outcomes' }),
  ];
}
