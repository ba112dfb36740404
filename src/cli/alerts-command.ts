/**
 * `ferry alerts` (current alerts), `ferry alerts history`, `ferry alerts rules list|create|delete`,
 * `ferry alerts silence --matcher k=v --for 2h`, `ferry alerts silences`, `ferry alerts notifiers add --webhook-url U --secret-env V|list|delete`,
 * `ferry alerts destinations`, `ferry alerts evaluate`. Every command has --json; tables otherwise.
 */
import { type Command, InvalidArgumentError } from 'commander';
import type { AlertComparison, AlertEvaluation, AlertRuleInput, AlertSeverity, AlertStatus, Silence } from '../sdk/index.js';
import { clientFor, collect, formatTime, formatValue, morePagesNote, note, type OutputOptions, positiveInt, print, printJson } from './context.js';
import { formatTable } from './table.js';

const COMPARISONS = ['>', '>=', '<', '<=', '==', '!='];
const SEVERITIES = ['info', 'warning', 'critical'];

function label(value: string, previous: Record<string, string> | undefined): Record<string, string> {
  const i = value.indexOf('=');
  if (i <= 0) throw new InvalidArgumentError('must be key=value.');
  return { ...(previous ?? {}), [value.slice(0, i)]: value.slice(i + 1) };
}

function matcher(value: string, previous: string[] | undefined): string[] {
  if (!/^[^=~!]+=~?/.test(value)) throw new InvalidArgumentError('must be name=value or name=~regex.');
  return [...(previous ?? []), value];
}

function number(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError('must be a number.');
  return n;
}

const value = (v: number | null) => (v === null ? 'no data' : formatValue(v));

function alertsTable(alerts: AlertStatus[]): string {
  return formatTable<AlertStatus>([
    { header: 'STATE', value: (a) => a.state },
    { header: 'DEPLOYMENT', value: (a) => a.deployment },
    { header: 'RULE', value: (a) => a.rule, maxWidth: 40 },
    { header: 'SEVERITY', value: (a) => a.severity },
    { header: 'CONDITION', value: (a) => `${a.metric} ${a.comparison} ${a.threshold}`, maxWidth: 50 },
    { header: 'VALUE', value: (a) => value(a.value), align: 'right' },
    { header: 'SINCE', value: (a) => formatTime(a.firing_since ?? a.active_since) },
  ], alerts);
}

function evaluationText(r: AlertEvaluation): string {
  let out = `Evaluated ${r.rules} rule${r.rules === 1 ? '' : 's'} at ${formatTime(r.evaluated_at)}.\n`;
  if (r.transitions.length) out += formatTable([
    { header: 'RULE', value: (t: AlertEvaluation['transitions'][number]) => t.rule },
    { header: 'DEPLOYMENT', value: (t) => t.deployment },
    { header: 'FROM', value: (t) => t.from },
    { header: 'TO', value: (t) => t.to },
    { header: 'VALUE', value: (t) => value(t.value), align: 'right' },
  ], r.transitions);
  if (r.notifications.length) out += formatTable([
    { header: 'NOTIFIER', value: (n: AlertEvaluation['notifications'][number]) => n.notifier ?? '-' },
    { header: 'DEPLOYMENT', value: (n) => n.deployment },
    { header: 'ALERTS', value: (n) => n.alert_status },
    { header: 'DELIVERY', value: (n) => n.status },
    { header: 'ATTEMPTS', value: (n) => n.attempts, align: 'right' },
    { header: 'ERROR', value: (n) => n.last_error ?? '', maxWidth: 60 },
  ], r.notifications);
  return out;
}

function silencesTable(list: Silence[]): string {
  return formatTable<Silence>([
    { header: 'ID', value: (s) => s.id },
    { header: 'STATUS', value: (s) => s.status },
    { header: 'MATCHERS', value: (s) => s.matchers.map((m) => `${m.name}${m.is_regex ? '=~' : '='}${m.value}`).join(', '), maxWidth: 60 },
    { header: 'ENDS', value: (s) => formatTime(s.ends_at) },
    { header: 'BY', value: (s) => s.created_by },
    { header: 'COMMENT', value: (s) => s.comment, maxWidth: 40 },
  ], list);
}

export function registerAlertsCommand(program: Command): void {
  const alerts = program.command('alerts').description('Alerts: current state, history, rules, silences and notifiers');
  // `ferry alerts` alone lists current alerts (a default subcommand, so its options never shadow the others').
  alerts
    .command('list', { isDefault: true })
    .description('Current alerts (pending and firing)')
    .option('--deployment <name>', 'only this deployment')
    .option('--state <state>', 'active (pending+firing, default), firing, pending, inactive or all')
    .option('--json', 'print the API response as JSON')
    .action(async (opts: OutputOptions & { deployment?: string; state?: 'active' }, cmd: Command) => {
      const list = await clientFor(cmd).alerts.list({ deployment: opts.deployment, state: opts.state });
      if (opts.json) return printJson({ alerts: list });
      if (list.length === 0) note('No alerts.');
      else print(alertsTable(list));
    });

  alerts
    .command('history')
    .description('Alert events (pending, firing, resolved), newest first')
    .option('--deployment <name>', 'only this deployment')
    .option('--rule <rule>', 'only this rule (id or name)')
    .option('--since <time>', 'ISO 8601, epoch ms, or a duration ago (24h)')
    .option('--until <time>', 'ISO 8601, epoch ms, or a duration ago')
    .option('--max-results <n>', 'page size', positiveInt)
    .option('--page-token <token>', 'continue from an earlier page')
    .option('--json', 'print the API response as JSON')
    .action(async (opts: OutputOptions & { deployment?: string; rule?: string; since?: string; until?: string; maxResults?: number; pageToken?: string }, cmd: Command) => {
      const { json, ...query } = opts;
      const page = await clientFor(cmd).alerts.history(query);
      if (json) return printJson(page);
      if (page.events.length === 0) note('No alert events.');
      else print(formatTable([
        { header: 'TIME', value: (e: (typeof page.events)[number]) => formatTime(e.ts) },
        { header: 'EVENT', value: (e) => e.event },
        { header: 'DEPLOYMENT', value: (e) => e.deployment },
        { header: 'RULE', value: (e) => e.rule, maxWidth: 40 },
        { header: 'CONDITION', value: (e) => `${e.metric} ${e.comparison} ${e.threshold}`, maxWidth: 50 },
        { header: 'VALUE', value: (e) => value(e.value), align: 'right' },
      ], page.events));
      morePagesNote('events', page.next_page_token);
    });

  alerts
    .command('evaluate')
    .description('Evaluate every rule now and send what is due (editor)')
    .option('--json', 'print the API response as JSON')
    .action(async (opts: OutputOptions, cmd: Command) => {
      const r = await clientFor(cmd).alerts.evaluate();
      if (opts.json) return printJson(r);
      print(evaluationText(r));
    });

  const rules = alerts.command('rules').description('Alert rules');
  rules
    .command('list')
    .description('List alert rules')
    .option('--deployment <name>', 'only this deployment')
    .option('--json', 'print the API response as JSON')
    .action(async (opts: OutputOptions & { deployment?: string }, cmd: Command) => {
      const list = await clientFor(cmd).alerts.listRules(opts.deployment);
      if (opts.json) return printJson({ rules: list });
      if (list.length === 0) return note('No alert rules.');
      print(formatTable([
        { header: 'NAME', value: (r: (typeof list)[number]) => r.name, maxWidth: 40 },
        { header: 'DEPLOYMENT', value: (r) => r.deployment },
        { header: 'CONDITION', value: (r) => `${r.metric} ${r.comparison} ${r.threshold}`, maxWidth: 50 },
        { header: 'WINDOW', value: (r) => r.window },
        { header: 'FOR', value: (r) => r.for },
        { header: 'SEVERITY', value: (r) => r.severity },
        { header: 'ENABLED', value: (r) => (r.enabled ? 'yes' : 'no') },
        { header: 'ID', value: (r) => r.id },
      ], list));
    });
  rules
    .command('create')
    .description('Create an alert rule')
    .requiredOption('--name <name>', 'unique rule name')
    .requiredOption('--deployment <name>', 'the deployment it watches')
    .requiredOption('--metric <metric>', 'error_rate, latency_p99, accuracy, drift_score:<feature>, ...')
    .requiredOption('--comparison <op>', COMPARISONS.join(' '))
    .requiredOption('--threshold <number>', 'the value compared with', number)
    .option('--window <duration>', 'metric window, e.g. 5m (default 5m)')
    .option('--for <duration>', 'how long the condition must hold before firing (default 0s)')
    .option('--keep-firing-for <duration>', 'how long a firing alert stays firing after the condition clears')
    .option('--severity <severity>', SEVERITIES.join(', '))
    .option('--label <key=value>', 'a label (repeatable)', label)
    .option('--disabled', 'create it paused')
    .option('--json', 'print the API response as JSON')
    .action(async (opts: OutputOptions & { name: string; deployment: string; metric: string; comparison: string; threshold: number; window?: string; for?: string; keepFiringFor?: string; severity?: string; label?: Record<string, string>; disabled?: boolean }, cmd: Command) => {
      const input: AlertRuleInput = {
        name: opts.name, deployment: opts.deployment, metric: opts.metric, comparison: opts.comparison as AlertComparison, threshold: opts.threshold,
        ...(opts.window ? { window: opts.window } : {}), ...(opts.for ? { for: opts.for } : {}), ...(opts.keepFiringFor ? { keep_firing_for: opts.keepFiringFor } : {}),
        ...(opts.severity ? { severity: opts.severity as AlertSeverity } : {}), ...(opts.label ? { labels: opts.label } : {}), ...(opts.disabled ? { enabled: false } : {}),
      };
      const rule = await clientFor(cmd).alerts.createRule(input);
      if (opts.json) return printJson({ rule });
      print(`Created alert rule ${rule.name} (${rule.id}): ${rule.metric} ${rule.comparison} ${rule.threshold} over ${rule.window}, for ${rule.for}, ${rule.severity}.\n`);
    });
  rules
    .command('delete')
    .description('Delete an alert rule (its history stays)')
    .argument('<rule>', 'rule id or name')
    .option('--json', 'print the API response as JSON')
    .action(async (ref: string, opts: OutputOptions, cmd: Command) => {
      await clientFor(cmd).alerts.deleteRule(ref);
      if (opts.json) return printJson({});
      print(`Deleted alert rule ${ref}.\n`);
    });

  alerts
    .command('silence')
    .description('Silence alerts matching every matcher for a while')
    .requiredOption('--matcher <name=value>', 'deployment=x, rule=y, severity=z, metric=m or a label; name=~regex for a pattern (repeatable)', matcher)
    .requiredOption('--for <duration>', 'how long, e.g. 2h')
    .option('--comment <text>', 'why')
    .option('--json', 'print the API response as JSON')
    .action(async (opts: OutputOptions & { matcher: string[]; for: string; comment?: string }, cmd: Command) => {
      const silence = await clientFor(cmd).alerts.createSilence({ matchers: opts.matcher, duration: opts.for, ...(opts.comment ? { comment: opts.comment } : {}) });
      if (opts.json) return printJson({ silence });
      print(`Silence ${silence.id} until ${formatTime(silence.ends_at)}.\n`);
    });
  alerts
    .command('silences')
    .description('List silences in force or to come')
    .option('--all', 'expired ones too')
    .option('--json', 'print the API response as JSON')
    .action(async (opts: OutputOptions & { all?: boolean }, cmd: Command) => {
      const list = await clientFor(cmd).alerts.listSilences(opts.all ? { all: true } : {});
      if (opts.json) return printJson({ silences: list });
      if (list.length === 0) note('No silences.');
      else print(silencesTable(list));
    });

  const notifiers = alerts.command('notifiers').description('Where alert notifications go (admin)');
  notifiers
    .command('add')
    .description('Add a webhook (signed JSON) or Slack-compatible notifier')
    .requiredOption('--name <name>', 'notifier name')
    // Not --url: that global option names the Ferry server for every client command.
    .requiredOption('--webhook-url <url>', 'the http(s) URL notifications are POSTed to')
    .option('--kind <kind>', 'webhook (default) or slack')
    .option('--secret-env <VAR>', 'read the HMAC signing secret from this environment variable (required for webhook)')
    .option('--json', 'print the API response as JSON')
    .action(async (opts: OutputOptions & { name: string; webhookUrl: string; kind?: 'webhook' | 'slack'; secretEnv?: string }, cmd: Command) => {
      let secret: string | undefined;
      if (opts.secretEnv) {
        secret = process.env[opts.secretEnv];
        if (!secret) throw new Error(`the environment variable ${opts.secretEnv} is empty or not set`);
      }
      const notifier = await clientFor(cmd).alerts.createNotifier({ name: opts.name, url: opts.webhookUrl, ...(opts.kind ? { kind: opts.kind } : {}), ...(secret ? { secret } : {}) });
      if (opts.json) return printJson({ notifier });
      print(`Added ${notifier.kind} notifier ${notifier.name} (${notifier.id}).\n`);
    });
  notifiers
    .command('list')
    .description('List notifiers (secrets are never shown)')
    .option('--json', 'print the API response as JSON')
    .action(async (opts: OutputOptions, cmd: Command) => {
      const list = await clientFor(cmd).alerts.listNotifiers();
      if (opts.json) return printJson({ notifiers: list });
      if (list.length === 0) return note('No notifiers.');
      print(formatTable([
        { header: 'NAME', value: (n: (typeof list)[number]) => n.name },
        { header: 'KIND', value: (n) => n.kind },
        { header: 'URL', value: (n) => n.url, maxWidth: 60 },
        { header: 'SIGNED', value: (n) => (n.has_secret ? 'yes' : 'no') },
        { header: 'ENABLED', value: (n) => (n.enabled ? 'yes' : 'no') },
        { header: 'ID', value: (n) => n.id },
      ], list));
    });
  notifiers
    .command('delete')
    .description('Delete a notifier')
    .argument('<notifier>', 'id or name')
    .option('--json', 'print the API response as JSON')
    .action(async (ref: string, opts: OutputOptions, cmd: Command) => {
      await clientFor(cmd).alerts.deleteNotifier(ref);
      if (opts.json) return printJson({});
      print(`Deleted notifier ${ref}.\n`);
    });

  alerts
    .command('destinations')
    .description('Show, or with options replace, the destination allow/deny list (admin)')
    .option('--allow <entry>', 'host, *.domain, address or CIDR allowed even when private (repeatable)', collect)
    .option('--deny <entry>', 'always refused (repeatable)', collect)
    .option('--allow-only', 'refuse everything not on the allow list')
    .option('--json', 'print the API response as JSON')
    .action(async (opts: OutputOptions & { allow?: string[]; deny?: string[]; allowOnly?: boolean }, cmd: Command) => {
      const api = clientFor(cmd).alerts;
      const change = opts.allow || opts.deny || opts.allowOnly;
      const d = change ? await api.setDestinations({ allow: opts.allow ?? [], deny: opts.deny ?? [], allow_only: Boolean(opts.allowOnly) }) : await api.destinations();
      if (opts.json) return printJson({ destinations: d });
      print(`allow       ${d.allow.join(', ') || '(none)'}\ndeny        ${d.deny.join(', ') || '(none)'}\nallow_only  ${d.allow_only ? 'yes' : 'no'}\n`);
    });
}
