/** How the judge's sentences write numbers, shares and durations (the same evidence always gives the same words). */

export function num(x: number): string {
  if (x === 0) return '0';
  const a = Math.abs(x);
  return a >= 1e-3 && a < 1e6 ? String(Number(x.toPrecision(3))) : x.toExponential(2);
}

export function pct(x: number): string {
  return `${num(x * 100)}%`;
}

export function pValue(p: number): string {
  return p < 1e-4 ? 'p < 0.0001' : `p = ${String(Number(p.toPrecision(2)))}`;
}

/** 90 000 → "1m30s"; 3 600 000 → "1h"; 0 → "0s". */
export function duration(ms: number): string {
  let s = Math.floor(ms / 1000);
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  const parts = [h ? `${h}h` : '', m ? `${m}m` : '', s ? `${s}s` : ''].join('');
  return parts || (ms > 0 ? `${ms}ms` : '0s');
}

/** A plain-JSON number: null for what is not finite (evidence never holds NaN or Infinity). */
export function finiteOrNull(x: number | null | undefined): number | null {
  return x !== null && x !== undefined && Number.isFinite(x) ? x : null;
}
