/** HTTP routes of alerting (/api/v1/alerts/...): parse, call the engine's services, shape the answer. */
import type { ApiRoute } from '../api-route.js';
import { type Fields, optInt, optString } from '../fields.js';
import type { AlertEngine } from './alert-engine.js';
import { CreateNotifierBody, CreateRuleBody, CreateSilenceBody, DestinationsBody, UpdateNotifierBody, UpdateRuleBody } from './alert-schemas.js';
import { parseInstant } from './time-bounds.js';

const P = '/api/v1/alerts';

export function alertRoutes(engine: AlertEngine): ApiRoute[] {
  const { rules, silences, notifiers } = engine;
  const id = (ctx: { params: Record<string, string> }) => ctx.params['id']!;
  return [
    { method: 'GET', url: P, role: 'viewer', style: 'native', summary: 'Current alerts (pending and firing; ?state=all|firing|pending|inactive, ?deployment=)', handler: async (f) => ({ alerts: await rules.currentAlerts(f) }) },
    { method: 'GET', url: `${P}/history`, role: 'viewer', style: 'native', summary: 'Alert events (pending, firing, resolved, inactive), newest first; ?deployment, rule, since, until, max_results, page_token', handler: async (f) => rules.history(f) },
    {
      method: 'POST', url: `${P}/evaluate`, role: 'editor', style: 'native', summary: 'Evaluate every rule now; answers the transitions and notifications',
      handler: async () => engine.evaluateNow(),
    },
    { method: 'GET', url: `${P}/notifications`, role: 'viewer', style: 'native', summary: 'Notifications sent, failed or silenced, newest first; ?deployment, since, max_results', handler: async (f) => ({ notifications: await listNotifications(engine, f) }) },

    { method: 'GET', url: `${P}/rules`, role: 'viewer', style: 'native', summary: 'Alert rules (?deployment=)', handler: async (f) => ({ rules: await rules.listRules(optString(f, 'deployment')) }) },
    { method: 'POST', url: `${P}/rules`, role: 'editor', style: 'native', body: CreateRuleBody, summary: 'Create an alert rule', handler: async (f, ctx) => ({ rule: await rules.createRule(f, ctx.principal.name) }) },
    { method: 'GET', url: `${P}/rules/:id`, role: 'viewer', style: 'native', summary: 'An alert rule (by id or name)', handler: async (_f, ctx) => ({ rule: await rules.getRule(id(ctx)) }) },
    { method: 'PUT', url: `${P}/rules/:id`, role: 'editor', style: 'native', body: UpdateRuleBody, summary: 'Change an alert rule (fields left out keep their values)', handler: async (f, ctx) => ({ rule: await rules.updateRule(id(ctx), f) }) },
    {
      method: 'DELETE', url: `${P}/rules/:id`, role: 'editor', style: 'native', summary: 'Delete an alert rule (its history stays)',
      handler: async (_f, ctx) => {
        await rules.deleteRule(id(ctx));
        return {};
      },
    },

    { method: 'GET', url: `${P}/silences`, role: 'viewer', style: 'native', summary: 'Silences in force or to come (?all=true for expired ones too)', handler: async (f) => ({ silences: await silences.list(f) }) },
    { method: 'POST', url: `${P}/silences`, role: 'editor', style: 'native', body: CreateSilenceBody, summary: 'Silence alerts matching every matcher for a period', handler: async (f, ctx) => ({ silence: await silences.create(f, ctx.principal.name) }) },
    { method: 'GET', url: `${P}/silences/:id`, role: 'viewer', style: 'native', summary: 'A silence', handler: async (_f, ctx) => ({ silence: await silences.get(id(ctx)) }) },
    { method: 'DELETE', url: `${P}/silences/:id`, role: 'editor', style: 'native', summary: 'Expire a silence now (it stays listed with ?all=true)', handler: async (_f, ctx) => ({ silence: await silences.expire(id(ctx)) }) },

    { method: 'GET', url: `${P}/notifiers`, role: 'admin', style: 'native', summary: 'Notifiers (secrets are never returned)', handler: async () => ({ notifiers: await notifiers.list() }) },
    { method: 'POST', url: `${P}/notifiers`, role: 'admin', style: 'native', body: CreateNotifierBody, summary: 'Add a webhook or Slack notifier (the URL is checked against the destination list)', handler: async (f, ctx) => ({ notifier: await notifiers.create(f, ctx.principal.name) }) },
    { method: 'GET', url: `${P}/notifiers/:id`, role: 'admin', style: 'native', summary: 'A notifier (by id or name)', handler: async (_f, ctx) => ({ notifier: await notifiers.get(id(ctx)) }) },
    { method: 'PUT', url: `${P}/notifiers/:id`, role: 'admin', style: 'native', body: UpdateNotifierBody, summary: "Change a notifier's url, secret or enabled", handler: async (f, ctx) => ({ notifier: await notifiers.update(id(ctx), f) }) },
    {
      method: 'DELETE', url: `${P}/notifiers/:id`, role: 'admin', style: 'native', summary: 'Delete a notifier',
      handler: async (_f, ctx) => {
        await notifiers.delete(id(ctx));
        return {};
      },
    },

    { method: 'GET', url: `${P}/destinations`, role: 'admin', style: 'native', summary: 'Where notifiers may send: the allow/deny list', handler: async () => ({ destinations: await notifiers.policy() }) },
    { method: 'PUT', url: `${P}/destinations`, role: 'admin', style: 'native', body: DestinationsBody, summary: 'Replace the destination allow/deny list', handler: async (f, ctx) => ({ destinations: await notifiers.setPolicy(f, ctx.principal.name) }) },
  ];
}

async function listNotifications(engine: AlertEngine, f: Fields) {
  const since = f['since'] !== undefined ? parseInstant(f['since'], 'since', Date.now()) : undefined;
  return engine.notifications({ deployment: optString(f, 'deployment'), since, limit: optInt(f, 'max_results', { min: 1, max: 1000 }) ?? 100 });
}
