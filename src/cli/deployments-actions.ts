/** What `ferry deploy` and `ferry deployments list|show|streams|rollback|delete` do (definitions: deployments-command.ts). */
import type { Command } from 'commander';
import { type Deployment, type DeploymentModelRef, type DeploymentRoute, type DeploymentSpecInput, FerryApiError, type FerryClient } from '../sdk/index.js';
import { clientFor, note, print, printJson } from './context.js';
import { deploymentDetails, deploymentsTable } from './deployment-format.js';
import { streamsTable } from './streams-format.js';
import { routesOf } from './model-refs.js';
import type { OutputOptions } from './options.js';

export interface DeployOptions extends OutputOptions {
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

/** The spec `ferry deploy` describes: the whole of it (what is left out gets the server's defaults). */
export function specFromOptions(opts: DeployOptions): DeploymentSpecInput {
  if ((opts.version === undefined) === (opts.alias === undefined)) throw new Error('pass exactly one of --version or --alias for --model');
  const main: DeploymentModelRef = opts.version !== undefined ? { model: opts.model, version: opts.version } : { model: opts.model, alias: opts.alias! };
  const batching = Object.fromEntries(
    Object.entries({ max_batch_size: opts.maxBatchSize, max_queue_delay_ms: opts.maxQueueDelayMs, max_queue_rows: opts.maxQueueRows }).filter(
      ([, v]) => v !== undefined,
    ),
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

export async function deploy(name: string, opts: DeployOptions, cmd: Command): Promise<void> {
  const spec = specFromOptions(opts);
  const { deployment, created } = await createOrUpdate(clientFor(cmd), name, spec);
  if (opts.json) return printJson({ deployment });
  note(created ? `Created deployment '${name}' (revision ${deployment.revision}).` : `Updated deployment '${name}' to revision ${deployment.revision}.`);
  print(deploymentDetails(deployment));
}

export async function listDeployments(opts: OutputOptions, cmd: Command): Promise<void> {
  const list = await clientFor(cmd).deployments.list();
  if (opts.json) return printJson({ deployments: list });
  if (list.length === 0) note('No deployments.');
  else print(deploymentsTable(list));
}

export async function showDeployment(name: string, opts: OutputOptions, cmd: Command): Promise<void> {
  const client = clientFor(cmd);
  const [deployment, revisions] = await Promise.all([client.deployments.get(name), client.deployments.revisions(name)]);
  if (opts.json) return printJson({ deployment, revisions });
  print(deploymentDetails(deployment, revisions));
}

export async function rollbackDeployment(name: string, opts: OutputOptions & { revision: number }, cmd: Command): Promise<void> {
  const deployment = await clientFor(cmd).deployments.rollback(name, opts.revision);
  if (opts.json) return printJson({ deployment });
  note(`Rolled back deployment '${name}' to revision ${opts.revision}'s spec (now revision ${deployment.revision}).`);
  print(deploymentDetails(deployment));
}

export async function deleteDeployment(name: string, opts: OutputOptions, cmd: Command): Promise<void> {
  await clientFor(cmd).deployments.delete(name);
  if (opts.json) return printJson({});
  print(`Deleted deployment ${name}.\n`);
}

export async function listStreams(name: string, opts: OutputOptions, cmd: Command): Promise<void> {
  const streams = await clientFor(cmd).streams.list(name);
  if (opts.json) return printJson({ streams });
  if (streams.length === 0) return note(`Deployment '${name}' has no stream bindings.`);
  print(streamsTable(streams));
}
