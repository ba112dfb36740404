/** The verdict from an interval or a chance to win, and the one sentence that explains it. */
import type { Direction, EngineMethod, Interval, Verdict } from './settings.js';
import type { MetricKind } from './statistic.js';

// The metric's name is beside the sentence in every report; the noun says what kind of number moved (a proportion of any event, not only conversions).
const NOUN: Record<MetricKind, string> = { proportion: 'rate', mean: 'mean', ratio: 'ratio' };
const INTERVAL_NAME: Record<EngineMethod, string> = { fixed: 'CI', sequential: 'CS', bayesian: 'credible interval' };

/** Significant when the interval excludes 0 (for the t test and the sequential test this is p < α). */
export function intervalVerdict(interval: Interval, direction: Direction): Verdict {
  const higher = interval.lower !== null && interval.lower > 0;
  const lower = interval.upper !== null && interval.upper < 0;
  if (!higher && !lower) return 'inconclusive';
  return higher === (direction === 'increase') ? 'better' : 'worse';
}

/** GrowthBook's default decision rule: chance to win above 1 − α wins, below α loses. */
export function chanceVerdict(chanceToWin: number, alpha: number): Verdict {
  if (chanceToWin > 1 - alpha) return 'better';
  if (chanceToWin < alpha) return 'worse';
  return 'inconclusive';
}

function formatNumber(x: number): string {
  if (x === 0) return '0';
  const a = Math.abs(x);
  return a >= 1e-3 && a < 1e6 ? String(Number(x.toPrecision(3))) : x.toExponential(2);
}

function formatEffect(x: number, relative: boolean): string {
  return relative ? `${formatNumber(x * 100)}%` : formatNumber(x);
}

function formatP(p: number): string {
  return p < 1e-4 ? 'p<0.0001' : `p=${String(Number(p.toPrecision(2)))}`;
}

export interface ReasonParts {
  kind: MetricKind;
  method: EngineMethod;
  alpha: number;
  interval: Interval;
  relative: boolean;
  verdict: Verdict;
  chanceToWin: number | null;
}

/** e.g. "treatment's rate is 3.1% higher (95% CS 0.8% to 5.4%), p=0.004: better". */
export function reasonSentence(r: ReasonParts): string {
  const e = r.interval.estimate;
  const size = formatEffect(Math.abs(e), r.relative);
  const change = e === 0 ? 'unchanged' : `${size} ${e > 0 ? 'higher' : 'lower'}`;
  const level = `${formatNumber((1 - r.alpha) * 100)}% ${INTERVAL_NAME[r.method]}`;
  const bounds =
    r.interval.lower !== null && r.interval.upper !== null
      ? ` (${level} ${formatEffect(r.interval.lower, r.relative)} to ${formatEffect(r.interval.upper, r.relative)})`
      : '';
  const evidence =
    r.chanceToWin !== null ? `, chance to win ${formatNumber(r.chanceToWin * 100)}%` : r.interval.pValue !== null ? `, ${formatP(r.interval.pValue)}` : '';
  return `treatment's ${NOUN[r.kind]} is ${change}${bounds}${evidence}: ${r.verdict.replace('_', ' ')}`;
}
