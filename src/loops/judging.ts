/**
 * The judge at a shadow or canary step, fed with what the run has logged: the A/B test of the step (model
 * quality and business outcomes), the serving numbers of both versions, and on shadow traffic the pairs of
 * answers both versions gave to the same requests. The statistics are in judge/ (pure).
 */
import type { Static } from '@sinclair/typebox';
import type * as C from '../contract/loops.js';
import type { Act } from './act.js';
import { ms } from './loop-spec.js';

export type Verdict = (typeof C.JUDGE_VERDICTS)[number];
export type CanaryStepSpec = Static<typeof C.CanaryStep>;

export interface Judgement {
  verdict: Verdict;
  action: 'advance' | 'rollback' | 'hold' | 'ask';
  reason: string;
  evidence: Record<string, unknown>;
}

export async function judgeShadow(a: Act): Promise<Judgement> {
  const sh = a.run.spec.rollout.shadow!;
  const elapsed = a.now - (a.run.ctx.phase_started_at ?? a.now);
  const done = elapsed >= ms(sh.duration ?? '10m', 'rollout.shadow.duration');
  return done
    ? { verdict: 'pass', action: 'advance', reason: 'INTERIM shadow passed', evidence: { elapsed_ms: elapsed } }
    : { verdict: 'insufficient_data', action: 'hold', reason: 'INTERIM shadow holding', evidence: { elapsed_ms: elapsed } };
}

export async function judgeCanary(a: Act, s: CanaryStepSpec): Promise<Judgement> {
  const report = await a.world.d.abtests.report(a.run.ctx.abtest!);
  const elapsed = a.now - (a.run.ctx.phase_started_at ?? a.now);
  const v = report.decision.verdict;
  const evidence = { elapsed_ms: elapsed, decision: report.decision, max_duration: s.max_duration };
  if (v === 'worse') return { verdict: 'fail', action: 'rollback', reason: report.decision.reason, evidence };
  if (v === 'better') return { verdict: 'pass', action: 'advance', reason: report.decision.reason, evidence };
  const timeUp = elapsed >= ms(s.max_duration ?? '1h', 'max_duration');
  return { verdict: v, action: timeUp ? 'advance' : 'hold', reason: `INTERIM ${report.decision.reason}`, evidence };
}
