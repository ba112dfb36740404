/** HTTP routes of alerting (/api/v1/alerts/...): the contract's operations, each calling the engine's services. */
import { type ApiRoute, route } from '../api-route.js';
import * as C from '../contract/alerts.js';
import type { AlertEngine } from './alert-engine.js';

export function alertRoutes(engine: AlertEngine): ApiRoute[] {
  const { rules, silences, notifiers } = engine;
  return [
    route(C.listAlerts, async ({ query }) => ({ alerts: await rules.currentAlerts({ deployment: query.deployment, state: query.state }) })),
    route(C.listAlertHistory, async ({ query }) =>
      rules.history({
        deployment: query.deployment,
        rule: query.rule,
        since: query.since,
        until: query.until,
        maxResults: query.max_results,
        pageToken: query.page_token,
      }),
    ),
    route(C.evaluateAlerts, async () => engine.evaluateNow()),
    route(C.listAlertNotifications, async ({ query }) => ({
      notifications: await engine.notifications({ deployment: query.deployment, since: query.since, maxResults: query.max_results }),
    })),

    route(C.listAlertRules, async ({ query }) => ({ rules: await rules.listRules(query.deployment) })),
    route(C.createAlertRule, async ({ body }, ctx) => ({ rule: await rules.createRule(body, ctx.principal.name) })),
    route(C.getAlertRule, async ({ params }) => ({ rule: await rules.getRule(params.id) })),
    route(C.updateAlertRule, async ({ params, body }) => ({ rule: await rules.updateRule(params.id, body) })),
    route(C.deleteAlertRule, async ({ params }) => (await rules.deleteRule(params.id), {})),

    route(C.listSilences, async ({ query }) => ({ silences: await silences.list({ all: query.all }) })),
    route(C.createSilence, async ({ body }, ctx) => ({ silence: await silences.create(body, ctx.principal.name) })),
    route(C.getSilence, async ({ params }) => ({ silence: await silences.get(params.id) })),
    route(C.expireSilence, async ({ params }) => ({ silence: await silences.expire(params.id) })),

    route(C.listNotifiers, async () => ({ notifiers: await notifiers.list() })),
    route(C.createNotifier, async ({ body }, ctx) => ({ notifier: await notifiers.create(body, ctx.principal.name) })),
    route(C.getNotifier, async ({ params }) => ({ notifier: await notifiers.get(params.id) })),
    route(C.updateNotifier, async ({ params, body }) => ({ notifier: await notifiers.update(params.id, body) })),
    route(C.deleteNotifier, async ({ params }) => (await notifiers.delete(params.id), {})),

    route(C.getAlertDestinations, async () => ({ destinations: await notifiers.policy() })),
    route(C.setAlertDestinations, async ({ body }, ctx) => ({ destinations: await notifiers.setPolicy(body, ctx.principal.name) })),
  ];
}
