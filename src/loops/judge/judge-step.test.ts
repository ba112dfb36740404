import type { Static } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import type { AbTestReport } from '../../contract/abtests.js';
import { judgeStep, type JudgeStepInput } from './judge-step.js';
import { judgeReason } from './reason.js';
import { servingFamily } from './serving-family.js';
import { pairedQuality, type QualityPair } from './paired-quality.js';
import type { HoldPolicy } from './types.js';

type Report = Static<typeof AbTestReport>;
type V = 'better' | 'worse' | 'inconclusive' | 'insufficient_data';

const MIN = 60_000;
const HOUR = 3_600_000;

interface MetricSketch {
  verdict: V;
  estimate?: number;
  lower?: number;
  upper?: number;
  units?: [champion: number, candidate: number];
  direction?: 'increase' | 'decrease';
}

function metric(name: string, role: 'primary' | 'guardrail', m: MetricSketch): Report['metrics'][number] {
  const [hu, cu] = m.units ?? [500, 500];
  const interval =
    m.verdict === 'insufficient_data'
      ? null
      : { estimate: m.estimate ?? 0, lower: m.lower ?? -0.01, upper: m.upper ?? 0.01, stderr: 0.01, p_value: m.verdict === 'inconclusive' ? 0.5 : 0.001 };
  return {
    metric: name,
    role,
    kind: 'proportion',
    direction: m.direction ?? 'increase',
    arms: [
      { arm: '1', units: hu, pending_units: 10, mean: 0.1, cuped_mean: null },
      { arm: '2', units: cu, pending_units: 10, mean: 0.1, cuped_mean: null },
    ],
    comparisons: [
      {
        arm: '2',
        control: '1',
        absolute: interval,
        relative: interval,
        p_value: interval?.p_value ?? null,
        adjusted_p_value: interval?.p_value ?? null,
        chance_to_win: null,
        risk: null,
        verdict: m.verdict,
        reason: 'engine sentence',
      },
    ],
  };
}

function report(primary: MetricSketch, guardrails: Record<string, MetricSketch> = {}, srmP = 0.4): Report {
  return {
    abtest: 'loop-credit-1-canary-1',
    state: 'running',
    at: 1_790_000_000_000,
    method: 'sequential',
    alpha: 0.05,
    srm: {
      chi_squared: 1,
      p_value: srmP,
      flagged: srmP < 0.001,
      units: [],
      reason: 'srm sentence',
    },
    metrics: [metric('conversion', 'primary', primary), ...Object.entries(guardrails).map(([k, g]) => metric(k, 'guardrail', g))],
    decision: { verdict: primary.verdict, reason: 'decision sentence' },
    history: [],
  };
}

const GOOD_SERVING = servingFamily({
  champion: { requests: 5000, errors: 20, latencyP99Ms: 40 },
  candidate: { requests: 5000, errors: 22, latencyP99Ms: 42 },
  maxErrorRateIncrease: 0.01,
  maxLatencyRatio: 1.5,
  alpha: 0.05,
});
const ERRORING = servingFamily({
  champion: { requests: 5000, errors: 20, latencyP99Ms: 40 },
  candidate: { requests: 5000, errors: 200, latencyP99Ms: 40 },
  maxErrorRateIncrease: 0.01,
  maxLatencyRatio: 1.5,
  alpha: 0.05,
});
const SLOW = servingFamily({
  champion: { requests: 5000, errors: 20, latencyP99Ms: 40 },
  candidate: { requests: 5000, errors: 20, latencyP99Ms: 90 },
  maxErrorRateIncrease: 0.01,
  maxLatencyRatio: 1.5,
  alpha: 0.05,
});
const THIN_SERVING = servingFamily({
  champion: { requests: 40, errors: 0, latencyP99Ms: 40 },
  candidate: { requests: 3, errors: 0, latencyP99Ms: 40 },
  maxErrorRateIncrease: 0.01,
  maxLatencyRatio: 1.5,
  alpha: 0.05,
});

function pairs(n: number, candidateRight: number): QualityPair[] {
  // The champion is right 80% of the time; the candidate is right with probability `candidateRight` (deterministic).
  return Array.from({ length: n }, (_, i) => ({
    truth: 1,
    champion: { label: i % 5 === 0 ? 0 : 1 },
    candidate: { label: (i * 0.6180339887) % 1 < candidateRight ? 1 : 0 },
  }));
}
const q = (n: number, right: number, margin = 0) => pairedQuality(pairs(n, right), { metric: 'accuracy', alpha: 0.05, margin });

const POLICY = { on_inconclusive: 'ask', on_insufficient_data: 'hold' } as const;

function canary(over: Partial<JudgeStepInput>): JudgeStepInput {
  return {
    phase: 'canary',
    index: 2,
    of: 3,
    elapsedMs: 20 * MIN,
    minUnits: 100,
    maxDurationMs: HOUR,
    serving: GOOD_SERVING,
    quality: null,
    report: report({ verdict: 'better', estimate: 0.05, lower: 0.01, upper: 0.09 }),
    policy: POLICY,
    ...over,
  };
}

function shadow(over: Partial<JudgeStepInput>): JudgeStepInput {
  return {
    phase: 'shadow',
    index: null,
    of: null,
    elapsedMs: 5 * MIN,
    minUnits: 200,
    maxDurationMs: 10 * MIN,
    serving: GOOD_SERVING,
    quality: q(3000, 0.95),
    report: null,
    policy: POLICY,
    ...over,
  };
}

const policies = (p: HoldPolicy) => ({ on_inconclusive: p, on_insufficient_data: p });

describe('judgeStep: situations → verdict, action and the sentence', () => {
  it.each<[string, JudgeStepInput, string, string, RegExp]>([
    [
      'a clear canary win passes',
      canary({}),
      'pass',
      'advance',
      /^Canary step 2 of 3 passes: primary conversion 5% \(95% always-valid interval 1% to 9%\) lies above 0 with 500 mature units per arm \(at least 100\); no guardrail shows harm \(serving: error rate 0\.44% vs 0\.4%/,
    ],
    ['a pass without serving numbers says so', canary({ serving: null }), 'pass', 'advance', /no guardrail shows harm \(no serving numbers were given\)\.$/],
    [
      'the serving error rate fails alone → rollback at once',
      canary({ serving: ERRORING }),
      'fail',
      'rollback',
      /fails: the candidate's error rate 4% exceeds the champion's 0\.4% by more than the allowed 1% \(one-sided two-proportion z-test \(unpooled\), z = .*p < 0\.0001 < α 0\.05; 5000 and 5000 requests\); roll back now \(after 20m of at most 1h\)/,
    ],
    [
      'the p99 latency fails alone',
      canary({ serving: SLOW }),
      'fail',
      'rollback',
      /p99 latency 90 ms is 2\.25× the champion's 40 ms \(at most 1\.5×, point values\)/,
    ],
    [
      "the report's guardrail is 'worse' → rollback even though the primary wins",
      canary({
        report: report(
          { verdict: 'better', estimate: 0.05, lower: 0.01, upper: 0.09 },
          { revenue: { verdict: 'worse', estimate: -0.04, lower: -0.07, upper: -0.01 } },
        ),
      }),
      'fail',
      'rollback',
      /fails: guardrail revenue is worse for the candidate: -4% \(95% always-valid interval -7% to -1%, p = 0\.001\)/,
    ],
    [
      'the primary significantly worse → rollback',
      canary({ report: report({ verdict: 'worse', estimate: -0.05, lower: -0.09, upper: -0.01 }) }),
      'fail',
      'rollback',
      /fails: primary conversion is worse for the candidate/,
    ],
    [
      'paired quality worse fails alone (shadow)',
      shadow({ quality: q(3000, 0.6) }),
      'fail',
      'rollback',
      /^The shadow step fails: the candidate's 0\/1 loss is higher by 0\.2 per request \(95% always-valid interval .* above the margin 0\) on 3000 paired requests/,
    ],
    [
      'a harmful guardrail rolls back even before min units and max duration',
      canary({ serving: ERRORING, elapsedMs: 1000, report: report({ verdict: 'insufficient_data', units: [3, 4] }) }),
      'fail',
      'rollback',
      /roll back now \(after 1s of at most 1h\)/,
    ],
    [
      'a sample-ratio mismatch holds with that reason',
      canary({ report: report({ verdict: 'better', estimate: 0.05, lower: 0.01, upper: 0.09 }, {}, 0.00002) }),
      'inconclusive',
      'hold',
      /holds: the A\/B test's split differs from its weights \(sample-ratio mismatch, p < 0\.0001 < 0\.001\).*pauses/,
    ],
    [
      'an SRM at max duration still holds (no policy applies)',
      canary({ elapsedMs: 2 * HOUR, report: report({ verdict: 'inconclusive' }, {}, 0.0005) }),
      'inconclusive',
      'hold',
      /sample-ratio mismatch, p = 0\.0005 < 0\.001/,
    ],
    [
      'thin traffic before max duration holds',
      canary({ serving: THIN_SERVING, report: report({ verdict: 'insufficient_data', units: [12, 9] }) }),
      'insufficient_data',
      'hold',
      /holds: serving has 3 candidate and 40 champion requests \(at least 100 each needed\); 9 mature units per arm of the 100 required; primary conversion has too little data for an interval; 20m of at most 1h elapsed\.$/,
    ],
    [
      'units below min with a clear interval holds as insufficient data',
      canary({ report: report({ verdict: 'better', estimate: 0.2, lower: 0.1, upper: 0.3, units: [80, 95] }) }),
      'insufficient_data',
      'hold',
      /80 mature units per arm of the 100 required/,
    ],
    [
      'an inconclusive primary before max duration holds',
      canary({ report: report({ verdict: 'inconclusive', estimate: 0.01, lower: -0.02, upper: 0.04 }) }),
      'inconclusive',
      'hold',
      /primary conversion 1% \(95% always-valid interval -2% to 4%\) does not lie above 0; 20m of at most 1h/,
    ],
    [
      'a guardrail without data keeps a winning primary from passing',
      canary({ report: report({ verdict: 'better', estimate: 0.05, lower: 0.01, upper: 0.09 }, { churn: { verdict: 'insufficient_data' } }) }),
      'insufficient_data',
      'hold',
      /guardrail churn has too little data/,
    ],
    ['no report and no quality is insufficient data, never a pass', canary({ report: null }), 'insufficient_data', 'hold', /there is no primary evidence/],
    [
      'a margin lets a small loss pass',
      canary({ primaryMargin: 0.03, report: report({ verdict: 'inconclusive', estimate: 0.0, lower: -0.02, upper: 0.02 }) }),
      'pass',
      'advance',
      /primary conversion 0% \(95% always-valid interval -2% to 2%\) clears the margin −3%/,
    ],
    [
      'paired quality better passes the shadow early',
      shadow({}),
      'pass',
      'advance',
      /^The shadow step passes: the candidate's 0\/1 loss differs by -0\.15 per request .* below the margin 0\) on 3000 paired requests \(at least 200\)/,
    ],
    [
      'paired quality inconclusive holds the shadow',
      shadow({ quality: q(3000, 0.8) }),
      'inconclusive',
      'hold',
      /the paired 0\/1 loss difference .* does not clear the margin 0/,
    ],
    [
      'a shadow with min_units 0 passes on its duration and says its quality was too thin',
      shadow({ minUnits: 0, elapsedMs: 10 * MIN, quality: q(10, 0.9) }),
      'pass',
      'advance',
      /the shadow ran its 10m with no labelled requests required \(min_units 0\); paired quality has 10 scored requests, too few to judge/,
    ],
    [
      'a shadow with min_units 0 waits for its duration',
      shadow({ minUnits: 0, elapsedMs: 9 * MIN, quality: null }),
      'insufficient_data',
      'hold',
      /no primary evidence.*9m of at most 10m elapsed/,
    ],
  ])('%s', (_name, input, verdict, action, sentence) => {
    const r = judgeStep(input);
    expect([r.verdict, r.action]).toEqual([verdict, action]);
    expect(r.reason).toMatch(sentence);
    // The evidence is plain JSON and rebuilds the same sentence.
    const stored = JSON.parse(JSON.stringify(r.evidence));
    expect(stored).toEqual(r.evidence);
    expect(judgeReason(stored)).toBe(r.reason);
  });

  it.each<[HoldPolicy, string, RegExp]>([
    ['hold', 'hold', /the 'hold' policy keeps the rollout at this step/],
    ['extend', 'advance', /the 'extend' policy advances it without a pass/],
    ['ask', 'ask', /the 'ask' policy asks a human to decide/],
    ['rollback', 'rollback', /the 'rollback' policy rolls it back/],
  ])("at max duration, thin traffic follows on_insufficient_data '%s'", (policy, action, sentence) => {
    const r = judgeStep(
      canary({
        elapsedMs: HOUR,
        serving: THIN_SERVING,
        report: report({ verdict: 'insufficient_data', units: [12, 9] }),
        policy: { on_inconclusive: 'ask', on_insufficient_data: policy },
      }),
    );
    expect([r.verdict, r.action]).toEqual(['insufficient_data', action]);
    expect(r.reason).toMatch(/^Canary step 2 of 3 is short of data at its maximum duration 1h: serving has 3 candidate/);
    expect(r.reason).toMatch(sentence);
  });

  it.each<[HoldPolicy, string]>([
    ['hold', 'hold'],
    ['extend', 'advance'],
    ['ask', 'ask'],
    ['rollback', 'rollback'],
  ])("at max duration, an inconclusive primary follows on_inconclusive '%s' (and the verdict stays inconclusive)", (policy, action) => {
    const r = judgeStep(
      canary({
        elapsedMs: 90 * MIN,
        report: report({ verdict: 'inconclusive', estimate: 0.01, lower: -0.02, upper: 0.04 }),
        policy: { ...policies('hold'), on_inconclusive: policy },
      }),
    );
    expect([r.verdict, r.action, r.evidence.outcome]).toEqual(['inconclusive', action, 'policy']);
    expect(r.reason).toMatch(new RegExp(`is inconclusive at its maximum duration 1h: primary conversion 1% .* the '${policy}' policy`));
  });

  it('keeps every number the decision stood on in the evidence', () => {
    const r = judgeStep(canary({ serving: ERRORING, window: { from: 1_790_000_000_000, to: 1_790_001_200_000 } }));
    expect(r.evidence).toMatchObject({
      phase: 'canary',
      window: { from: 1_790_000_000_000, to: 1_790_001_200_000 },
      elapsed_ms: 20 * MIN,
      max_duration_ms: HOUR,
      min_units: 100,
      harms: [{ family: 'serving', check: 'error_rate', metric: null }],
      serving: { champion: { requests: 5000, errors: 20 }, candidate: { requests: 5000, errors: 200 }, error_rate: { allowed_increase: 0.01 } },
      report: { abtest: 'loop-credit-1-canary-1', alpha: 0.05, srm: { p_value: 0.4, flagged: false } },
      primary: { source: 'report', metric: 'conversion', lower: 0.01, upper: 0.09, margin: 0, units: 500 },
    });
  });

  it('refuses a negative elapsed time or min units', () => {
    expect(() => judgeStep(canary({ elapsedMs: -1 }))).toThrow(/elapsedMs/);
    expect(() => judgeStep(canary({ minUnits: 1.5 }))).toThrow(/minUnits/);
  });
});

describe('a guardrail harmed on the absolute difference while its relative lift is too wide to say', () => {
  it('rolls back: the difference excludes 0 on the worse side', () => {
    const r = report({ verdict: 'better', estimate: 0.05, lower: 0.01, upper: 0.09 }, { complaints: { verdict: 'inconclusive', direction: 'decrease' } });
    const g = r.metrics.find((m) => m.metric === 'complaints')!;
    g.comparisons[0] = {
      ...g.comparisons[0]!,
      relative: { estimate: 22.2, lower: -19.3, upper: 63.8, stderr: 10, p_value: 0.49 },
      absolute: { estimate: 0.83, lower: 0.69, upper: 0.98, stderr: 0.05, p_value: 4e-48 },
    };
    const j = judgeStep(canary({ report: r }));
    expect([j.verdict, j.action]).toEqual(['fail', 'rollback']);
    expect(j.reason).toMatch(/guardrail complaints is worse for the candidate: a difference of \+?0\.83/);
    expect(judgeReason(JSON.parse(JSON.stringify(j.evidence)))).toBe(j.reason);
  });
});
