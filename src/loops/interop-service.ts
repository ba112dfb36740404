/**
 * A loop's run as a Flagger webhook answers it. Each hook asks a different question of the same run; "not yet"
 * is always a halt (4xx), never a failure Ferry made up: the `rollout` hook, whose refusals Flagger counts towards
 * a rollback, refuses only on harm Ferry found, so a thin canary is held, not rolled back.
 */
import type { Static } from '@sinclair/typebox';
import type * as C from '../contract/loops-interop.js';
import type { LoopRunDetail } from './loop-view.js';
import type { LoopService, LoopVerdict } from './loop-service.js';

export type FlaggerHook = (typeof C.FLAGGER_HOOKS)[number];
export type HookAnswer = Static<typeof C.FlaggerAdvance>;

/** Ended without promoting the candidate: Flagger should not go on (and its rollback hook should fire). */
const ENDED_BADLY = new Set(['rolled_back', 'rejected', 'failed', 'cancelled']);

type RunView = Pick<LoopRunDetail, 'seq' | 'state' | 'phase' | 'steps'>;

/** The decision for one hook, from the run (null: the loop has not run) and its verdict. Pure. */
export function decideHook(hook: FlaggerHook, run: RunView | null, v: LoopVerdict, loop: string): HookAnswer {
  const base = { hook, verdict: v.verdict, loop_run: run?.seq ?? null, state: run?.state ?? null, phase: run?.phase ?? null };
  const answer = (ok: boolean, reason: string): HookAnswer => ({ ...base, ok, reason });
  if (!run) return answer(false, `Loop '${loop}' has not run yet: there is no candidate to judge.`);
  const at = `Loop '${loop}' run ${run.seq}`;
  const state = run.state.replace(/_/g, ' ');
  if (hook === 'rollback') {
    return ENDED_BADLY.has(run.state)
      ? answer(true, `${at} ended ${state}: roll back. ${v.reason}`)
      : answer(false, `${at} is ${state}: no reason to roll back.`);
  }
  if (run.state === 'promoted') return answer(true, `${at} promoted the candidate. ${v.reason}`);
  if (ENDED_BADLY.has(run.state)) return answer(false, `${at} ended ${state}. ${v.reason}`);
  if (run.state === 'dry_run') return answer(false, `${at} was a dry run: it decides nothing.`);
  // running or awaiting approval
  switch (hook) {
    case 'confirm-rollout': {
      const gated = run.steps.some((s) => (s.kind === 'evaluating' && s.status === 'passed') || s.kind === 'shadow' || s.kind === 'canary');
      if (!gated) return answer(false, `${at} is at ${run.phase}: the candidate has not passed the offline gate yet.`);
      if (run.state === 'awaiting_approval') return answer(false, `${at} is waiting for a person's approval.`);
      return answer(true, `${at} passed the offline gate; the rollout may start.`);
    }
    case 'confirm-traffic-increase':
      if (run.state === 'awaiting_approval') return answer(false, `${at} is waiting for a person's approval.`);
      return v.ok ? answer(true, v.reason) : answer(false, `${at} is at ${run.phase}; the judge has not passed the step yet: ${v.reason}`);
    case 'rollout':
      // Flagger counts a refusal here as a failed check: refuse only on harm, never on "too little data yet".
      return v.verdict === 'fail' ? answer(false, v.reason) : answer(true, `${at} is ${state}; no harm found so far.`);
    case 'confirm-promotion':
      return answer(false, `${at} is ${state} at ${run.phase}: the candidate is not promoted yet.`);
  }
}

/** Reads the loop's current or last run and its verdict, consistently (again if a new run started between). */
export async function flaggerHook(loops: LoopService, name: string, hook: FlaggerHook): Promise<HookAnswer> {
  for (let attempt = 0; ; attempt++) {
    const [last] = await loops.runs(name, 1);
    const run = last ? await loops.run(name, last.seq) : null;
    const v = await loops.verdict(name);
    if (v.loop_run === (run?.seq ?? null) || attempt >= 2) return decideHook(hook, run, v, name);
  }
}
