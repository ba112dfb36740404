/**
 * `ferry alerts` (current alerts), `ferry alerts history`, `ferry alerts rules list|create|delete`,
 * `ferry alerts silence --matcher k=v --for 2h`, `ferry alerts silences`, `ferry alerts notifiers add --webhook-url U --secret-env V|list|delete`,
 * `ferry alerts destinations`, `ferry alerts evaluate`. Every command has --json; tables otherwise.
 * Definitions only; alerts-actions.ts does the work.
 */
import { type Command, InvalidArgumentError } from 'commander';
import type { DestinationsOptions, HistoryOptions, ListOptions, NotifierOptions, RuleOptions, SilenceOptions } from './alerts-actions.js';
import { collect, type OutputOptions, positiveInt } from './options.js';

const actions = () => import('./alerts-actions.js');

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

export function registerAlertsCommand(program: Command): void {
  const alerts = program.command('alerts').description('Alerts: current state, history, rules, silences and notifiers');
  // `ferry alerts` alone lists current alerts (a default subcommand, so its options never shadow the others').
  alerts
    .command('list', { isDefault: true })
    .description('Current alerts (pending and firing)')
    .option('--deployment <name>', 'only this deployment')
    .option('--state <state>', 'active (pending+firing, default), firing, pending, inactive or all')
    .option('--json', 'print the API response as JSON')
    .action(async (opts: ListOptions, cmd: Command) => (await actions()).listAlerts(opts, cmd));

  alerts
    .command('history')
    .description('Alert events (pending, firing, resolved), newest first')
    .option('--deployment <name>', 'only this deployment')
    .option('--rule <rule>', 'only this rule (id or name)')
    .option('--since <time>', 'ISO 8601, epoch ms, or a duration ago (24h, 1h30m, 1.5h)')
    .option('--until <time>', 'ISO 8601, epoch ms, or a duration ago')
    .option('--max-results <n>', 'page size', positiveInt)
    .option('--page-token <token>', 'continue from an earlier page')
    .option('--json', 'print the API response as JSON')
    .action(async (opts: HistoryOptions, cmd: Command) => (await actions()).alertHistory(opts, cmd));

  alerts
    .command('evaluate')
    .description('Evaluate every rule now and send what is due (editor)')
    .option('--json', 'print the API response as JSON')
    .action(async (opts: OutputOptions, cmd: Command) => (await actions()).evaluateAlerts(opts, cmd));

  const rules = alerts.command('rules').description('Alert rules');
  rules
    .command('list')
    .description('List alert rules')
    .option('--deployment <name>', 'only this deployment')
    .option('--json', 'print the API response as JSON')
    .action(async (opts: OutputOptions & { deployment?: string }, cmd: Command) => (await actions()).listRules(opts, cmd));
  rules
    .command('create')
    .description('Create an alert rule')
    .requiredOption('--name <name>', 'unique rule name')
    .requiredOption('--deployment <name>', 'the deployment it watches')
    .requiredOption('--metric <metric>', 'error_rate, latency_p99, accuracy, drift_score:<feature>, ...')
    .requiredOption('--comparison <op>', COMPARISONS.join(' '))
    .requiredOption('--threshold <number>', 'the value compared with', number)
    .option('--window <duration>', 'metric window, e.g. 5m, 1h30m or 1.5h (default 5m)')
    .option('--for <duration>', 'how long the condition must hold before firing (default 0s)')
    .option('--keep-firing-for <duration>', 'how long a firing alert stays firing after the condition clears')
    .option('--severity <severity>', SEVERITIES.join(', '))
    .option('--label <key=value>', 'a label (repeatable)', label)
    .option('--disabled', 'create it paused')
    .option('--json', 'print the API response as JSON')
    .action(async (opts: RuleOptions, cmd: Command) => (await actions()).createRule(opts, cmd));
  rules
    .command('delete')
    .description('Delete an alert rule (its history stays)')
    .argument('<rule>', 'rule id or name')
    .option('--json', 'print the API response as JSON')
    .action(async (ref: string, opts: OutputOptions, cmd: Command) => (await actions()).deleteRule(ref, opts, cmd));

  alerts
    .command('silence')
    .description('Silence alerts matching every matcher for a while')
    .requiredOption('--matcher <name=value>', 'deployment=x, rule=y, severity=z, metric=m or a label; name=~regex for a pattern (repeatable)', matcher)
    .requiredOption('--for <duration>', 'how long, e.g. 2h')
    .option('--comment <text>', 'why')
    .option('--json', 'print the API response as JSON')
    .action(async (opts: SilenceOptions, cmd: Command) => (await actions()).createSilence(opts, cmd));
  alerts
    .command('silences')
    .description('List silences in force or to come')
    .option('--all', 'expired ones too')
    .option('--json', 'print the API response as JSON')
    .action(async (opts: OutputOptions & { all?: boolean }, cmd: Command) => (await actions()).listSilences(opts, cmd));

  const notifiers = alerts.command('notifiers').description('Where alert notifications go (admin)');
  notifiers
    .command('add')
    .description('Add a webhook (signed JSON), Slack-compatible or Alertmanager-compatible notifier')
    .requiredOption('--name <name>', 'notifier name')
    // Not --url: that global option names the Ferry server for every client command.
    .requiredOption('--webhook-url <url>', 'the http(s) URL notifications are POSTed to')
    .option('--kind <kind>', 'webhook (default), slack or alertmanager')
    .option('--secret-env <VAR>', 'read the HMAC signing secret from this environment variable (required for webhook)')
    .option('--json', 'print the API response as JSON')
    .action(async (opts: NotifierOptions, cmd: Command) => (await actions()).addNotifier(opts, cmd));
  notifiers
    .command('list')
    .description('List notifiers (secrets are never shown)')
    .option('--json', 'print the API response as JSON')
    .action(async (opts: OutputOptions, cmd: Command) => (await actions()).listNotifiers(opts, cmd));
  notifiers
    .command('delete')
    .description('Delete a notifier')
    .argument('<notifier>', 'id or name')
    .option('--json', 'print the API response as JSON')
    .action(async (ref: string, opts: OutputOptions, cmd: Command) => (await actions()).deleteNotifier(ref, opts, cmd));

  alerts
    .command('destinations')
    .description('Show, or with options replace, the destination allow/deny list (admin)')
    .option('--allow <entry>', 'host, *.domain, address or CIDR allowed even when private (repeatable)', collect)
    .option('--deny <entry>', 'always refused (repeatable)', collect)
    .option('--allow-only', 'refuse everything not on the allow list')
    .option('--json', 'print the API response as JSON')
    .action(async (opts: DestinationsOptions, cmd: Command) => (await actions()).destinations(opts, cmd));
}
