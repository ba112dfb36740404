/** Display of A/B test numbers (pure, tested): lifts as percentages, p-values, interval names, the lift over time as chart columns. */
import type { AbComparison, AbHistoryPoint, AbTestInfo, AbTestReport } from '../../../../src/sdk/index.js';

export const ABTEST_STATES = ['draft', 'running', 'stopped'] as const;
export type AbTestStateName = (typeof ABTEST_STATES)[number];

export function isAbTestState(s: string | null): s is AbTestStateName {
  return s !== null && (ABTEST_STATES as readonly string[]).includes(s);
}

/** 0.0306 → '+3.06%': two decimals below 10%, one above; '' for none. */
export function formatPercent(x: number | null | undefined, opts: { sign?: boolean } = {}): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '';
  const pct = x * 100;
  const digits = Math.abs(pct) < 10 ? 2 : 1;
  const text = pct.toFixed(digits);
  const zero = Number(text) === 0;
  return `${opts.sign && !zero && pct > 0 ? '+' : ''}${zero ? (0).toFixed(digits) : text}%`;
}

/** Means and differences to 4 significant digits. */
export function formatValue(x: number | null | undefined, opts: { sign?: boolean } = {}): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '';
  const a = Math.abs(x);
  const text = x === 0 ? '0' : a >= 1e6 || a < 1e-4 ? x.toExponential(3) : String(Number(x.toPrecision(4)));
  return `${opts.sign && x > 0 ? '+' : ''}${text}`;
}

export function formatP(p: number | null | undefined): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return '';
  return p < 0.0001 ? '<0.0001' : String(Number(p.toPrecision(2)));
}

/** '95% CS' (sequential: a confidence sequence), '95% CI' (fixed), '95% CrI' (bayesian: credible interval). */
export function intervalName(r: Pick<AbTestReport, 'method' | 'alpha'>): string {
  const level = `${Number(((1 - r.alpha) * 100).toPrecision(4))}%`;
  return `${level} ${r.method === 'sequential' ? 'CS' : r.method === 'fixed' ? 'CI' : 'CrI'}`;
}

/** The relative lift with its interval; the absolute difference when the control mean is 0 (no relative lift). */
export function liftText(c: AbComparison): { estimate: string; interval: string } {
  if (c.relative) {
    const r = c.relative;
    return {
      estimate: formatPercent(r.estimate, { sign: true }),
      interval: r.lower !== null && r.upper !== null ? `${formatPercent(r.lower, { sign: true })} to ${formatPercent(r.upper, { sign: true })}` : '',
    };
  }
  if (c.absolute) {
    const a = c.absolute;
    return {
      estimate: `${formatValue(a.estimate, { sign: true })} (absolute)`,
      interval: a.lower !== null && a.upper !== null ? `${formatValue(a.lower, { sign: true })} to ${formatValue(a.upper, { sign: true })}` : '',
    };
  }
  return { estimate: '', interval: '' };
}

export function armsText(t: Pick<AbTestInfo, 'arms' | 'control'>): string {
  return t.arms.map((a) => `${a.version} ${formatValue(a.weight)}%${a.version === t.control ? ' (control)' : ''}`).join(', ');
}

/** One treatment arm's lift over time, in percent, as uPlot columns: x in epoch seconds, estimate, lower, upper. */
export interface LiftColumns {
  arm: string;
  x: number[];
  estimate: (number | null)[];
  lower: (number | null)[];
  upper: (number | null)[];
}

const pct = (v: number | null) => (v !== null && Number.isFinite(v) ? v * 100 : null);

/** The history's points of `metric` per treatment arm, oldest first (points at one time: the last wins). */
export function liftColumns(history: readonly AbHistoryPoint[], metric: string): LiftColumns[] {
  const byArm = new Map<string, Map<number, AbHistoryPoint>>();
  for (const p of history) {
    if (p.metric !== metric) continue;
    const arm = byArm.get(p.arm) ?? new Map<number, AbHistoryPoint>();
    arm.set(p.at, p);
    byArm.set(p.arm, arm);
  }
  return [...byArm.entries()].map(([arm, points]) => {
    const sorted = [...points.values()].sort((a, b) => a.at - b.at);
    return {
      arm,
      x: sorted.map((p) => p.at / 1000),
      estimate: sorted.map((p) => pct(p.estimate)),
      lower: sorted.map((p) => pct(p.lower)),
      upper: sorted.map((p) => pct(p.upper)),
    };
  });
}
