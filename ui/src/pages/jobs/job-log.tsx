/**
 * The log panel: live while the job runs, kept scrolled to the end unless the user scrolled up (then a
 * "Follow" button takes them back), with a note when earlier output is not kept.
 */
import { useLayoutEffect, useRef, useState } from 'react';
import type { JobState } from '../../../../src/sdk/index.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { formatBytes } from '../../format.js';
import { atBottom } from './log-buffer.js';
import { useJobLog } from './use-job-log.js';

export function JobLog({ jobId, onState }: { jobId: string; onState: (state: JobState) => void }) {
  const { log, done, error } = useJobLog(jobId, onState);
  const box = useRef<HTMLPreElement>(null);
  const [follow, setFollow] = useState(true);

  useLayoutEffect(() => {
    const el = box.current;
    if (el && follow) el.scrollTop = el.scrollHeight;
  }, [log.text, follow]);

  const jumpToEnd = () => {
    setFollow(true);
    const el = box.current;
    if (el) el.scrollTop = el.scrollHeight;
  };

  return (
    <section className="panel job-log-panel" aria-label="Log">
      <div className="toolbar">
        <h2>Log</h2>
        <span className="muted" role="status" aria-live="polite">
          {done ? 'complete' : 'live'}
        </span>
        <span className="grow" />
        {!follow ? (
          <button type="button" onClick={jumpToEnd}>
            ↓ Follow
          </button>
        ) : null}
      </div>
      <ErrorBanner error={error} />
      {log.dropped > 0 ? (
        <p className="muted">Earlier output (about {formatBytes(log.dropped)}) is not shown; the page keeps the latest part of the log.</p>
      ) : null}
      <pre ref={box} className="job-log" data-testid="job-log" tabIndex={0} onScroll={(e) => setFollow(atBottom(e.currentTarget))}>
        {log.text || (done ? 'The job wrote no output.' : '')}
      </pre>
    </section>
  );
}
