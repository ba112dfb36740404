/**
 * `ferry deploy <name> --model M (--version V | --alias A) [--canary M:V:PCT]... [--shadow M:V]...` creates a
 * deployment or, when it exists, replaces its spec (a new revision); `ferry deployments list|show|rollback|delete`.
 */
import { type Command, InvalidArgumentError } from 'commander';
import { type Deployment, type DeploymentModelRef, type DeploymentRoute, type DeploymentSpecInput, FerryApiError, type FerryClient } from '../sdk/index.js';
import { clientFor, nonNegativeInt, note, type OutputOptions, positiveInt, print, printJson } from './context.js';
import { deploymentDetails, deploymentsTable } from './deployment-format.js';
import { collectCanary, collectShadow, routesOf } from './model-refs.js';

interface DeployOptions extends OutputOptions {
  model: string;
  version?: string;
  alias?: string;
  canary?: DeploymentRoute[];
  shadow?: DeploymentModelRef[];
  stickyKey?: string;
  maxBatchSize?: number;
  maxQueueDelayMs?: number;
  maxQueueRows?: number;
}

function versionNumber(value: string): string {
  if (!/^\d{1,9}$/.test(value.trim())) throw new InvalidArgumentError('must be a version number.');
  return String(Number(value));
}

function aliasName(value: string): string {
  if (!/^[\w-]+$/.test(value)) throw new InvalidArgumentError('must be an alias name (letters, digits, _ and -).');
  return value;
}

/** The spec `ferry deploy` describes: the whole of it (what is left out gets the server's defaults). */
export function specFromOptions(opts: DeployOptions): DeploymentSpecInput {
  if ((opts.version === undefined) === (opts.alias === undefined)) throw new Error('pass exactly one of --version or --alias for --model');
  const main: DeploymentModelRef = opts.version !== undefined ? { model: opts.model, version: opts.version } : { model: opts.model, alias: opts.alias! };
  const batching = Object.fromEntries(
    Object.entries({ max_batch_size: opts.maxBatchSize, max_queue_delay_ms: opts.maxQueueDelayMs, max_queue_rows: opts.maxQueueRows }).filter(([, v]) => v !== undefined),
  );
  return {
    routes: routesOf(main, opts.canary ?? []),
    shadow: opts.shadow ?? [],
    ...(opts.stickyKey ? { sticky_key: opts.stickyKey } : {}),
    ...(Object.keys(batching).length ? { batching } : {}),
  };
}

const isNotFound = (err: unknown) => err instanceof FerryApiError && err.status === 404;

/** Creates the deployment, or updates it when it exists. */
async function createOrUpdate(client: FerryClient, name: string, spec: DeploymentSpecInput): Promise<{ deployment: Deployment; created: boolean }> {
  const exists = await client.deployments.get(name).then(
    () => true,
    (err: unknown) => {
      if (isNotFound(err)) return false;
      throw err;
    },
  );
  if (exists) return { deployment: await client.deployments.update(name, spec), created: false };
  return { deployment: await client.deployments.create(name, spec), created: true };
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
    .action(async (name: string, opts: DeployOptions, cmd: Command) => {
      const spec = specFromOptions(opts);
      const { deployment, created } = await createOrUpdate(clientFor(cmd), name, spec);
      if (opts.json) return printJson({ deployment });
      note(created ? `Created deployment '${name}' (revision ${deployment.revision}).` : `Updated deployment '${name}' to revision ${deployment.revision}.`);
      print(deploymentDetails(deployment));
    });
}

export function registerDeploymentsCommand(program: Command): void {
  const deployments = program.command('deployments').description('Deployments: routes to model versions, revisions, rollback');
  deployments
    .command('list')
    .description('List deployments with what they serve')
    .option('--json', 'print the API response as JSON')
    .action(async (opts: OutputOptions, cmd: Command) => {
      const list = await clientFor(cmd).deployments.list();
      if (opts.json) return printJson({ deployments: list });
      if (list.length === 0) note('No deployments.');
      else print(deploymentsTable(list));
    });
  deployments
    .command('show')
    .description('A deployment: its routes with their state, and its revision history')
    .argument('<name>', 'deployment name')
    .option('--json', 'print {deployment, revisions} as JSON')
    .action(async (name: string, opts: OutputOptions, cmd: Command) => {
      const client = clientFor(cmd);
      const [deployment, revisions] = await Promise.all([client.deployments.get(name), client.deployments.revisions(name)]);
      if (opts.json) return printJson({ deployment, revisions });
      print(deploymentDetails(deployment, revisions));
    });
  deployments
    .command('rollback')
    .description("Return to an earlier revision's spec (recorded as a new revision)")
    .argument('<name>', 'deployment name')
    .requiredOption('--revision <n>', 'the revision to return to (see `ferry deployments show`)', positiveInt)
    .option('--json', 'print the API response as JSON')
    .action(async (name: string, opts: OutputOptions & { revision: number }, cmd: Command) => {
      const deployment = await clientFor(cmd).deployments.rollback(name, opts.revision);
      if (opts.json) return printJson({ deployment });
      note(`Rolled back deployment '${name}' to revision ${opts.revision}'s spec (now revision ${deployment.revision}).`);
      print(deploymentDetails(deployment));
    });
  deployments
    .command('delete')
    .description('Delete a deployment (in-flight requests finish first)')
    .argument('<name>', 'deployment name')
    .option('--json', 'print the API response as JSON')
    .action(async (name: string, opts: OutputOptions, cmd: Command) => {
      await clientFor(cmd).deployments.delete(name);
      if (opts.json) return printJson({});
      print(`Deleted deployment ${name}.\n`);
    });
}
