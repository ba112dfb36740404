/**
 * A loop run's working state between steps (stored as JSON in `loop_runs.context`) and the builder of its step
 * records. The driver reads `next` to know what to do; every action that changes something outside the run (a
 * job, a dataset version, a deployment revision, an alias) is safe to repeat, so a run resumed after a crash
 * does it again and finds it done.
 */
import type { Static } from '@sinclair/typebox';
import type * as C from '../contract/loops.js';
import type { LoopRunTable } from '../store/index.js';
import type { NewStep } from './loop-repo.js';
import type { ApprovalPoint, LoopSpec } from './loop-spec.js';

export type StepKind = (typeof C.STEP_KINDS)[number];
export type StepStatus = (typeof C.STEP_STATUSES)[number];
export type RunState = (typeof C.LOOP_RUN_STATES)[number];
export type Links = Static<typeof C.LoopLinks>;

/** What the driver does next with the run. */
export type NextAction =
  'start' | 'train' | 'await_training' | 'register' | 'gate' | 'shadow' | 'await_shadow' | 'canary' | 'await_canary' | 'promote' | 'finish';

/** How a run ends once the deployment is restored: the terminal step the driver writes. */
export interface Ending {
  state: Extract<RunState, 'rolled_back' | 'rejected' | 'failed' | 'cancelled' | 'dry_run'>;
  kind: Extract<StepKind, 'rolled_back' | 'rejected' | 'failed' | 'cancelled' | 'dry_run'>;
  actor: string;
  reason: string;
  evidence: Record<string, unknown>;
}

export interface RunContext {
  next: NextAction;
  /** A version given by the trigger (a registry event, a manual trigger): no training. */
  given_candidate: string | null;
  job_id: string | null;
  tracking_run_id: string | null;
  training_dataset: { dataset: string; version: number } | null;
  /** The training data as pushed (recorded before the job is submitted). */
  training_data?: { datasets: { dataset: string; version: number }[]; target: { dataset: string; version: number }; evidence: Record<string, unknown> };
  /** The deployment's revision before the run changed it; restored on rollback. */
  baseline_revision: number | null;
  /** When the current shadow or canary step began. */
  phase_started_at: number | null;
  /** The canary step under way (0-based). */
  canary_index: number;
  abtest: string | null;
  /** Approval points passed (approved, or forced). */
  approved: ApprovalPoint[];
  /** The point an awaiting run waits at, and whether a 'ask' verdict of the judge put it there. */
  awaiting: { at: ApprovalPoint | 'judge'; since: number } | null;
  /** The last verdict recorded for the step under way (a hold is recorded once, not every look). */
  last_verdict: string | null;
  /** The judge's latest look (a hold is not recorded as a step every time): what /verdict answers while the step goes on. */
  judgement?: { verdict: string; action: string; reason: string; at: number; primary: unknown } | null;
  forced: { by: string; reason: string } | null;
  /** The version the promotion's alias named before the promotion moved it (null: none; absent: not read yet). */
  alias_before?: string | null;
  ending: Ending | null;
}

export function newContext(givenCandidate: string | null): RunContext {
  return {
    next: 'start',
    given_candidate: givenCandidate,
    job_id: null,
    tracking_run_id: null,
    training_dataset: null,
    baseline_revision: null,
    phase_started_at: null,
    canary_index: 0,
    abtest: null,
    approved: [],
    awaiting: null,
    last_verdict: null,
    forced: null,
    ending: null,
  };
}

export interface LoadedRun {
  row: LoopRunTable;
  spec: LoopSpec;
  ctx: RunContext;
}

export function loadRun(row: LoopRunTable): LoadedRun {
  return { row, spec: JSON.parse(row.spec) as LoopSpec, ctx: JSON.parse(row.context) as RunContext };
}

/** Numbers in evidence as JSON keeps them: a NaN or an infinity becomes null, never a string or a crash. */
export function cleanJson(value: unknown): unknown {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (Array.isArray(value)) return value.map(cleanJson);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = cleanJson(v);
    return out;
  }
  return value;
}

export function step(
  kind: StepKind,
  status: StepStatus,
  reason: string,
  o: { actor?: string; links?: Links; evidence?: Record<string, unknown>; index?: number; of?: number; at?: number } = {},
): NewStep {
  return {
    kind,
    status,
    step_index: o.index ?? null,
    step_of: o.of ?? null,
    actor: o.actor ?? 'loop',
    at: o.at ?? Date.now(),
    links: JSON.stringify(cleanJson(o.links ?? {})),
    evidence: JSON.stringify(cleanJson(o.evidence ?? {})),
    reason,
  };
}
