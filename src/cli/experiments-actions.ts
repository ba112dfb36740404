/** What `ferry experiments list` does (its definition is in experiments-command.ts). */
import type { Command } from 'commander';
import type { Experiment, ViewType } from '../sdk/index.js';
import { clientFor, formatTime, morePagesNote, print, printJson } from './context.js';
import type { OutputOptions } from './options.js';
import { formatTable } from './table.js';

const VIEWS: Record<string, ViewType> = { active: 'ACTIVE_ONLY', deleted: 'DELETED_ONLY', all: 'ALL' };

export interface ListOptions extends OutputOptions {
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

export async function listExperiments(opts: ListOptions, cmd: Command): Promise<void> {
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
}
