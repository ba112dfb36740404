/**
 * `ferry executors list|show|set|delete`: where jobs run (the built-in local executor, Ray clusters, Kubernetes).
 * Setting one is for admins; a cluster token is sent once (from stdin, never a flag, so it stays out of shell
 * history), stored encrypted and never shown again. Definitions only; executors-actions.ts does the work.
 */
import { type Command, Option } from 'commander';
import type { SetOptions } from './executors-actions.js';
import { nonNegativeInt, type OutputOptions, positiveInt } from './options.js';

const actions = () => import('./executors-actions.js');

// The contract's lists (src/contract/jobs.ts), repeated here: definitions load on every start, the contract only when a command runs.
const KINDS = ['local', 'ray', 'kubernetes'];
const ENV_MANAGERS = ['local', 'virtualenv'];

export function registerExecutorsCommand(program: Command): void {
  const executors = program.command('executors').description('Executors: where jobs run (local, Ray clusters, Kubernetes)');

  executors
    .command('list')
    .description('Executors (credentials are never shown)')
    .option('--json', 'print the API response as JSON')
    .action(async (opts: OutputOptions, cmd: Command) => (await actions()).list(opts, cmd));

  executors
    .command('show')
    .description("An executor's settings (credentials are never shown)")
    .argument('<name>')
    .option('--json', 'print the API response as JSON')
    .action(async (name: string, opts: OutputOptions, cmd: Command) => (await actions()).show(name, opts, cmd));

  executors
    .command('set')
    .description('Create or replace an executor (admin); a stored token is kept unless a new one is given')
    .argument('<name>', 'lowercase letters, digits and dashes')
    .addOption(new Option('--kind <kind>', 'what runs the jobs').choices(KINDS).makeOptionMandatory())
    .option('--address <url>', "ray: the head's dashboard URL (http://host:8265)")
    .option('--server <url>', "kubernetes: the API server's URL")
    .option('--namespace <ns>', "kubernetes: the Jobs' namespace (default 'default')")
    .option('--image <image>', 'kubernetes: the image that runs projects (Python with mlflow)')
    .option('--service-account <name>', "kubernetes: the pods' service account")
    .option('--ca-cert <file>', "kubernetes: PEM file of the API server's CA")
    .option('--insecure-skip-tls-verify', 'kubernetes: do not verify the API server certificate (tests only)')
    .option('--ttl-seconds-after-finished <n>', 'kubernetes: delete finished Jobs after this (default 3600)', nonNegativeInt)
    .option('--token-stdin', 'read the cluster bearer token from stdin (stored encrypted, never shown)')
    .option('--token-env <VAR>', 'the server reads the cluster token from its environment variable VAR (nothing secret is sent)')
    .option('--tracking-uri <url>', "Ferry's URL as the executor's jobs reach it (default: the server's own URL)")
    .option('--max-concurrent <n>', 'jobs it runs at once', positiveInt)
    .addOption(new Option('--env-manager <manager>', 'the default for jobs that do not choose').choices(ENV_MANAGERS))
    .option('--grace-period <duration>', 'local: after SIGTERM, wait this long before SIGKILL (default 10s)')
    .addOption(new Option('--disable', 'take no new jobs').conflicts('enable'))
    .option('--enable', 'take jobs (the default)')
    .option('--json', 'print the API response as JSON')
    .action(async (name: string, opts: SetOptions, cmd: Command) => (await actions()).set(name, opts, cmd));

  executors
    .command('delete')
    .description('Remove an executor set through the API (admin; refused while it has unfinished jobs)')
    .argument('<name>')
    .option('--json', 'print the API response as JSON')
    .action(async (name: string, opts: OutputOptions, cmd: Command) => (await actions()).remove(name, opts, cmd));
}
