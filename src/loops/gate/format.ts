/**
 * Numbers in the gate's sentences: three decimals (metrics live in [0, 1] or in the target's units), a real minus
 * sign, a plus sign on changes; tiny non-zero numbers in exponent form so they never read as 0.000.
 */

export function fmt(x: number): string {
  const a = Math.abs(x);
  const s = a !== 0 && a < 5e-4 ? x.toExponential(2) : x.toFixed(3);
  return s.replace(/-/g, '−');
}

export function fmtChange(x: number): string {
  return x > 0 ? `+${fmt(x)}` : fmt(x);
}

/** A ratio as a signed percentage with one decimal: 0.0451 → "+4.5%". */
export function fmtPercent(x: number): string {
  const s = `${(x * 100).toFixed(1)}%`.replace(/-/g, '−');
  return x > 0 ? `+${s}` : s;
}

/** "95%" for α = 0.05, "97.5%" for 0.025. */
export function fmtLevel(alpha: number): string {
  return `${Number(((1 - alpha) * 100).toPrecision(6))}%`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}
