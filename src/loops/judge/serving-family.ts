/**
 * The serving family: the candidate's error rate and p99 latency against the champion's, as one-sided
 * guardrails (only harm fails; doing better is not required).
 *
 * Error rate: a one-sided two-proportion z-test (Wald, unpooled variance, as the null is a shifted difference)
 * of H0: p_candidate − p_champion ≤ allowed increase; fail when p < α. This is a fixed-horizon test read at each
 * look (not always-valid): it errs towards rollback, the safe side for a guardrail. Latency: the ratio of the two
 * p99s is a point value against the maximum (no interval: quantiles of a window, not estimates of a mean).
 */
import { normalSf } from '../../stats/index.js';
import { finiteOrNull } from './format.js';
import type { FamilyVerdict, ServingEvidence, ServingSide } from './types.js';

export const DEFAULT_MIN_REQUESTS = 100;
export const ERROR_RATE_TEST = 'one-sided two-proportion z-test (unpooled)';

/** A p99 this much slower or less is never harm, whatever the ratio (a freshly loaded model's first requests). */
export const MIN_LATENCY_INCREASE_MS = 25;

export interface ServingInput {
  champion: { requests: number; errors: number; latencyP99Ms: number | null };
  candidate: { requests: number; errors: number; latencyP99Ms: number | null };
  /** How much higher the candidate's error rate may be (an absolute share, e.g. 0.01). */
  maxErrorRateIncrease: number;
  /** candidate p99 / champion p99 at most this. */
  maxLatencyRatio: number;
  alpha: number;
  /** Fewer requests on either side: insufficient data (default 100). */
  minRequests?: number;
}

function side(s: ServingInput['champion']): ServingSide {
  return { requests: s.requests, errors: s.errors, error_rate: s.requests > 0 ? s.errors / s.requests : null, p99_ms: finiteOrNull(s.latencyP99Ms) };
}

function check(input: ServingInput): void {
  for (const [name, s] of [
    ['champion', input.champion],
    ['candidate', input.candidate],
  ] as const) {
    if (!(Number.isInteger(s.requests) && s.requests >= 0 && Number.isInteger(s.errors) && s.errors >= 0 && s.errors <= s.requests))
      throw new RangeError(`${name}: requests and errors must be counts with errors ≤ requests`);
  }
  if (!(input.alpha > 0 && input.alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${input.alpha}`);
  if (!(input.maxErrorRateIncrease >= 0 && input.maxErrorRateIncrease <= 1)) throw new RangeError('maxErrorRateIncrease must be in [0, 1]');
  if (!(input.maxLatencyRatio >= 1 && Number.isFinite(input.maxLatencyRatio))) throw new RangeError('maxLatencyRatio must be a number ≥ 1');
}

export function servingFamily(input: ServingInput): ServingEvidence {
  check(input);
  const minRequests = input.minRequests ?? DEFAULT_MIN_REQUESTS;
  const champion = side(input.champion);
  const candidate = side(input.candidate);
  const base = {
    family: 'serving' as const,
    min_requests: minRequests,
    alpha: input.alpha,
    champion,
    candidate,
  };
  if (input.champion.requests < minRequests || input.candidate.requests < minRequests) {
    return {
      ...base,
      verdict: 'insufficient_data',
      error_rate: {
        test: ERROR_RATE_TEST,
        difference: null,
        allowed_increase: input.maxErrorRateIncrease,
        z: null,
        p_value: null,
        verdict: 'insufficient_data',
        note: null,
      },
      latency: { ratio: null, max_ratio: input.maxLatencyRatio, min_increase_ms: MIN_LATENCY_INCREASE_MS, verdict: 'insufficient_data' },
    };
  }
  const pH = champion.error_rate!;
  const pC = candidate.error_rate!;
  const difference = pC - pH;
  const se = Math.sqrt((pC * (1 - pC)) / input.candidate.requests + (pH * (1 - pH)) / input.champion.requests);
  let errorRate: ServingEvidence['error_rate'];
  if (se > 0) {
    const z = (difference - input.maxErrorRateIncrease) / se;
    const p = normalSf(z);
    errorRate = {
      test: ERROR_RATE_TEST,
      difference,
      allowed_increase: input.maxErrorRateIncrease,
      z,
      p_value: p,
      verdict: p < input.alpha ? 'fail' : 'pass',
      note: null,
    };
  } else {
    // Every request failed or none did, on both sides: no variance to test with; the observed difference decides.
    const none = input.champion.errors === 0 && input.candidate.errors === 0;
    errorRate = {
      test: ERROR_RATE_TEST,
      difference,
      allowed_increase: input.maxErrorRateIncrease,
      z: null,
      p_value: null,
      verdict: difference > input.maxErrorRateIncrease ? 'fail' : 'pass',
      note: none ? 'no_errors' : 'no_variance',
    };
  }
  const ratio = champion.p99_ms !== null && candidate.p99_ms !== null && champion.p99_ms > 0 ? candidate.p99_ms / champion.p99_ms : null;
  const slower = candidate.p99_ms !== null && champion.p99_ms !== null ? candidate.p99_ms - champion.p99_ms : null;
  const latencyVerdict: FamilyVerdict =
    ratio === null ? 'insufficient_data' : ratio > input.maxLatencyRatio && (slower ?? 0) > MIN_LATENCY_INCREASE_MS ? 'fail' : 'pass';
  const verdict: FamilyVerdict =
    errorRate.verdict === 'fail' || latencyVerdict === 'fail' ? 'fail' : latencyVerdict === 'insufficient_data' ? 'insufficient_data' : 'pass';
  return {
    ...base,
    verdict,
    error_rate: errorRate,
    latency: { ratio: finiteOrNull(ratio), max_ratio: input.maxLatencyRatio, min_increase_ms: MIN_LATENCY_INCREASE_MS, verdict: latencyVerdict },
  };
}
