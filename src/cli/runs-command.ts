/** `ferry runs list --experiment <id|name>` and `ferry runs show <run_id>`: definitions; runs-actions.ts does the work. */
import type { Command } from 'commander';
import { listOptions, type OutputOptions } from './options.js';
import type { ListOptions } from './runs-actions.js';

const actions = () => import('./runs-actions.js');

export function registerRunsCommand(program: Command): void {
  const runs = program.command('runs').description('Tracking runs');
  listOptions(runs.command('list').description("List an experiment's runs"), '"metrics.rmse < 0.8 and params.alpha = \'0.5\'"', 'metrics.rmse ASC')
    .requiredOption('--experiment <id|name>', 'experiment id or name')
    .option('--json', 'print the API response as JSON')
    .action(async (opts: ListOptions, cmd: Command) => (await actions()).listRuns(opts, cmd));
  runs
    .command('show')
    .description("A run's details: params, metrics, tags")
    .argument('<run_id>', 'the run id')
    .option('--json', 'print the run as JSON')
    .action(async (runId: string, opts: OutputOptions, cmd: Command) => (await actions()).showRun(runId, opts, cmd));
}
