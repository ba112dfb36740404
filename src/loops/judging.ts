/**
 * The judge at a shadow or canary step, fed with what the run has logged since the step began: the serving
 * numbers of both versions, on shadow traffic the pairs of answers both gave to the same requests (with their
 * labels), and on a canary the step's A/B test report (model quality from feedback, business outcomes). The
 * statistics and the sentence are judge/'s (pure); this file reads the data.
 */
import { servingStats, shadowPairs } from '../prediction-log/index.js';
import type { Act } from './act.js';
import { type JudgeResult, QUALITY_METRICS, type QualityMetric, judgeStep, pairedQuality, servingFamily } from './judge/index.js';
import type { CanaryStepSpec } from './judge-types.js';
import { ms } from './loop-spec.js';

export type Judgement = JudgeResult;

/** Shadow pairs read per look: enough for the interval, bounded for memory. */
const MAX_PAIRS = 50_000;

async function serving(a: Act, from: number, to: number, candidateRoute: 'main' | 'shadow') {
  const stats = await servingStats(a.world.d.store.db, a.loop.deployment, from, to);
  const pick = (version: string | null, route: string) => stats.find((s) => s.modelVersion === version && s.route === route);
  const champ = pick(a.run.row.champion_version, 'main');
  const cand = pick(a.run.row.candidate_version, candidateRoute);
  const r = a.run.spec.rollout;
  return servingFamily({
    champion: { requests: champ?.requests ?? 0, errors: champ?.errors ?? 0, latencyP99Ms: champ?.latencyP99Ms ?? null },
    candidate: { requests: cand?.requests ?? 0, errors: cand?.errors ?? 0, latencyP99Ms: cand?.latencyP99Ms ?? null },
    maxErrorRateIncrease: r.max_error_rate_increase ?? 0.01,
    maxLatencyRatio: r.max_latency_ratio ?? 1.5,
    alpha: 0.05,
  });
}

/** The paired-loss metric of the rollout's primary metric when it is a model-quality one (else accuracy, or absolute error for values). */
function qualityMetric(a: Act, kind: string | undefined): QualityMetric {
  const named = a.run.spec.rollout.primary_metric?.metric.replace(/^model:/, '');
  if (named && (QUALITY_METRICS as readonly string[]).includes(named)) return named as QualityMetric;
  return kind === 'value' ? 'absolute_error' : 'accuracy';
}

/** The requests in [from, to) that the champion answered and the candidate shadowed, with their labels. */
function pairsIn(a: Act, from: number, to: number) {
  return shadowPairs(a.world.d.store.db, a.loop.deployment, {
    champion: a.run.row.champion_version ?? '',
    candidate: a.run.row.candidate_version!,
    from,
    to,
    limit: MAX_PAIRS,
  });
}

function shadowQuality(a: Act, pairs: Awaited<ReturnType<typeof pairsIn>>) {
  return pairedQuality(pairs, { metric: qualityMetric(a, pairs[0]?.kind), alpha: 0.05, margin: a.run.spec.rollout.shadow_margin ?? 0.01 });
}

export async function judgeShadow(a: Act): Promise<Judgement> {
  const sh = a.run.spec.rollout.shadow!;
  const from = a.run.ctx.phase_started_at ?? a.run.row.started_at;
  const to = a.now;
  const pairs = await pairsIn(a, from, to);
  const quality = shadowQuality(a, pairs);
  return judgeStep({
    phase: 'shadow',
    index: null,
    of: null,
    elapsedMs: to - from,
    minUnits: sh.min_units ?? 0,
    maxDurationMs: ms(sh.duration ?? '10m', 'rollout.shadow.duration'),
    serving: await serving(a, from, to, 'shadow'),
    quality,
    report: null,
    policy: { on_inconclusive: a.run.spec.rollout.on_inconclusive ?? 'ask', on_insufficient_data: a.run.spec.rollout.on_insufficient_data ?? 'hold' },
    candidate: a.run.row.candidate_version!,
    window: { from, to },
  });
}

export async function judgeCanary(a: Act, s: CanaryStepSpec): Promise<Judgement> {
  const from = a.run.ctx.phase_started_at ?? a.run.row.started_at;
  const to = a.now;
  const report = await a.world.d.abtests.report(a.run.ctx.abtest!);
  return judgeStep({
    phase: 'canary',
    index: a.run.ctx.canary_index + 1,
    of: a.run.spec.rollout.steps.length,
    elapsedMs: to - from,
    minUnits: s.min_units ?? 100,
    maxDurationMs: ms(s.max_duration ?? '1h', 'max_duration'),
    serving: await serving(a, from, to, 'main'),
    quality: null,
    report,
    policy: { on_inconclusive: a.run.spec.rollout.on_inconclusive ?? 'ask', on_insufficient_data: a.run.spec.rollout.on_insufficient_data ?? 'hold' },
    primaryMargin: a.run.spec.rollout.primary_margin ?? 0,
    candidate: a.run.row.candidate_version!,
    window: { from, to },
  });
}

/**
 * A dry run's look at the rollout on traffic already logged (the gate's production window before the run): the
 * serving numbers of both versions (the candidate's as a shadow, else as a route) and the pairs where it shadowed
 * the champion, judged as a shadow step at its end. A candidate that never served or shadowed gets
 * insufficient_data, said so.
 */
export async function judgeLogged(a: Act): Promise<Judgement> {
  const to = a.run.row.started_at;
  const from = to - ms(a.run.spec.gate.production_window ?? '7d', 'gate.production_window');
  const stats = await servingStats(a.world.d.store.db, a.loop.deployment, from, to);
  const shadowed = stats.some((s) => s.modelVersion === a.run.row.candidate_version && s.route === 'shadow');
  const pairs = await pairsIn(a, from, to);
  const sh = a.run.spec.rollout.shadow;
  const maxMs = sh ? ms(sh.duration ?? '10m', 'rollout.shadow.duration') : 1;
  return judgeStep({
    phase: 'shadow',
    index: null,
    of: null,
    elapsedMs: maxMs,
    minUnits: sh?.min_units ?? 0,
    maxDurationMs: maxMs,
    serving: await serving(a, from, to, shadowed ? 'shadow' : 'main'),
    quality: shadowQuality(a, pairs),
    report: null,
    policy: { on_inconclusive: a.run.spec.rollout.on_inconclusive ?? 'ask', on_insufficient_data: a.run.spec.rollout.on_insufficient_data ?? 'hold' },
    candidate: a.run.row.candidate_version!,
    window: { from, to },
  });
}
