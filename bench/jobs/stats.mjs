// Small statistics helpers shared by the jobs benchmark's parts.

/** The q-quantile (0..1) of numbers, nearest-rank; NaN for none. */
export function quantile(xs, q) {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}

/** The median; for an even count, the mean of the middle two (medians over 2 or 4 rounds). */
export function median(xs) {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** "12.3" for finite numbers, "-" otherwise. */
export function fmt(x, digits = 1) {
  return Number.isFinite(x) ? x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : '-';
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export const log = (msg) => process.stderr.write(`[bench ${new Date().toTimeString().slice(0, 8)}] ${msg}\n`);
