/** Pure helpers for the Jobs page: states, short ids, relative times and a job's timing. */
import type { Job, JobState } from '../../../../src/sdk/index.js';
import { formatDuration } from '../../format.js';

/** Every state, in lifecycle order (a Record so a state added to the contract fails to compile here). */
const STATE_ORDER: Record<JobState, number> = { queued: 0, starting: 1, running: 2, succeeded: 3, failed: 4, cancelled: 5 };
export const JOB_STATES = (Object.keys(STATE_ORDER) as JobState[]).sort((a, b) => STATE_ORDER[a] - STATE_ORDER[b]);

export function isJobState(s: string | null | undefined): s is JobState {
  return s !== null && s !== undefined && Object.hasOwn(STATE_ORDER, s);
}

/** Queued, starting and running jobs still change: pages refresh while one is shown. */
export function isActive(state: JobState): boolean {
  return state === 'queued' || state === 'starting' || state === 'running';
}

/** `job-1a2b3c4d` from `job-1a2b3c4d…` (32 hex digits): enough to tell jobs apart in a list. */
export function shortJobId(id: string): string {
  return id.startsWith('job-') ? id.slice(0, 12) : id.slice(0, 8);
}

/** `just now`, `45s ago`, `12 min ago`, `3 h ago`, `5 d ago`; a time in the future (clock skew) is `just now`. */
export function relativeTime(ms: number | null | undefined, now: number): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms <= 0) return '';
  const s = Math.floor((now - ms) / 1000);
  if (s < 5) return 'just now';
  if (s < 60) return `${s}s ago`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.floor(h / 24)} d ago`;
}

type Timing = Pick<Job, 'state' | 'submitted_at' | 'started_at' | 'running_at' | 'finished_at'>;

/**
 * Time spent waiting for an executor: submitted until started (claimed), or until the end for a job cancelled
 * in the queue, or until now while it still waits. Null when it cannot be known.
 */
export function queueWaitMs(job: Timing, now: number): number | null {
  const end = job.started_at ?? job.finished_at ?? (isActive(job.state) ? now : null);
  return end === null ? null : Math.max(0, end - job.submitted_at);
}

/** Time on the executor: from running (or started, when it never reported running) until the end or now. */
export function runTimeMs(job: Timing, now: number): number | null {
  const start = job.running_at ?? job.started_at;
  if (start === null) return null;
  const end = job.finished_at ?? (isActive(job.state) ? now : null);
  return end === null ? null : Math.max(0, end - start);
}

/** A duration for a table cell; `—` when there is none (a job that never ran has no run time). */
export function durationCell(ms: number | null): string {
  return ms === null ? '—' : formatDuration(ms);
}

export interface TimelineStep {
  label: string;
  at: number | null;
}

/** Submitted → started → running → finished (its final state's name), each with its time or null. */
export function timeline(job: Timing): TimelineStep[] {
  return [
    { label: 'submitted', at: job.submitted_at },
    { label: 'started', at: job.started_at },
    { label: 'running', at: job.running_at },
    { label: isActive(job.state) ? 'finished' : job.state, at: job.finished_at },
  ];
}
