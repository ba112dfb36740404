/** `ferry experiments list`: the definition; what it does is loaded when it runs (experiments-actions.ts). */
import { type Command, Option } from 'commander';
import type { ListOptions } from './experiments-actions.js';
import { listOptions } from './options.js';

const actions = () => import('./experiments-actions.js');

export function registerExperimentsCommand(program: Command): void {
  const experiments = program.command('experiments').description('Tracking experiments');
  listOptions(experiments.command('list').description('List experiments'), '"name LIKE \'churn%\'" or "tags.team = \'ml\'"', 'name ASC')
    .addOption(new Option('--view <view>', 'which lifecycle stages').choices(['active', 'deleted', 'all']).default('active'))
    .option('--json', 'print the API response as JSON')
    .action(async (opts: ListOptions, cmd: Command) => (await actions()).listExperiments(opts, cmd));
}
