/** A job's state as a coloured badge (own class names: other pages' `.badge.failed` must not restyle it). */
import type { JobState } from '../../../../src/sdk/index.js';

export function JobStateBadge({ state }: { state: JobState }) {
  return <span className={`badge job-state job-${state}`}>{state}</span>;
}
