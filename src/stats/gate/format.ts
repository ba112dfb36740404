/** Numbers in the gate's sentences: 4 significant digits, a sign where the number is a change. */

export function formatNumber(x: number): string {
  if (x === 0) return '0';
  if (x === Infinity) return '∞';
  if (x === -Infinity) return '−∞';
  const a = Math.abs(x);
  const s = a >= 1e-4 && a < 1e7 ? String(Number(x.toPrecision(4))) : x.toExponential(3);
  return s.replace('-', '−');
}

export function formatChange(x: number): string {
  return x > 0 ? `+${formatNumber(x)}` : formatNumber(x);
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** "95%" for α = 0.05; more digits only where α needs them (α = 0.025 → "97.5%"). */
export function formatLevel(alpha: number): string {
  return `${Number(((1 - alpha) * 100).toPrecision(6))}%`;
}
