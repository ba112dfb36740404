// Alternated rounds and judging on medians: a figure from a shared machine moves between runs, so every point runs
// once per round (the subjects' order flips each round, so drift lands on all alike), the report prints the median
// with its spread, and a target is claimed only when the median of at least MIN_ROUNDS rounds meets it.
export const MIN_ROUNDS = 5;

/** Runs `fn(subject, round)` for every subject, `rounds` times, the order reversed every other round. */
export async function alternate(rounds, subjects, fn) {
  for (let r = 0; r < rounds; r++) {
    for (const s of r % 2 === 0 ? subjects : [...subjects].reverse()) await fn(s, r);
  }
}

const finite = (xs) => xs.filter((x) => typeof x === 'number' && Number.isFinite(x));

/** Quantile (linear between ranks) of an ascending array. */
function quantile(sorted, q) {
  if (sorted.length === 0) return NaN;
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  return sorted[lo] + (sorted[Math.min(lo + 1, sorted.length - 1)] - sorted[lo]) * (at - lo);
}

/** {n, median, min, max, q1, q3} of the finite values (NaN figures and n 0 when there are none). */
export function summarize(values) {
  const s = finite(values).sort((x, y) => x - y);
  return { n: s.length, median: quantile(s, 0.5), min: s[0] ?? NaN, max: s.at(-1) ?? NaN, q1: quantile(s, 0.25), q3: quantile(s, 0.75) };
}

/**
 * Per-round result objects → one object of the same shape holding each numeric field's median, plus `rounds` (the
 * objects) and `spread` ({field: [min, max]}). Nested objects are reduced the same way; arrays of objects with a
 * `label` (per-thread CPU) are merged by label, each numeric field the median over the rounds that have the label;
 * other values come from the first round.
 */
export function medianOf(results) {
  const rs = results.filter(Boolean);
  if (rs.length === 0) return null;
  const out = { ...rs[0], rounds: rs, spread: {} };
  for (const [k, v] of Object.entries(rs[0])) {
    if (typeof v === 'number') {
      const s = summarize(rs.map((r) => r[k]));
      out[k] = s.median;
      out.spread[k] = [s.min, s.max];
    } else if (Array.isArray(v) && v.every((x) => x && typeof x === 'object' && 'label' in x)) {
      const labels = [...new Set(rs.flatMap((r) => (r[k] ?? []).map((x) => x.label)))];
      out[k] = labels.map((label) => {
        const m = medianOf(rs.map((r) => (r[k] ?? []).find((x) => x.label === label)));
        delete m.rounds;
        delete m.spread;
        return m;
      });
    } else if (v && typeof v === 'object' && !Array.isArray(v) && k !== 'spread' && k !== 'rounds') {
      const m = medianOf(rs.map((r) => r[k]));
      if (m) delete m.rounds;
      out[k] = m;
    }
  }
  return out;
}

/** "12,345 (11,900–12,800, 5 rounds)" with `fmt` for each figure. */
export function withSpread(values, fmt = (v) => String(v)) {
  const s = summarize(values);
  if (s.n === 0) return '-';
  if (s.n === 1) return `${fmt(s.median)} (1 round)`;
  return `${fmt(s.median)} (${fmt(s.min)}–${fmt(s.max)}, ${s.n} rounds)`;
}

/**
 * Judges a target on the median of per-round values: {target, value (the median), summary, met, claimed, verdict}.
 * `met` is null when nothing was measured; `claimed` only when met on at least `minRounds` rounds. The verdict is
 * [MET] (claimed), [MISSED] (the median misses it), or [N/A] (not measured, or met on fewer rounds than needed,
 * which is not a claim).
 */
export function judge(target, values, { atLeast, atMost, minRounds = MIN_ROUNDS }) {
  const s = summarize(values);
  const met = s.n === 0 ? null : atLeast !== undefined ? s.median >= atLeast : s.median <= atMost;
  const claimed = met === true && s.n >= minRounds;
  const verdict = claimed ? '[MET]   ' : met === false ? '[MISSED]' : '[N/A]   ';
  const note = met === true && !claimed ? ` (met on ${s.n} round${s.n === 1 ? '' : 's'}: fewer than ${minRounds}, not claimed)` : '';
  return { target, value: s.median, summary: s, met, claimed, verdict, note };
}
