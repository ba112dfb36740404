/**
 * `ferry cluster status`: the replicas serving this Ferry (their heartbeats, draining or serving) and which one
 * runs each once-per-cluster task; `ferry deployments traffic NAME`: a deployment's counters summed over the
 * replicas. Definitions only; cluster-actions.ts does the work (docs/cluster.md).
 */
import type { Command } from 'commander';
import type { OutputOptions } from './options.js';

const actions = () => import('./cluster-actions.js');

export function registerClusterCommand(program: Command): void {
  const cluster = program.command('cluster').description('The cluster: replicas on one store, and who runs each once-per-cluster task');
  cluster
    .command('status')
    .description('Live replicas (state, version, last heartbeat) and the leases of once-per-cluster tasks')
    .option('--json', 'print the API response as JSON')
    .action(async (opts: OutputOptions, cmd: Command) => (await actions()).status(opts, cmd));
  // Traffic summed over replicas is a deployment's, so it sits with the deployment commands (registered before this).
  const deployments = program.commands.find((c) => c.name() === 'deployments');
  if (deployments) registerTrafficCommand(deployments);
}

/** `traffic` under `ferry deployments`. */
export function registerTrafficCommand(deployments: Command): void {
  deployments
    .command('traffic')
    .description("A deployment's requests, failures and mean latency per model version, summed over every replica")
    .argument('<name>', 'deployment name')
    .option('--json', 'print the API response as JSON')
    .action(async (name: string, opts: OutputOptions, cmd: Command) => (await actions()).traffic(name, opts, cmd));
}
