/**
 * One job: its state and timing, where it runs (executor and its handle), the command, parameters and
 * attempts, why it is in its state, the live log, Cancel for editors and admins, and what it produced.
 */
import { useCallback, useEffect, useRef } from 'react';
import type { Job, JobState } from '../../../../src/sdk/index.js';
import { useApi, useSession } from '../../api.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { Loading } from '../../components/loading.js';
import { formatTime } from '../../format.js';
import { href } from '../../router.js';
import { CancelJob } from './cancel-job.js';
import { JobStateBadge } from './job-badge.js';
import { JobLog } from './job-log.js';
import { JobOutputs } from './job-outputs.js';
import { durationCell, isActive, queueWaitMs, runTimeMs, shortJobId, timeline } from './job-format.js';

/** How often an active job is read again (the log's answers also bring state changes sooner). */
const JOB_REFRESH_MS = 3000;

export function JobView({ jobId }: { jobId: string }) {
  const { who } = useSession();
  const canEdit = who.role === 'editor' || who.role === 'admin';
  const job = useApi((c) => c.jobs.get(jobId), [jobId]);
  const { reload, loading } = job;
  const state = job.data?.state;

  // While the job is active, read it again now and then: starting → running brings no log line.
  useEffect(() => {
    if (!state || !isActive(state) || loading) return;
    const t = setTimeout(reload, JOB_REFRESH_MS);
    return () => clearTimeout(t);
  }, [state, loading, reload, job.data]);

  // The log's answers carry the job's state: a change reloads the job at once.
  const shown = useRef<JobState | undefined>(undefined);
  shown.current = state;
  const onLogState = useCallback(
    (s: JobState) => {
      if (shown.current && s !== shown.current) reload();
    },
    [reload],
  );

  if (!job.data) {
    return (
      <div>
        <div className="page-header">
          <h1>Job {shortJobId(jobId)}</h1>
          <a href={href('/jobs')}>← Jobs</a>
        </div>
        <ErrorBanner error={job.error} onRetry={job.reload} />
        {job.loading ? <Loading /> : null}
      </div>
    );
  }
  const j = job.data;
  return (
    <div>
      <div className="page-header">
        <h1 title={j.job_id}>Job {shortJobId(j.job_id)}</h1>
        <JobStateBadge state={j.state} />
        {j.cancel_requested && isActive(j.state) ? <span className="muted">cancel requested</span> : null}
        <a href={href('/jobs')}>← Jobs</a>
        <span className="grow" />
        {canEdit && isActive(j.state) ? <CancelJob job={j} onCancelled={reload} /> : null}
      </div>
      <ErrorBanner error={job.error} onRetry={job.reload} />
      <div className="job-facts">
        <JobSummary job={j} />
        <JobTiming job={j} />
      </div>
      <JobOutputs runId={j.run_id} experimentId={j.experiment_id} ended={!isActive(j.state)} />
      <JobLog jobId={j.job_id} onState={onLogState} />
    </div>
  );
}

function JobSummary({ job: j }: { job: Job }) {
  const params = Object.entries(j.parameters);
  const resources = [
    j.resources.cpus !== undefined ? `${j.resources.cpus} CPU` : '',
    j.resources.gpus !== undefined ? `${j.resources.gpus} GPU` : '',
    j.resources.memory_mb !== undefined ? `${j.resources.memory_mb} MiB` : '',
  ].filter(Boolean);
  return (
    <section className="panel" aria-label="Job">
      <dl className="meta">
        <dt>Job id</dt>
        <dd>
          <code>{j.job_id}</code>
        </dd>
        <dt>Project</dt>
        <dd>
          {j.project.name} <code className="muted">{j.project.digest.slice(0, 19)}</code>
          {j.project.git_url ? (
            <div>
              <code>
                {j.project.git_url}@{j.project.git_commit}
              </code>
            </div>
          ) : null}
        </dd>
        <dt>Entry point</dt>
        <dd>{j.entry_point}</dd>
        <dt>Executor</dt>
        <dd>
          {j.executor}
          {j.external_id ? (
            <>
              {' '}
              <span className="muted">handle</span> <code>{j.external_id}</code>
            </>
          ) : null}
        </dd>
        <dt>Submitted by</dt>
        <dd>{j.submitted_by}</dd>
        <dt>Attempts</dt>
        <dd>
          {j.attempts} of {j.max_attempts}
        </dd>
        {j.exit_code !== null ? (
          <>
            <dt>Exit code</dt>
            <dd>{j.exit_code}</dd>
          </>
        ) : null}
        <dt>Message</dt>
        <dd className="job-message">{j.message ?? <span className="muted">—</span>}</dd>
        <dt>Environment</dt>
        <dd>
          {j.env_manager}
          {resources.length ? <span className="muted"> · {resources.join(', ')}</span> : null}
          {j.priority ? <span className="muted"> · priority {j.priority}</span> : null}
        </dd>
      </dl>
      <h3>Command</h3>
      <pre className="job-command">{j.command}</pre>
      <h3>Parameters</h3>
      {params.length === 0 ? (
        <p className="muted">none</p>
      ) : (
        <table className="job-params" aria-label="Parameters">
          <tbody>
            {params.map(([k, v]) => (
              <tr key={k}>
                <th scope="row">{k}</th>
                <td>
                  <code>{v}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function JobTiming({ job }: { job: Job }) {
  const now = Date.now();
  return (
    <section className="panel" aria-label="Timing">
      <ol className="job-timeline">
        {timeline(job).map((step) => (
          <li key={step.label} className={step.at ? 'done' : undefined}>
            <span className="step">{step.label}</span> <span className="muted">{step.at ? formatTime(step.at) : '—'}</span>
          </li>
        ))}
      </ol>
      <dl className="meta">
        <dt>Queue wait</dt>
        <dd>{durationCell(queueWaitMs(job, now))}</dd>
        <dt>Run time</dt>
        <dd>{durationCell(runTimeMs(job, now))}</dd>
      </dl>
    </section>
  );
}
