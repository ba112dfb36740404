/** What `ferry runs list|show` do (their definitions are in runs-command.ts). */
import type { Command } from 'commander';
import { type Experiment, FerryApiError, type FerryClient, type Metric, type Run } from '../sdk/index.js';
import { clientFor, formatDuration, formatTime, formatValue, morePagesNote, note, print, printJson } from './context.js';
import type { OutputOptions } from './options.js';
import { formatDetails, formatTable, heading } from './table.js';

export interface ListOptions extends OutputOptions {
  experiment: string;
  filter?: string;
  orderBy?: string[];
  maxResults?: number;
  pageToken?: string;
}

const isNotFound = (err: unknown) => err instanceof FerryApiError && err.status === 404;

/** An all-digits reference is tried as an id first, then as a name; anything else is a name. */
export async function resolveExperiment(client: FerryClient, ref: string): Promise<Experiment> {
  if (/^\d+$/.test(ref)) {
    try {
      return await client.experiments.get(ref);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
  try {
    return await client.experiments.getByName(ref);
  } catch (err) {
    if (isNotFound(err)) throw new Error(`no experiment with id or name '${ref}'`);
    throw err;
  }
}

function duration(run: Run): string {
  return run.info.end_time ? formatDuration(run.info.end_time - run.info.start_time) : '';
}

const metricSummary = (metrics: readonly Metric[]) =>
  [...metrics]
    .sort((a, b) => a.key.localeCompare(b.key))
    .map((m) => `${m.key}=${formatValue(m.value)}`)
    .join(' ');

export function runsTable(runs: readonly Run[]): string {
  return formatTable(
    [
      { header: 'RUN ID', value: (r) => r.info.run_id },
      { header: 'NAME', value: (r) => r.info.run_name, maxWidth: 40 },
      { header: 'STATUS', value: (r) => r.info.status },
      { header: 'STARTED', value: (r) => formatTime(r.info.start_time) },
      { header: 'DURATION', value: duration, align: 'right' },
      { header: 'METRICS', value: (r) => metricSummary(r.data.metrics), maxWidth: 80 },
    ],
    runs,
  );
}

export function runDetails(run: Run): string {
  const { info, data } = run;
  const parts = [
    formatDetails([
      ['Run ID', info.run_id],
      ['Name', info.run_name],
      ['Experiment', info.experiment_id],
      ['Status', info.status],
      ['User', info.user_id],
      ['Started', formatTime(info.start_time)],
      ['Ended', formatTime(info.end_time)],
      ['Duration', duration(run)],
      ['Lifecycle', info.lifecycle_stage],
      ['Artifacts', info.artifact_uri],
    ]),
  ];
  const kv = (title: string, rows: readonly { key: string; value: string }[]) => {
    if (rows.length === 0) return;
    const sorted = [...rows].sort((a, b) => a.key.localeCompare(b.key));
    parts.push(
      `\n${heading(title)}${formatTable(
        [
          { header: 'KEY', value: (r) => r.key },
          { header: 'VALUE', value: (r) => r.value, maxWidth: 100 },
        ],
        sorted,
        { indent: 2 },
      )}`,
    );
  };
  kv('Params', data.params);
  if (data.metrics.length > 0) {
    const metrics = [...data.metrics].sort((a, b) => a.key.localeCompare(b.key));
    parts.push(
      `\n${heading('Metrics')}${formatTable(
        [
          { header: 'KEY', value: (m) => m.key },
          { header: 'VALUE', value: (m) => formatValue(m.value), align: 'right' },
          { header: 'STEP', value: (m) => m.step, align: 'right' },
          { header: 'LOGGED', value: (m) => formatTime(m.timestamp) },
        ],
        metrics,
        { indent: 2 },
      )}`,
    );
  }
  kv('Tags', data.tags);
  const datasets = run.inputs?.dataset_inputs ?? [];
  if (datasets.length > 0) {
    parts.push(
      `\n${heading('Datasets')}${formatTable(
        [
          { header: 'NAME', value: (d) => d.dataset.name },
          { header: 'DIGEST', value: (d) => d.dataset.digest },
          { header: 'SOURCE', value: (d) => d.dataset.source, maxWidth: 80 },
        ],
        datasets,
        { indent: 2 },
      )}`,
    );
  }
  return parts.join('');
}

export async function listRuns(opts: ListOptions, cmd: Command): Promise<void> {
  const client = clientFor(cmd);
  const experiment = await resolveExperiment(client, opts.experiment);
  const res = await client.runs.search({
    experimentIds: [experiment.experiment_id],
    filter: opts.filter,
    orderBy: opts.orderBy,
    maxResults: opts.maxResults,
    pageToken: opts.pageToken,
  });
  if (opts.json) return printJson(res);
  if (res.runs.length === 0) note(`No runs in experiment '${experiment.name}' (${experiment.experiment_id}).`);
  else print(runsTable(res.runs));
  morePagesNote('runs', res.next_page_token);
}

export async function showRun(runId: string, opts: OutputOptions, cmd: Command): Promise<void> {
  const run = await clientFor(cmd).runs.get(runId);
  if (opts.json) return printJson(run);
  print(runDetails(run));
}
