/** A loop run's state and a step's status as coloured badges (own class names, as the jobs page does). */
import type { LoopRunState, LoopState, LoopStepStatus } from '../../../../src/sdk/index.js';
import { runStateClass, runStateText, statusClass } from './loop-format.js';

export function RunStateBadge({ state }: { state: LoopRunState }) {
  return <span className={`badge ${runStateClass(state)}`}>{runStateText(state)}</span>;
}

export function StepStatusBadge({ status }: { status: LoopStepStatus }) {
  return <span className={`badge ${statusClass(status)}`}>{status}</span>;
}

export function LoopStateBadge({ state }: { state: LoopState }) {
  return <span className={`badge loop-state-${state}`}>{state}</span>;
}
