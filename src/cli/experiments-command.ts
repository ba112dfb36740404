/** `ferry experiments list` */
import { type Command, Option } from 'commander';
import type { Experiment, ViewType } from '../sdk/index.js';
import { clientFor, formatTime, morePagesNote, type OutputOptions, print, printJson, listOptions } from './context.js';
import { formatTable } from './table.js';

const VIEWS: Record<string, ViewType> = { active: 'ACTIVE_ONLY', deleted: 'DELETED_ONLY', all: 'ALL' };

interface ListOptions extends OutputOptions {
  filter?: string;
  orderBy?: string[];
  maxResults?: number;
  pageToken?: string;
  view: string;
}

export function experimentsTable(experiments: readonly Experiment[]): string {
  return formatTable(
    [
      { header: 'ID', value: (e) => e.experiment_id, align: 'right' },
      { header: 'NAME', value: (e) => e.name, maxWidth: 60 },
      { header: 'STAGE', value: (e) => e.lifecycle_stage },
      { header: 'CREATED', value: (e) => formatTime(e.creation_time) },
      { header: 'ARTIFACT LOCATION', value: (e) => e.artifact_location },
    ],
    experiments,
  );
}

export function registerExperimentsCommand(program: Command): void {
  const experiments = program.command('experiments').description('Tracking experiments');
  listOptions(experiments.command('list').description('List experiments'), '"name LIKE \'churn%\'" or "tags.team = \'ml\'"', 'name ASC')
    .addOption(new Option('--view <view>', 'which lifecycle stages').choices(Object.keys(VIEWS)).default('active'))
    .option('--json', 'print the API response as JSON')
    .action(async (opts: ListOptions, cmd: Command) => {
      const res = await clientFor(cmd).experiments.search({
        filter: opts.filter,
        orderBy: opts.orderBy,
        maxResults: opts.maxResults,
        pageToken: opts.pageToken,
        viewType: VIEWS[opts.view],
      });
      if (opts.json) return printJson(res);
      print(experimentsTable(res.experiments));
      morePagesNote('experiments', res.next_page_token);
    });
}
