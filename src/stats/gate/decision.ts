/** The gate's rule on a one-sided bound of candidate − champion, and the words for it. */
import { formatChange, formatLevel, formatNumber } from './format.js';
import type { GateDirection } from './thresholds.js';

/** Pass iff the bound on the harmful side clears the margin: bound > −margin (higher is better), bound < margin (lower). */
export function clearsMargin(bound: number, margin: number, direction: GateDirection): boolean {
  return direction === 'higher_is_better' ? bound > -margin : bound < margin;
}

/** "…is −0.0012, above −0.005, so the candidate passes: no worse than the champion by more than 0.005 with 95% confidence." */
export function marginClause(bound: number, margin: number, direction: GateDirection, alpha: number, pass: boolean): string {
  const higher = direction === 'higher_is_better';
  const limit = higher ? -margin : margin;
  const clears = pass ? (higher ? 'above' : 'below') : higher ? 'not above' : 'not below';
  const claim =
    margin >= 0 ? `no worse than the champion by more than ${formatNumber(margin)}` : `better than the champion by at least ${formatNumber(-margin)}`;
  return `is ${formatChange(bound)}, ${clears} ${formatChange(limit)}, so the candidate ${pass ? 'passes' : 'fails'}: ${pass ? '' : 'not shown to be '}${claim} with ${formatLevel(alpha)} confidence.`;
}
