/**
 * `ferry loops create|update|list|show|runs|trigger|approve|promote|cancel|pause|resume|verdict`: loops that
 * retrain a deployment's model when something fires, gate the candidate offline, shadow and canary it, and promote
 * or roll back, every step recorded with its evidence and a sentence saying why. Every command takes --json.
 * Definitions only; loops-actions.ts does the work (docs/loops-cli.md has a worked example).
 *
 * Watching a run (`show NAME [SEQ] --watch`, `trigger NAME --watch`) exits 0 when it ends promoted (or as a dry
 * run), 1 when it ends otherwise (rolled back, rejected, failed, cancelled), 130 on Ctrl-C (the run goes on).
 */
import type { Command } from 'commander';
import type { ApproveOptions, ListOptions, ReasonOptions, ShowOptions, SpecOptions, TriggerOptions } from './loops-actions.js';
import { type OutputOptions, positiveInt } from './options.js';

const actions = () => import('./loops-actions.js');

const SPEC_HELP = 'the loop spec: YAML or JSON (the body of POST /api/v1/loops; training.project may be a local folder, uploaded); - for stdin';

export function registerLoopsCommand(program: Command): void {
  const loops = program
    .command('loops')
    .description("Loops: retrain, gate, shadow and canary a deployment's model, then promote or roll back; every step says why");

  loops
    .command('create')
    .description('Create a loop from a spec file')
    .requiredOption('-f, --file <file>', SPEC_HELP)
    .option('--json', 'print the API response as JSON')
    .action(async (opts: SpecOptions, cmd: Command) => (await actions()).create(opts, cmd));

  loops
    .command('update')
    .description("Replace a loop's triggers, training, gate, rollout and approvals from a spec file (a run under way keeps its spec)")
    .argument('<name>')
    .requiredOption('-f, --file <file>', `${SPEC_HELP}; its name, model and deployment, if given, must be the loop's`)
    .option('--json', 'print the API response as JSON')
    .action(async (name: string, opts: SpecOptions, cmd: Command) => (await actions()).update(name, opts, cmd));

  loops
    .command('list')
    .description('Loops, by name, with their last run')
    .option('--deployment <name>', 'only loops on this deployment')
    .option('--model <name>', 'only loops on this registered model')
    .option('--json', 'print the API response as JSON')
    .action(async (opts: ListOptions, cmd: Command) => (await actions()).list(opts, cmd));

  loops
    .command('show')
    .description("A loop and its runs; with SEQ, the run's timeline: each step's time, kind, status, actor and why, then its triggers")
    .argument('<name>')
    .argument('[seq]', 'a run of the loop (its number)', positiveInt)
    .option('--watch', 'follow the run (without SEQ: the latest) until it ends, printing each new step (polls every 2 s)')
    .option('--evidence', "with SEQ: each step's links and evidence (the numbers its decision stood on)")
    .option('--limit <n>', 'without SEQ: at most this many runs (default 100)', positiveInt)
    .option('--json', 'print the API response as JSON (with --watch: the ended run; progress on stderr)')
    .action(async (name: string, seq: number | undefined, opts: ShowOptions, cmd: Command) => (await actions()).show(name, seq, opts, cmd));

  loops
    .command('runs')
    .description("A loop's runs, newest first; with SEQ, that run's timeline (as show NAME SEQ)")
    .argument('<name>')
    .argument('[seq]', 'a run of the loop (its number)', positiveInt)
    .option('--watch', 'with SEQ: follow the run until it ends, printing each new step (polls every 2 s)')
    .option('--evidence', "with SEQ: each step's links and evidence")
    .option('--limit <n>', 'at most this many runs (default 100)', positiveInt)
    .option('--json', 'print the API response as JSON')
    .action(async (name: string, seq: number | undefined, opts: ShowOptions, cmd: Command) => (await actions()).runs(name, seq, opts, cmd));

  loops
    .command('trigger')
    .description('Start a run by hand (while one is going, the trigger is recorded on it instead)')
    .argument('<name>')
    .option('--reason <text>', 'why (recorded on the run)')
    .option('--candidate-version <n>', 'judge this registered version of the model instead of training one', positiveInt)
    .option('--dry-run', 'report what the policy would decide on logged data; change nothing')
    .option('--watch', 'follow the run until it ends, printing each new step')
    .option('--json', 'print the API response as JSON (with --watch: the ended run)')
    .action(async (name: string, opts: TriggerOptions, cmd: Command) => (await actions()).trigger(name, opts, cmd));

  loops
    .command('approve')
    .description('Approve a run that awaits approval (or reject it with --reject)')
    .argument('<name>')
    .argument('<seq>', 'the run (its number)', positiveInt)
    .option('--reject', 'reject instead: the run ends, nothing changes')
    .option('--reason <text>', 'why (recorded on the run)')
    .option('--json', 'print the API response as JSON')
    .action(async (name: string, seq: number, opts: ApproveOptions, cmd: Command) => (await actions()).approve(name, seq, opts, cmd));

  loops
    .command('promote')
    .description("Force the candidate's promotion whatever the gate or judge said (admin; the reason is recorded)")
    .argument('<name>')
    .argument('<seq>', 'the run (its number)', positiveInt)
    .requiredOption('--reason <text>', 'why the verdict is overridden')
    .option('--json', 'print the API response as JSON')
    .action(async (name: string, seq: number, opts: ReasonOptions & { reason: string }, cmd: Command) => (await actions()).promote(name, seq, opts, cmd));

  loops
    .command('cancel')
    .description('Cancel a run: its job is cancelled and the deployment restored to the revision before the run')
    .argument('<name>')
    .argument('<seq>', 'the run (its number)', positiveInt)
    .option('--reason <text>', 'why (recorded on the run)')
    .option('--json', 'print the API response as JSON')
    .action(async (name: string, seq: number, opts: ReasonOptions, cmd: Command) => (await actions()).cancel(name, seq, opts, cmd));

  loops
    .command('pause')
    .description('Pause a loop: triggers are recorded but start no run (a run under way goes on)')
    .argument('<name>')
    .option('--reason <text>', 'why')
    .option('--json', 'print the API response as JSON')
    .action(async (name: string, opts: ReasonOptions, cmd: Command) => (await actions()).pause(name, opts, cmd));

  loops
    .command('resume')
    .description('Resume a paused loop')
    .argument('<name>')
    .option('--json', 'print the API response as JSON')
    .action(async (name: string, opts: OutputOptions, cmd: Command) => (await actions()).resume(name, opts, cmd));

  loops
    .command('verdict')
    .description("The current rollout's verdict, as an Argo Rollouts web metric reads it (ok, verdict, lift and interval, why)")
    .argument('<name>')
    .option('--json', 'print the API response as JSON')
    .action(async (name: string, opts: OutputOptions, cmd: Command) => (await actions()).verdict(name, opts, cmd));
}
