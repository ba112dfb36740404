/**
 * A job's log, live: reads from the last offset with `wait` (the server holds the answer until new output
 * arrives or the job ends), appends to a capped buffer and stops once the log is complete. Opening a long
 * log reads only its tail. Errors are shown and retried with a growing pause.
 */
import { useEffect, useRef, useState } from 'react';
import type { JobState } from '../../../../src/sdk/index.js';
import { useClient } from '../../api.js';
import { appendLog, dropPartialLine, EMPTY_LOG, type LogBuffer, LOG_CAP_CHARS, tailOffset } from './log-buffer.js';

/** Seconds the server may hold one log request (below the SDK's 30 s request timeout). */
const WAIT_SECONDS = 20;

export interface JobLogState {
  log: LogBuffer;
  /** The job ended and its whole log has been read. */
  done: boolean;
  error: unknown;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `onState` hears the job's state with every answer, so the page can reload the job when it changes. */
export function useJobLog(jobId: string, onState: (state: JobState) => void, cap = LOG_CAP_CHARS): JobLogState {
  const client = useClient();
  const [state, setState] = useState<JobLogState>({ log: EMPTY_LOG, done: false, error: undefined });
  // Read through a ref: the page passes a new callback each render, which must not restart the follow.
  const onStateRef = useRef(onState);
  onStateRef.current = onState;

  useEffect(() => {
    let live = true;
    setState({ log: EMPTY_LOG, done: false, error: undefined });
    void (async () => {
      let offset: number | undefined;
      let skipping = false;
      let pause = 1000;
      while (live) {
        try {
          if (offset === undefined) {
            const job = await client.jobs.get(jobId);
            offset = tailOffset(job.log_bytes, cap);
            skipping = offset > 0;
            if (skipping && live) setState((s) => ({ ...s, log: { ...s.log, dropped: offset! } }));
          }
          const page = await client.jobs.logs(jobId, { offset, wait: WAIT_SECONDS });
          if (!live) return;
          let data = page.data;
          let dropped = 0;
          if (skipping && data) {
            const d = dropPartialLine(data);
            skipping = d.text === '' && !data.includes('\n');
            data = d.text;
            dropped = d.dropped;
          }
          const empty = page.next_offset === offset;
          offset = page.next_offset;
          setState((s) => {
            const log = appendLog(s.log, data, cap);
            return { log: dropped ? { ...log, dropped: log.dropped + dropped } : log, done: page.done, error: undefined };
          });
          onStateRef.current(page.state);
          pause = 1000;
          if (page.done) return;
          // The server answers at once for an ended job; a short pause keeps an unexpected empty answer from spinning.
          if (empty) await sleep(500);
        } catch (error) {
          if (!live) return;
          setState((s) => ({ ...s, error }));
          await sleep(pause);
          pause = Math.min(pause * 2, 15_000);
        }
      }
    })();
    return () => {
      live = false;
    };
  }, [client, jobId, cap]);

  return state;
}
