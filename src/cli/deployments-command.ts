/**
 * `ferry deploy <name> --model M (--version V | --alias A) [--canary M:V:PCT]... [--shadow M:V]...` creates a
 * deployment or, when it exists, replaces its spec (a new revision); `ferry deployments list|show|streams|rollback|delete`.
 * Definitions only; deployments-actions.ts does the work.
 */
import { type Command, InvalidArgumentError } from 'commander';
import type { DeployOptions } from './deployments-actions.js';
import { collectCanary, collectShadow } from './model-refs.js';
import { nonNegativeInt, type OutputOptions, positiveInt } from './options.js';

const actions = () => import('./deployments-actions.js');

function versionNumber(value: string): string {
  if (!/^\d{1,9}$/.test(value.trim())) throw new InvalidArgumentError('must be a version number.');
  return String(Number(value));
}

function aliasName(value: string): string {
  if (!/^[\w-]+$/.test(value)) throw new InvalidArgumentError('must be an alias name (letters, digits, _ and -).');
  return value;
}

export function registerDeployCommand(program: Command): void {
  program
    .command('deploy')
    .description('Deploy model versions under a name (creates it, or makes a new revision of it)')
    .argument('<name>', 'deployment name (lowercase letters, digits and -)')
    .requiredOption('--model <model>', 'the registered model the main route serves')
    .option('--version <version>', 'the main route serves this version', versionNumber)
    .option('--alias <alias>', 'the main route follows this alias (e.g. champion)', aliasName)
    .option('--canary <model:version:pct>', 'a canary route taking PCT% of traffic; MODEL@ALIAS:PCT too (repeatable)', collectCanary)
    .option('--shadow <model:version>', 'a shadow route (gets a copy of traffic, answers are logged); MODEL@ALIAS too (repeatable)', collectShadow)
    .option('--sticky-key <field>', 'a request field whose value pins a caller to one route')
    .option('--max-batch-size <n>', 'rows per model call at most', positiveInt)
    .option('--max-queue-delay-ms <n>', 'how long a request may wait for others to batch with', nonNegativeInt)
    .option('--max-queue-rows <n>', 'rows waiting at most before requests are refused', positiveInt)
    .option('--json', 'print the API response as JSON')
    .action(async (name: string, opts: DeployOptions, cmd: Command) => (await actions()).deploy(name, opts, cmd));
}

export function registerDeploymentsCommand(program: Command): void {
  const deployments = program.command('deployments').description('Deployments: routes to model versions, revisions, rollback');
  deployments
    .command('list')
    .description('List deployments with what they serve')
    .option('--json', 'print the API response as JSON')
    .action(async (opts: OutputOptions, cmd: Command) => (await actions()).listDeployments(opts, cmd));
  deployments
    .command('show')
    .description('A deployment: its routes with their state, and its revision history')
    .argument('<name>', 'deployment name')
    .option('--json', 'print {deployment, revisions} as JSON')
    .action(async (name: string, opts: OutputOptions, cmd: Command) => (await actions()).showDeployment(name, opts, cmd));
  deployments
    .command('rollback')
    .description("Return to an earlier revision's spec (recorded as a new revision)")
    .argument('<name>', 'deployment name')
    .requiredOption('--revision <n>', 'the revision to return to (see `ferry deployments show`)', positiveInt)
    .option('--json', 'print the API response as JSON')
    .action(async (name: string, opts: OutputOptions & { revision: number }, cmd: Command) => (await actions()).rollbackDeployment(name, opts, cmd));
  deployments
    .command('streams')
    .description("A deployment's stream bindings: broker, input and output, consumer group, state, lag and messages (this replica's counts)")
    .argument('<name>', 'deployment name')
    .option('--json', 'print the API response as JSON')
    .action(async (name: string, opts: OutputOptions, cmd: Command) => (await actions()).listStreams(name, opts, cmd));
  deployments
    .command('delete')
    .description('Delete a deployment (in-flight requests finish first)')
    .argument('<name>', 'deployment name')
    .option('--json', 'print the API response as JSON')
    .action(async (name: string, opts: OutputOptions, cmd: Command) => (await actions()).deleteDeployment(name, opts, cmd));
}
