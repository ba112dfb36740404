/** What the `ferry alerts ...` commands do (their definitions are in alerts-command.ts). */
import type { Command } from 'commander';
import type { AlertComparison, AlertEvaluation, AlertRuleInput, AlertSeverity, AlertStatus, Silence } from '../sdk/index.js';
import { clientFor, durationFlag, formatTime, formatValue, morePagesNote, note, print, printJson } from './context.js';
import type { OutputOptions } from './options.js';
import { formatTable } from './table.js';

export interface ListOptions extends OutputOptions {
  deployment?: string;
  state?: 'active';
}

export interface HistoryOptions extends OutputOptions {
  deployment?: string;
  rule?: string;
  since?: string;
  until?: string;
  maxResults?: number;
  pageToken?: string;
}

export interface RuleOptions extends OutputOptions {
  name: string;
  deployment: string;
  metric: string;
  comparison: string;
  threshold: number;
  window?: string;
  for?: string;
  keepFiringFor?: string;
  severity?: string;
  label?: Record<string, string>;
  disabled?: boolean;
}

export interface SilenceOptions extends OutputOptions {
  matcher: string[];
  for: string;
  comment?: string;
}

export interface NotifierOptions extends OutputOptions {
  name: string;
  webhookUrl: string;
  kind?: 'webhook' | 'slack' | 'alertmanager';
  secretEnv?: string;
}

export interface DestinationsOptions extends OutputOptions {
  allow?: string[];
  deny?: string[];
  allowOnly?: boolean;
}

const value = (v: number | null) => (v === null ? 'no data' : formatValue(v));

function alertsTable(alerts: AlertStatus[]): string {
  return formatTable<AlertStatus>(
    [
      { header: 'STATE', value: (a) => a.state },
      { header: 'DEPLOYMENT', value: (a) => a.deployment },
      { header: 'RULE', value: (a) => a.rule, maxWidth: 40 },
      { header: 'SEVERITY', value: (a) => a.severity },
      { header: 'CONDITION', value: (a) => `${a.metric} ${a.comparison} ${a.threshold}`, maxWidth: 50 },
      { header: 'VALUE', value: (a) => value(a.value), align: 'right' },
      { header: 'SINCE', value: (a) => formatTime(a.firing_since ?? a.active_since) },
    ],
    alerts,
  );
}

function evaluationText(r: AlertEvaluation): string {
  let out = `Evaluated ${r.rules} rule${r.rules === 1 ? '' : 's'} at ${formatTime(r.evaluated_at)}.\n`;
  if (r.transitions.length)
    out += formatTable(
      [
        { header: 'RULE', value: (t: AlertEvaluation['transitions'][number]) => t.rule },
        { header: 'DEPLOYMENT', value: (t) => t.deployment },
        { header: 'FROM', value: (t) => t.from },
        { header: 'TO', value: (t) => t.to },
        { header: 'VALUE', value: (t) => value(t.value), align: 'right' },
      ],
      r.transitions,
    );
  if (r.notifications.length)
    out += formatTable(
      [
        { header: 'NOTIFIER', value: (n: AlertEvaluation['notifications'][number]) => n.notifier ?? '-' },
        { header: 'DEPLOYMENT', value: (n) => n.deployment },
        { header: 'ALERTS', value: (n) => n.alert_status },
        { header: 'DELIVERY', value: (n) => n.status },
        { header: 'ATTEMPTS', value: (n) => n.attempts, align: 'right' },
        { header: 'ERROR', value: (n) => n.last_error ?? '', maxWidth: 60 },
      ],
      r.notifications,
    );
  return out;
}

function silencesTable(list: Silence[]): string {
  return formatTable<Silence>(
    [
      { header: 'ID', value: (s) => s.id },
      { header: 'STATUS', value: (s) => s.status },
      { header: 'MATCHERS', value: (s) => s.matchers.map((m) => `${m.name}${m.is_regex ? '=~' : '='}${m.value}`).join(', '), maxWidth: 60 },
      { header: 'ENDS', value: (s) => formatTime(s.ends_at) },
      { header: 'BY', value: (s) => s.created_by },
      { header: 'COMMENT', value: (s) => s.comment, maxWidth: 40 },
    ],
    list,
  );
}

export async function listAlerts(opts: ListOptions, cmd: Command): Promise<void> {
  const list = await clientFor(cmd).alerts.list({ deployment: opts.deployment, state: opts.state });
  if (opts.json) return printJson({ alerts: list });
  if (list.length === 0) note('No alerts.');
  else print(alertsTable(list));
}

export async function alertHistory(opts: HistoryOptions, cmd: Command): Promise<void> {
  const { json, ...query } = opts;
  const page = await clientFor(cmd).alerts.history(query);
  if (json) return printJson(page);
  if (page.events.length === 0) note('No alert events.');
  else
    print(
      formatTable(
        [
          { header: 'TIME', value: (e: (typeof page.events)[number]) => formatTime(e.ts) },
          { header: 'EVENT', value: (e) => e.event },
          { header: 'DEPLOYMENT', value: (e) => e.deployment },
          { header: 'RULE', value: (e) => e.rule, maxWidth: 40 },
          { header: 'CONDITION', value: (e) => `${e.metric} ${e.comparison} ${e.threshold}`, maxWidth: 50 },
          { header: 'VALUE', value: (e) => value(e.value), align: 'right' },
        ],
        page.events,
      ),
    );
  morePagesNote('events', page.next_page_token);
}

export async function evaluateAlerts(opts: OutputOptions, cmd: Command): Promise<void> {
  const r = await clientFor(cmd).alerts.evaluate();
  if (opts.json) return printJson(r);
  print(evaluationText(r));
}

export async function listRules(opts: OutputOptions & { deployment?: string }, cmd: Command): Promise<void> {
  const list = await clientFor(cmd).alerts.listRules(opts.deployment);
  if (opts.json) return printJson({ rules: list });
  if (list.length === 0) return note('No alert rules.');
  print(
    formatTable(
      [
        { header: 'NAME', value: (r: (typeof list)[number]) => r.name, maxWidth: 40 },
        { header: 'DEPLOYMENT', value: (r) => r.deployment },
        { header: 'CONDITION', value: (r) => `${r.metric} ${r.comparison} ${r.threshold}`, maxWidth: 50 },
        { header: 'WINDOW', value: (r) => r.window },
        { header: 'FOR', value: (r) => r.for },
        { header: 'SEVERITY', value: (r) => r.severity },
        { header: 'ENABLED', value: (r) => (r.enabled ? 'yes' : 'no') },
        { header: 'ID', value: (r) => r.id },
      ],
      list,
    ),
  );
}

export async function createRule(opts: RuleOptions, cmd: Command): Promise<void> {
  const input: AlertRuleInput = {
    name: opts.name,
    deployment: opts.deployment,
    metric: opts.metric,
    comparison: opts.comparison as AlertComparison,
    threshold: opts.threshold,
    ...(opts.window ? { window: durationFlag(opts.window, '--window') } : {}),
    ...(opts.for ? { for: durationFlag(opts.for, '--for', { allowZero: true }) } : {}),
    ...(opts.keepFiringFor ? { keep_firing_for: durationFlag(opts.keepFiringFor, '--keep-firing-for', { allowZero: true }) } : {}),
    ...(opts.severity ? { severity: opts.severity as AlertSeverity } : {}),
    ...(opts.label ? { labels: opts.label } : {}),
    ...(opts.disabled ? { enabled: false } : {}),
  };
  const rule = await clientFor(cmd).alerts.createRule(input);
  if (opts.json) return printJson({ rule });
  print(
    `Created alert rule ${rule.name} (${rule.id}): ${rule.metric} ${rule.comparison} ${rule.threshold} over ${rule.window}, for ${rule.for}, ${rule.severity}.\n`,
  );
}

export async function deleteRule(ref: string, opts: OutputOptions, cmd: Command): Promise<void> {
  await clientFor(cmd).alerts.deleteRule(ref);
  if (opts.json) return printJson({});
  print(`Deleted alert rule ${ref}.\n`);
}

export async function createSilence(opts: SilenceOptions, cmd: Command): Promise<void> {
  const silence = await clientFor(cmd).alerts.createSilence({
    matchers: opts.matcher,
    duration: durationFlag(opts.for, '--for'),
    ...(opts.comment ? { comment: opts.comment } : {}),
  });
  if (opts.json) return printJson({ silence });
  print(`Silence ${silence.id} until ${formatTime(silence.ends_at)}.\n`);
}

export async function listSilences(opts: OutputOptions & { all?: boolean }, cmd: Command): Promise<void> {
  const list = await clientFor(cmd).alerts.listSilences(opts.all ? { all: true } : {});
  if (opts.json) return printJson({ silences: list });
  if (list.length === 0) note('No silences.');
  else print(silencesTable(list));
}

export async function addNotifier(opts: NotifierOptions, cmd: Command): Promise<void> {
  let secret: string | undefined;
  if (opts.secretEnv) {
    secret = process.env[opts.secretEnv];
    if (!secret) throw new Error(`the environment variable ${opts.secretEnv} is empty or not set`);
  }
  const notifier = await clientFor(cmd).alerts.createNotifier({
    name: opts.name,
    url: opts.webhookUrl,
    ...(opts.kind ? { kind: opts.kind } : {}),
    ...(secret ? { secret } : {}),
  });
  if (opts.json) return printJson({ notifier });
  print(`Added ${notifier.kind} notifier ${notifier.name} (${notifier.id}).\n`);
}

export async function listNotifiers(opts: OutputOptions, cmd: Command): Promise<void> {
  const list = await clientFor(cmd).alerts.listNotifiers();
  if (opts.json) return printJson({ notifiers: list });
  if (list.length === 0) return note('No notifiers.');
  print(
    formatTable(
      [
        { header: 'NAME', value: (n: (typeof list)[number]) => n.name },
        { header: 'KIND', value: (n) => n.kind },
        { header: 'URL', value: (n) => n.url, maxWidth: 60 },
        { header: 'SIGNED', value: (n) => (n.has_secret ? 'yes' : 'no') },
        { header: 'ENABLED', value: (n) => (n.enabled ? 'yes' : 'no') },
        { header: 'ID', value: (n) => n.id },
      ],
      list,
    ),
  );
}

export async function deleteNotifier(ref: string, opts: OutputOptions, cmd: Command): Promise<void> {
  await clientFor(cmd).alerts.deleteNotifier(ref);
  if (opts.json) return printJson({});
  print(`Deleted notifier ${ref}.\n`);
}

export async function destinations(opts: DestinationsOptions, cmd: Command): Promise<void> {
  const api = clientFor(cmd).alerts;
  const change = opts.allow || opts.deny || opts.allowOnly;
  const d = change
    ? await api.setDestinations({ allow: opts.allow ?? [], deny: opts.deny ?? [], allow_only: Boolean(opts.allowOnly) })
    : await api.destinations();
  if (opts.json) return printJson({ destinations: d });
  print(`allow       ${d.allow.join(', ') || '(none)'}\ndeny        ${d.deny.join(', ') || '(none)'}\nallow_only  ${d.allow_only ? 'yes' : 'no'}\n`);
}
