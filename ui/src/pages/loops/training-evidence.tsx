/**
 * A training step for people: the job (linked to its page), the dataset versions it trained on, and the last
 * lines of its log (read from GET /api/v1/jobs/<id>/logs, up to a few MiB from the start).
 */
import { useEffect } from 'react';
import type { FerryClient, LoopStep } from '../../../../src/sdk/index.js';
import { useApi } from '../../api.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { Loading } from '../../components/loading.js';
import { href } from '../../router.js';
import { lastLines } from './loop-format.js';

const TAIL_LINES = 15;
const REFRESH_MS = 2000;
const MAX_PAGES = 4;

async function logTail(client: FerryClient, jobId: string): Promise<{ text: string; done: boolean }> {
  let offset = 0;
  let text = '';
  let done = false;
  for (let i = 0; i < MAX_PAGES; i++) {
    const page = await client.jobs.logs(jobId, { offset });
    // Keep only a tail's worth: a long log is read page by page, never held whole.
    text = lastLines(text + page.data, TAIL_LINES + 1);
    done = page.done;
    if (page.done || page.next_offset === offset) break;
    offset = page.next_offset;
  }
  return { text: lastLines(text, TAIL_LINES), done };
}

export function DatasetVersions({ step }: { step: LoopStep }) {
  const v = step.links.dataset_versions ?? [];
  if (v.length === 0) return null;
  return (
    <p>
      Data:{' '}
      {v.map((d, i) => (
        <span key={`${d.dataset}:${d.version}`}>
          {i ? ', ' : ''}
          <a href={href('/data/:name/:version', { name: d.dataset, version: String(d.version) })}>
            {d.dataset} v{d.version}
          </a>
        </span>
      ))}
    </p>
  );
}

export function TrainingEvidence({ step }: { step: LoopStep }) {
  const jobId = step.links.job_id ?? (typeof step.evidence['job_id'] === 'string' ? step.evidence['job_id'] : undefined);
  const log = useApi((c) => (jobId ? logTail(c, jobId) : Promise.resolve(null)), [jobId, step.seq]);
  // While the job runs, its tail follows the log.
  const running = log.data !== undefined && log.data !== null && !log.data.done;
  const { reload } = log;
  useEffect(() => {
    if (!running) return;
    const t = setInterval(reload, REFRESH_MS);
    return () => clearInterval(t);
  }, [running, reload]);
  return (
    <div>
      {jobId ? (
        <p>
          Job <a href={href('/jobs/:id', { id: jobId })}>{jobId}</a>
          {step.links.run_id ? (
            <>
              {' '}
              · run <a href={href('/runs/:id', { id: step.links.run_id })}>{step.links.run_id.slice(0, 12)}</a>
            </>
          ) : null}
        </p>
      ) : null}
      <DatasetVersions step={step} />
      {jobId ? (
        <>
          <ErrorBanner error={log.error} onRetry={log.reload} />
          {log.loading && log.data === undefined ? <Loading label="Reading the job's log…" /> : null}
          {log.data?.text ? (
            <pre className="job-log" aria-label="Job log tail">
              {log.data.text}
            </pre>
          ) : log.data ? (
            <p className="muted">The log is empty{log.data.done ? '' : ' so far'}.</p>
          ) : null}
        </>
      ) : null}
    </div>
  );
}
