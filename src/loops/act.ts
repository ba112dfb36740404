/**
 * The shape every driver action shares: it reads the run, may act on the world (safe to repeat), and answers
 * what to record — steps, the new context, the run's visible state — and when to look again.
 */
import type { Principal } from '../api-route.js';
import { FerryError } from '../errors.js';
import type { LoopRunTable, LoopTable } from '../store/index.js';
import type { NewStep } from './loop-repo.js';
import type { LoopWorld } from './loop-world.js';
import type { ApprovalPoint } from './loop-spec.js';
import { type LoadedRun, type NextAction, type RunContext, type RunState, type StepKind, step } from './run-context.js';

export interface DriverOptions {
  /** How often a running job, a shadow or a canary is looked at. */
  pollMs: number;
}

export interface Act {
  run: LoadedRun;
  loop: LoopTable;
  world: LoopWorld;
  now: number;
  options: DriverOptions;
}

export interface Result {
  steps: NewStep[];
  ctx: RunContext;
  phase?: StepKind;
  state?: RunState;
  /** Look again after this long (default: at once). */
  wakeInMs?: number;
  patch?: Partial<LoopRunTable>;
}

/** Far enough to mean "until a person acts" and small enough for every store's bigint. */
export const NEVER_MS = 100 * 365 * 86_400_000;

/** The driver acts as this principal (jobs it submits, revisions it writes are credited to the loop run). */
export function loopPrincipal(run: LoopRunTable): Principal {
  return { name: `loop:${run.loop}#${run.seq}`, role: 'editor', kind: 'token' };
}

export function byLine(run: LoopRunTable, what?: string): string {
  return what ? `loop:${run.loop}#${run.seq} (${what})` : `loop:${run.loop}#${run.seq}`;
}

const POINT_WORDS: Record<ApprovalPoint, string> = {
  before_training: 'before training',
  before_shadow: 'before the shadow step',
  before_canary: 'before the canary',
  before_promotion: 'before promotion',
};

/**
 * If the policy puts an approval at this point and nobody has given it yet: the run waits (recorded once).
 * Answers null when the run may go on.
 */
export function approvalGate(a: Act, point: ApprovalPoint, then: NextAction): Result | null {
  const wanted = a.run.spec.approvals.some((p) => p.at === point);
  if (!wanted || a.run.ctx.approved.includes(point)) return null;
  const ctx: RunContext = { ...a.run.ctx, next: then, awaiting: { at: point, since: a.now } };
  const rule = a.run.spec.approvals.find((p) => p.at === point)!;
  const who = rule.distinct_from_author ? ` by someone other than ${a.run.row.author}` : '';
  return {
    steps: [
      step('awaiting_approval', 'info', `Waiting for approval ${POINT_WORDS[point]}${who}, as the loop's policy asks.`, {
        evidence: { point, distinct_from_author: rule.distinct_from_author, author: a.run.row.author },
      }),
    ],
    ctx,
    state: 'awaiting_approval',
    phase: 'awaiting_approval',
    wakeInMs: NEVER_MS,
  };
}

/** Ends the run (after the finish action restores what it changed) with this terminal step. */
export function endWith(a: Act, ending: NonNullable<RunContext['ending']>, steps: NewStep[] = []): Result {
  return { steps, ctx: { ...a.run.ctx, next: 'finish', ending } };
}

/**
 * Only a typed refusal (a bad spec, a missing dataset, a model that does not load) ends a run at once; anything
 * else (the store, a timeout) is thrown on, for the driver to try the action again.
 */
export function rethrowTransient(err: unknown): void {
  if (!(err instanceof FerryError)) throw err;
}

export function pointWords(point: ApprovalPoint): string {
  return POINT_WORDS[point];
}
