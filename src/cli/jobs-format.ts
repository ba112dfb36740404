/** Readable output of `ferry jobs ...`: the jobs table and one job's details. */
import type { Job } from '../sdk/index.js';
import { formatDuration, formatTime } from './context.js';
import { formatDetails, formatTable, heading } from './table.js';

/** How long the job ran (from start to end, or to now while it runs); '' before it starts. */
export function jobDuration(j: Job, now = Date.now()): string {
  const from = j.started_at;
  if (from === null) return '';
  return formatDuration((j.finished_at ?? now) - from);
}

export function jobsTable(jobs: readonly Job[]): string {
  return formatTable<Job>(
    [
      { header: 'JOB ID', value: (j) => j.job_id },
      { header: 'STATE', value: (j) => (j.cancel_requested && !j.finished_at ? `${j.state} (cancelling)` : j.state) },
      { header: 'EXECUTOR', value: (j) => j.executor },
      { header: 'ENTRY POINT', value: (j) => `${j.project.name}:${j.entry_point}`, maxWidth: 40 },
      { header: 'SUBMITTED BY', value: (j) => j.submitted_by, maxWidth: 30 },
      { header: 'SUBMITTED', value: (j) => formatTime(j.submitted_at) },
      { header: 'DURATION', value: (j) => jobDuration(j), align: 'right' },
      { header: 'RUN ID', value: (j) => j.run_id },
    ],
    jobs,
  );
}

function source(j: Job): string {
  return j.project.git_url ? `${j.project.git_url} @ ${j.project.git_commit ?? '?'}` : j.project.digest;
}

function resources(j: Job): string {
  const r = j.resources;
  return [r.cpus !== undefined ? `${r.cpus} CPU` : '', r.gpus !== undefined ? `${r.gpus} GPU` : '', r.memory_mb !== undefined ? `${r.memory_mb} MiB` : '']
    .filter(Boolean)
    .join(', ');
}

export function jobDetails(j: Job): string {
  const params = Object.entries(j.parameters);
  const queued = (j.started_at ?? (j.finished_at || Date.now())) - j.submitted_at;
  return (
    formatDetails([
      ['job id', j.job_id],
      ['state', j.cancel_requested && !j.finished_at ? `${j.state} (cancel requested)` : j.state],
      ['message', j.message],
      ['exit code', j.exit_code],
      ['executor', j.executor],
      ['external id', j.external_id],
      ['project', j.project.name],
      ['source', source(j)],
      ['entry point', j.entry_point],
      ['env manager', j.env_manager],
      ['resources', resources(j)],
      ['experiment id', j.experiment_id],
      ['run id', j.run_id],
      ['submitted by', j.submitted_by],
      ['submitted', formatTime(j.submitted_at)],
      ['started', formatTime(j.started_at)],
      ['running', formatTime(j.running_at)],
      ['finished', formatTime(j.finished_at)],
      ['queued for', formatDuration(queued)],
      ['duration', jobDuration(j)],
      ['attempts', `${j.attempts} of ${j.max_attempts}`],
      ['priority', j.priority],
      ['log', `${j.log_bytes} bytes (ferry jobs logs ${j.job_id})`],
    ]) +
    `\n${heading('Parameters')}` +
    (params.length
      ? formatDetails(
          params.map(([k, v]) => [k, v === '' ? "''" : v] as [string, string]),
          { indent: 2 },
        )
      : '  (none)\n') +
    `\n${heading('Command')}  ${j.command}\n`
  );
}
