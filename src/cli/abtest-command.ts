/**
 * `ferry abtest create|list|show|start|stop`: A/B tests between a deployment's model versions on business
 * outcomes (not MLflow experiments), and `ferry outcomes send FILE`: the outcome events they are judged on.
 * Every command takes --json. Definitions only; abtest-actions.ts does the work.
 *
 * A metric flag is METRIC:KIND:WINDOW[:OPTION...] (abtest-spec.ts has the grammar): KIND proportion | mean |
 * ratio, WINDOW the attribution window, OPTIONs increase | decrease, delay=DURATION, cuped=DURATION,
 * over=METRIC|$requests (a ratio's denominator).
 */
import { type Command, InvalidArgumentError, Option } from 'commander';
import type { CreateOptions, ListOptions, SendOptions, ShowOptions, StopOptions } from './abtest-actions.js';
import { collect, type OutputOptions, positiveInt } from './options.js';

const actions = () => import('./abtest-actions.js');

// The contract's lists (src/contract/abtests.ts), repeated here: definitions load on every start, the contract only when a command runs.
const STATES = ['draft', 'running', 'stopped'];
const METHODS = ['sequential', 'fixed', 'bayesian'];
const CORRECTIONS = ['holm', 'benjamini-hochberg', 'none'];

const METRIC_HELP =
  'METRIC:KIND:WINDOW[:OPTION...], KIND proportion|mean|ratio, OPTIONs increase|decrease, delay=DUR, cuped=DUR, over=METRIC|$requests (single-quote it in a shell)';

function alpha(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0 || n > 0.5) throw new InvalidArgumentError('must be a number above 0 and at most 0.5.');
  return n;
}

export function registerAbtestCommand(program: Command): void {
  const abtest = program
    .command('abtest')
    .description("A/B tests: compare a deployment's model versions on business outcomes (conversions, revenue), with statistics safe to peek at");

  abtest
    .command('create')
    .description('Create an A/B test on a deployment (its routes are the arms) and start it, unless --no-start')
    .argument('[name]', 'a unique name (letters, digits, _ . -); or "name" in --spec')
    .option('--deployment <name>', 'the deployment whose model versions are compared (two routes or more)')
    .option('--metric <spec>', `the primary metric: ${METRIC_HELP}; e.g. conversion:proportion:7d`)
    .option('--guardrail <spec>', 'a metric that must not get worse, same grammar, e.g. complaints:proportion:7d:decrease (repeatable)', collect)
    .option('--arm <version=weight>', "the split the test expects, in percent (repeatable; default the deployment's routes)", collect)
    .option('--control <version>', "the control arm (default the deployment's first route)")
    .addOption(new Option('--method <method>', 'sequential (default: peek at will), fixed (one look) or bayesian').choices(METHODS))
    .option('--alpha <alpha>', 'false-positive rate (default 0.05)', alpha)
    .addOption(new Option('--correction <correction>', 'across the primary metric and guardrails (default holm)').choices(CORRECTIONS))
    .option('--tuning <units>', 'sequential: the units at which you expect to decide (default 5000)', positiveInt)
    .option('--description <text>', 'what the test is for')
    .option('--spec <file.json>', 'the API body (POST /api/v1/abtests) from a JSON file; flags given replace its fields')
    .option('--no-start', 'leave it a draft (start it with ferry abtest start)')
    .option('--json', 'print the API response as JSON')
    .action(async (name: string | undefined, opts: CreateOptions, cmd: Command) => (await actions()).create(name, opts, cmd));

  abtest
    .command('list')
    .description('A/B tests, newest first')
    .option('--deployment <name>', 'only tests on this deployment')
    .addOption(new Option('--state <state>', 'only tests in this state').choices(STATES))
    .option('--json', 'print the API response as JSON')
    .action(async (opts: ListOptions, cmd: Command) => (await actions()).list(opts, cmd));

  abtest
    .command('show')
    .description('The report: sample-ratio check; per metric and arm: units mature/pending, mean, lift with its interval, p, verdict and why; the decision')
    .argument('<name>')
    .option('--at <time>', 'read the test as of this time: ISO 8601, epoch ms, or a duration ago (default now)')
    .option('--history', "add the primary metric's lift over time")
    .option('--points <n>', 'history: how many points (default 30)', positiveInt)
    .option('--json', 'print the report as JSON (the API response)')
    .action(async (name: string, opts: ShowOptions, cmd: Command) => (await actions()).show(name, opts, cmd));

  abtest
    .command('start')
    .description('Start a draft A/B test (one running test per deployment)')
    .argument('<name>')
    .option('--json', 'print the API response as JSON')
    .action(async (name: string, opts: OutputOptions, cmd: Command) => (await actions()).start(name, opts, cmd));

  abtest
    .command('stop')
    .description('Stop an A/B test: the deployment routes by weight again; the report stays')
    .argument('<name>')
    .option('--reason <text>', 'why (kept with the test)')
    .option('--json', 'print the API response as JSON')
    .action(async (name: string, opts: StopOptions, cmd: Command) => (await actions()).stop(name, opts, cmd));

  const outcomes = program.command('outcomes').description('Business outcome events (conversions, revenue, clicks) that A/B tests are judged on');
  outcomes
    .command('send')
    .description('Send outcome events from a file (in requests of 10,000)')
    .argument('<file>', 'JSON (a list, or {"outcomes": [...]}), JSON Lines, or CSV with columns unit|request_id, metric, value, timestamp; - for stdin')
    .addOption(new Option('--format <format>', 'the file format (default: by extension, else by content)').choices(['json', 'jsonl', 'csv']))
    .option('--json', 'print {accepted, unknown} as JSON')
    .action(async (file: string, opts: SendOptions, cmd: Command) => (await actions()).sendOutcomes(file, opts, cmd));
}
