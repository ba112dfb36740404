/** Display of A/B test numbers (pure, tested): lifts as percentages, p-values, interval names, the lift over time as chart columns. */
import { ABTEST_STATES } from '../../../../src/contract/abtests.js';
import { formatNumber, formatP, formatPercent, intervalName } from '../../../../src/sdk/index.js';
import type { AbComparison, AbHistoryPoint, AbTestInfo } from '../../../../src/sdk/index.js';

export { ABTEST_STATES };
export type AbTestStateName = (typeof ABTEST_STATES)[number];

export function isAbTestState(s: string | null): s is AbTestStateName {
  return s !== null && (ABTEST_STATES as readonly string[]).includes(s);
}

// The numbers read the same in the CLI and the UI: the SDK holds their formatting.
export { formatNumber as formatValue, formatP, formatPercent, intervalName };

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
      estimate: `${formatNumber(a.estimate, { sign: true })} (absolute)`,
      interval: a.lower !== null && a.upper !== null ? `${formatNumber(a.lower, { sign: true })} to ${formatNumber(a.upper, { sign: true })}` : '',
    };
  }
  return { estimate: '', interval: '' };
}

export function armsText(t: Pick<AbTestInfo, 'arms' | 'control'>): string {
  return t.arms.map((a) => `${a.version} ${formatNumber(a.weight)}%${a.version === t.control ? ' (control)' : ''}`).join(', ');
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
