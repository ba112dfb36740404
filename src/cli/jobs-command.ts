/**
 * `ferry jobs submit PATH|URL [--wait]`, `ferry jobs list|show|logs [-f]|cancel`: MLflow Projects run by the
 * server's job queue on an executor (local, Ray, Kubernetes). Every command takes --json. Definitions only;
 * jobs-actions.ts does the work.
 *
 * Exit codes of `submit --wait`: 0 the job succeeded, 1 it failed (or the command failed), 130 it was
 * cancelled, or Ctrl-C stopped following it (the job keeps running).
 */
import { type Command, InvalidArgumentError, Option } from 'commander';
import type { CancelOptions, ListOptions, LogsOptions, SubmitOptions } from './jobs-actions.js';
import { nonNegativeInt, type OutputOptions, positiveInt } from './options.js';

const actions = () => import('./jobs-actions.js');

// The contract's lists (src/contract/jobs.ts), repeated here: definitions load on every start, the contract only when a command runs.
const JOB_STATES = ['queued', 'starting', 'running', 'succeeded', 'failed', 'cancelled'];
const ENV_MANAGERS = ['local', 'virtualenv'];

/** `-P key=value` (repeatable) → { key: value }; the value is taken literally, '=' and all. */
export function param(value: string, previous: Record<string, string> | undefined): Record<string, string> {
  const i = value.indexOf('=');
  if (i <= 0) throw new InvalidArgumentError('must be key=value.');
  const key = value.slice(0, i);
  if (previous && Object.hasOwn(previous, key)) throw new InvalidArgumentError(`'${key}' is given twice.`);
  return { ...(previous ?? {}), [key]: value.slice(i + 1) };
}

function positiveNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a number above 0.');
  return n;
}

function nonNegativeNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError('must be a number (0 or more).');
  return n;
}

export function registerJobsCommand(program: Command): void {
  const jobs = program.command('jobs').description('Jobs: run MLflow Projects on an executor (local, Ray, Kubernetes), follow their logs, cancel them');

  jobs
    .command('submit')
    .description('Submit an MLflow Project (a local folder, zipped and uploaded, or a git URL at a commit) as a job')
    .argument('<source>', 'a project folder, or a git URL (https://, ssh://, git@host:path, file://) with --commit')
    .option('-e, --entry-point <name>', "the entry point (default 'main')")
    .option('-P, --param <key=value>', 'a parameter, passed literally (repeatable)', param)
    .option('--executor <name>', "where it runs (default 'local'; see ferry executors list)")
    .option('--experiment <name>', 'the experiment its run goes to, by name (created when missing)')
    .option('--experiment-id <id>', 'the experiment its run goes to, by id')
    .option('--run-name <name>', 'the name of the run Ferry makes for the job')
    .addOption(new Option('--env-manager <manager>', "local: the executor's Python; virtualenv: one built from python_env.yaml").choices(ENV_MANAGERS))
    .option('--cpus <n>', 'CPUs for the entry point', positiveNumber)
    .option('--gpus <n>', 'GPUs for the entry point', nonNegativeNumber)
    .option('--memory <MB>', 'memory for the entry point, in MiB', positiveInt)
    .option('--max-attempts <n>', 'tries in all (default 1: training is not retried)', positiveInt)
    .option('--retry-backoff <duration>', 'wait before the 2nd try, doubling after (default 30s)')
    .option('--priority <n>', 'higher runs first, -100 to 100 (default 0)', (v: string) => {
      const n = Number(v);
      if (!/^-?\d+$/.test(v.trim()) || n < -100 || n > 100) throw new InvalidArgumentError('must be a whole number from -100 to 100.');
      return n;
    })
    .option('--commit <sha>', 'git: the commit to run (a hash; Ferry runs exact code)')
    .option('--subdirectory <dir>', 'git: the project folder inside the repository')
    .option('--wait', 'stream the log until the job ends, and exit with its outcome (0 succeeded, 1 failed, 130 cancelled)')
    .option('--json', 'print the API response as JSON (with --wait: the log goes to stderr, the ended job to stdout)')
    .action(async (source: string, opts: SubmitOptions, cmd: Command) => (await actions()).submit(source, opts, cmd));

  jobs
    .command('list')
    .description('Jobs, newest first')
    .addOption(new Option('--state <state>', 'only jobs in this state').choices(JOB_STATES))
    .option('--executor <name>', 'only jobs on this executor')
    .option('--experiment-id <id>', 'only jobs logging to this experiment')
    .option('--mine', 'only jobs I submitted')
    .option('--limit <n>', 'at most this many (default 100)', positiveInt)
    .option('--page-token <token>', 'continue from an earlier page')
    .option('--json', 'print the API response as JSON')
    .action(async (opts: ListOptions, cmd: Command) => (await actions()).list(opts, cmd));

  jobs
    .command('show')
    .description('A job: state, source, parameters, command, timings, message')
    .argument('<job-id>')
    .option('--json', 'print the API response as JSON')
    .action(async (id: string, opts: OutputOptions, cmd: Command) => (await actions()).show(id, opts, cmd));

  jobs
    .command('logs')
    .description("A job's log (stdout and stderr); with -f, follow it until the job ends")
    .argument('<job-id>')
    .option('-f, --follow', 'keep printing as the log grows, until the job ends (Ctrl-C stops following)')
    .option('--offset <bytes>', 'start this many bytes in', nonNegativeInt)
    .option('--json', 'print the log as JSON (with -f: one JSON object per piece, a line each)')
    .action(async (id: string, opts: LogsOptions, cmd: Command) => (await actions()).logs(id, opts, cmd));

  jobs
    .command('cancel')
    .description('Cancel a job: a queued one at once, a running one through its executor')
    .argument('<job-id>')
    .option('--wait', 'wait until the job has ended')
    .option('--json', 'print the API response as JSON')
    .action(async (id: string, opts: CancelOptions, cmd: Command) => (await actions()).cancel(id, opts, cmd));
}
