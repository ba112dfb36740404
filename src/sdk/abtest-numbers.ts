/**
 * How A/B test numbers read, for every client (the CLI's tables and the UI's report): lifts as percentages,
 * means to 4 significant digits, p-values, the name of the method's interval. Pure; '' for a missing number.
 */
import type { AbTestReport } from './abtests-api.js';

/** 0.0306 → '+3.06%': two decimals below 10%, one above (a lift's interval rarely earns more digits). */
export function formatPercent(x: number | null | undefined, opts: { sign?: boolean } = {}): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '';
  const pct = x * 100;
  const digits = Math.abs(pct) < 10 ? 2 : 1;
  const text = pct.toFixed(digits);
  // -0.00 reads as a direction that is not there.
  const zero = Number(text) === 0;
  return `${opts.sign && !zero && pct > 0 ? '+' : ''}${zero ? (0).toFixed(digits) : text}%`;
}

/** Means and differences: 4 significant digits, exponents for the very large or small. */
export function formatNumber(x: number | null | undefined, opts: { sign?: boolean } = {}): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '';
  const a = Math.abs(x);
  const text = x === 0 ? '0' : a >= 1e6 || a < 1e-4 ? x.toExponential(3) : String(Number(x.toPrecision(4)));
  return `${opts.sign && x > 0 ? '+' : ''}${text}`;
}

/** p-values: two significant digits, '<0.0001' below that. */
export function formatP(p: number | null | undefined): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return '';
  return p < 0.0001 ? '<0.0001' : String(Number(p.toPrecision(2)));
}

/** '95% CS' (sequential: a confidence sequence), '95% CI' (fixed), '95% CrI' (bayesian: a credible interval). */
export function intervalName(report: Pick<AbTestReport, 'method' | 'alpha'>): string {
  const level = `${Number(((1 - report.alpha) * 100).toPrecision(4))}%`;
  return `${level} ${report.method === 'sequential' ? 'CS' : report.method === 'fixed' ? 'CI' : 'CrI'}`;
}
