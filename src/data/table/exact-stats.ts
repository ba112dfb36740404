// Exact histograms and quantiles for numeric columns past the profile's exact budget, from further passes over the
// file (datasets only: a pushed file can be read again; a monitoring stream cannot). The first pass gave min/max and
// the KLL sketch; each exact pass counts, per column, the histogram bins (first pass only) and, per quantile, the
// values below a bracket of candidate values and those inside it (kept exactly while few, else counted in fine
// bins). A quantile whose bracket holds its rank is selected from the kept values; otherwise the bracket is
// narrowed to the fine bin that holds the rank (or moved past the side it missed) and read again. Memory stays
// bounded by a per-pass value budget, whatever the file size.
import { type DatasetProfile, SUMMARY_QUANTILES, type SummaryQuantiles } from '../../stats/index.js';
import { binOf, histogramEdges, REPORT_BINS } from './histogram-edges.js';
import type { ColumnType, ExactStats } from './types.js';

/** Fine bins per bracket: a bracket that holds too many distinct values narrows by about a third of this per pass. */
export const FINE_BINS = 1024;
/** Passes after the first before a column gives up and reports from its sketch (doubles narrow in a few). */
export const MAX_EXACT_PASSES = 24;
/** Values kept per pass, over all brackets and ranges (8 bytes each, in buffers that double up to their cap). */
const PASS_VALUES = 1 << 22;
/** Values a bracket keeps per range at least (its fine bins then narrow it by far more than the rank error). */
const MIN_CAP = 64;

// The stats' shapes live in types.ts (which the table's other modules import), so that this file imports them and not
// the other way round.
export type { ExactColumnStats, ExactStats } from './types.js';

export interface Bracket {
  lo: number;
  hi: number;
}
/** What one range counts in an exact pass. */
export interface ExactTask {
  columns: { name: string; edges: number[] | null; brackets: Bracket[] }[];
  /** Values kept per bracket in this range before it counts only fine bins. */
  cap: number;
}
export interface BracketCount {
  below: number;
  fine: Float64Array;
  /** The values inside, unsorted, or null when they passed the cap. */
  inside: Float64Array | null;
  /** Smallest and largest value inside (a bracket full of one repeated value answers without its values). */
  min: number;
  max: number;
  /** Per fine bin, its smallest and largest value (a bin of one repeated value answers too: integer data). */
  fmin: Float64Array;
  fmax: Float64Array;
}
export interface ExactColumnCount {
  n: number;
  counts: number[] | null;
  brackets: BracketCount[];
}
export type ExactRangeResult = Record<string, ExactColumnCount>;

function fineEdge(b: Bracket, t: number): number {
  if (t <= 0) return b.lo;
  if (t >= FINE_BINS) return b.hi;
  const f = t / FINE_BINS;
  return Math.min(b.hi, Math.max(b.lo, b.lo * (1 - f) + b.hi * f));
}

interface Counting extends Bracket {
  below: number;
  fine: Float64Array;
  buf: Float64Array | null;
  len: number;
  min: number;
  max: number;
  fmin: Float64Array;
  fmax: Float64Array;
}

/** One range's counting for an exact pass (runs where the range is read: a worker or in-process). */
export class ExactCounter {
  private readonly cols = new Map<string, { edges: number[] | null; n: number; counts: number[] | null; brackets: Counting[] }>();

  constructor(private readonly task: ExactTask) {
    for (const c of task.columns) {
      this.cols.set(c.name, {
        edges: c.edges,
        n: 0,
        counts: c.edges ? new Array<number>(c.edges.length - 1).fill(0) : null,
        brackets: c.brackets.map((b) => ({
          ...b,
          below: 0,
          fine: new Float64Array(FINE_BINS),
          buf: new Float64Array(Math.min(1024, task.cap)),
          len: 0,
          min: Infinity,
          max: -Infinity,
          fmin: new Float64Array(FINE_BINS).fill(Infinity),
          fmax: new Float64Array(FINE_BINS).fill(-Infinity),
        })),
      });
    }
  }

  names(): string[] {
    return [...this.cols.keys()];
  }

  update(name: string, xs: Float64Array): void {
    const c = this.cols.get(name);
    if (!c) return;
    const { edges, counts } = c;
    let n = 0;
    for (let i = 0; i < xs.length; i++) {
      const x = xs[i];
      if (x !== x) continue; // null
      n++;
      if (edges) {
        const bin = binOf(edges, x);
        if (bin >= 0) counts![bin]++;
      }
    }
    c.n += n;
    // Bracket by bracket over the batch (a tight loop per bracket); NaN fails both comparisons and is skipped.
    for (const b of c.brackets) this.count(b, xs);
  }

  private count(b: Counting, xs: Float64Array): void {
    const { lo, hi, fine, fmin, fmax } = b;
    // Fine bins by halves, so a bracket as wide as the doubles does not overflow.
    const span = hi * 0.5 - lo * 0.5;
    const scale = span > 0 ? FINE_BINS / span : 0;
    const half = lo * 0.5;
    let below = 0;
    for (let i = 0; i < xs.length; i++) {
      const x = xs[i];
      if (x < lo) below++;
      else if (x <= hi) {
        const t = Math.floor((x * 0.5 - half) * scale);
        const f = t < 0 ? 0 : t >= FINE_BINS ? FINE_BINS - 1 : t;
        fine[f]++;
        if (x < fmin[f]) fmin[f] = x;
        if (x > fmax[f]) fmax[f] = x;
        if (x < b.min) b.min = x;
        if (x > b.max) b.max = x;
        if (b.buf) {
          if (b.len === b.buf.length) {
            if (b.len >= this.task.cap) b.buf = null;
            else {
              const grown = new Float64Array(Math.min(this.task.cap, b.len * 2));
              grown.set(b.buf);
              b.buf = grown;
            }
          }
          if (b.buf) b.buf[b.len++] = x;
        }
      }
    }
    b.below += below;
  }

  result(): ExactRangeResult {
    const out = Object.create(null) as ExactRangeResult;
    for (const [name, c] of this.cols) {
      out[name] = {
        n: c.n,
        counts: c.counts,
        brackets: c.brackets.map((b) => ({
          below: b.below,
          fine: b.fine,
          inside: b.buf ? b.buf.slice(0, b.len) : null,
          min: b.min,
          max: b.max,
          fmin: b.fmin,
          fmax: b.fmax,
        })),
      };
    }
    return out;
  }
}

interface QuantilePlan {
  /** 1-based rank of the answer: numpy inverted_cdf picks the smallest value whose cumulative count reaches q·n. */
  rank: number;
  /** The answer lies in [low, high]. */
  low: number;
  high: number;
  bracket: Bracket;
  answer: number | null;
}
interface ColumnPlan {
  name: string;
  n: number;
  edges: number[];
  counts: number[] | null;
  quantiles: QuantilePlan[];
  failed: boolean;
}

const KEYS = Object.keys(SUMMARY_QUANTILES) as (keyof SummaryQuantiles)[];

/** Columns the first pass could not keep exactly, with each quantile's first bracket from the sketch's rank error. */
function plan(profile: DatasetProfile, cols: readonly { name: string; type: ColumnType }[]): ColumnPlan[] {
  const plans: ColumnPlan[] = [];
  for (const c of cols) {
    const p = profile.columns.get(c.name);
    if (!p || p.kind !== 'numerical' || p.exact !== null || !p.moments || p.moments.count === 0 || !p.kll) continue;
    const { min, max, count: n } = p.moments;
    const kll = p.kll;
    const margin = kll.normalizedRankError(false);
    plans.push({
      name: c.name,
      n,
      edges: histogramEdges(min, max, c.type, REPORT_BINS),
      counts: null,
      failed: false,
      quantiles: KEYS.map((key) => {
        const q = SUMMARY_QUANTILES[key];
        const lo = q - margin <= 0 ? min : Math.max(min, kll.quantile(q - margin));
        const hi = q + margin >= 1 ? max : Math.min(max, kll.quantile(q + margin));
        return { rank: Math.max(1, Math.ceil(q * n)), low: min, high: max, bracket: { lo, hi: Math.max(lo, hi) }, answer: null };
      }),
    });
  }
  return plans;
}

/** Folds one pass's merged counts into a quantile's plan: its answer, or a narrower / moved bracket to read next. */
function settle(qp: QuantilePlan, m: Omit<BracketCount, 'inside'> & { inside: Float64Array | null }): void {
  const b = qp.bracket;
  const { below, fine } = m;
  const within = fine.reduce((a, v) => a + v, 0);
  if (qp.rank <= below) {
    qp.high = Math.min(qp.high, b.lo);
    qp.bracket = { lo: qp.low, hi: qp.high };
  } else if (qp.rank > below + within) {
    qp.low = Math.max(qp.low, b.hi);
    qp.bracket = { lo: qp.low, hi: qp.high };
  } else if (m.inside) {
    qp.answer = m.inside.sort()[qp.rank - below - 1];
  } else if (m.min === m.max) {
    qp.answer = m.min;
  } else {
    [qp.low, qp.high] = [m.min, m.max];
    let cum = below;
    let j = 0;
    while (j < FINE_BINS - 1 && cum + fine[j] < qp.rank) cum += fine[j++];
    // The rank falls in bin j; a bin whose values are all one value (a repeated integer) is the answer.
    if (m.fmin[j] === m.fmax[j]) {
      qp.answer = m.fmin[j];
      return;
    }
    // A bin's margin on each side: a value's computed bin may differ from the edges recomputed here by rounding.
    qp.bracket = { lo: Math.max(m.min, fineEdge(b, j - 1)), hi: Math.min(m.max, fineEdge(b, j + 2)) };
  }
}

/**
 * Exact stats for every numeric column the profile holds only as a sketch: `pass` reads the file once with a task
 * (in ranges, merged here). A column whose counts do not add up to its profile's, or that does not settle within
 * MAX_EXACT_PASSES, is left out (the report then says its basis is the sketch).
 */
export async function exactStats(
  profile: DatasetProfile,
  cols: readonly { name: string; type: ColumnType }[],
  o: { ranges: number; passValues?: number },
  pass: (task: ExactTask) => Promise<ExactRangeResult[]>,
): Promise<ExactStats> {
  const passValues = o.passValues ?? PASS_VALUES;
  const plans = plan(profile, cols);
  const out = Object.create(null) as ExactStats;
  for (let round = 0; round <= MAX_EXACT_PASSES; round++) {
    const open = plans.filter((p) => !p.failed && (p.counts === null || p.quantiles.some((q) => q.answer === null)));
    if (open.length === 0) break;
    const brackets = open.reduce((a, p) => a + p.quantiles.filter((q) => q.answer === null).length, 0);
    const task: ExactTask = {
      cap: Math.max(MIN_CAP, Math.floor(passValues / Math.max(1, brackets * o.ranges))),
      columns: open.map((p) => ({
        name: p.name,
        edges: p.counts === null ? p.edges : null,
        brackets: p.quantiles.filter((q) => q.answer === null).map((q) => q.bracket),
      })),
    };
    const results = await pass(task);
    for (const p of open) {
      const parts = results.map((r) => r[p.name]).filter((x) => x !== undefined);
      if (parts.reduce((a, x) => a + x.n, 0) !== p.n) {
        p.failed = true;
        continue;
      }
      if (p.counts === null) {
        p.counts = new Array<number>(p.edges.length - 1).fill(0);
        for (const part of parts) part.counts!.forEach((v, i) => (p.counts![i] += v));
      }
      const todo = p.quantiles.filter((q) => q.answer === null);
      todo.forEach((qp, k) => {
        const m = {
          below: 0,
          fine: new Float64Array(FINE_BINS),
          inside: null as Float64Array | null,
          min: Infinity,
          max: -Infinity,
          fmin: new Float64Array(FINE_BINS).fill(Infinity),
          fmax: new Float64Array(FINE_BINS).fill(-Infinity),
        };
        const inside: Float64Array[] = [];
        let all = true;
        for (const part of parts) {
          const bc = part.brackets[k];
          m.below += bc.below;
          for (let i = 0; i < FINE_BINS; i++) m.fine[i] += bc.fine[i];
          m.min = Math.min(m.min, bc.min);
          m.max = Math.max(m.max, bc.max);
          for (let i = 0; i < FINE_BINS; i++) {
            m.fmin[i] = Math.min(m.fmin[i], bc.fmin[i]);
            m.fmax[i] = Math.max(m.fmax[i], bc.fmax[i]);
          }
          if (bc.inside === null) all = false;
          else inside.push(bc.inside);
        }
        if (all) {
          m.inside = new Float64Array(inside.reduce((a, v) => a + v.length, 0));
          inside.reduce((at, v) => (m.inside!.set(v, at), at + v.length), 0);
        }
        settle(qp, m);
      });
    }
  }
  for (const p of plans) {
    if (p.failed || p.counts === null || p.quantiles.some((q) => q.answer === null)) continue;
    const quantiles = {} as SummaryQuantiles;
    KEYS.forEach((key, i) => (quantiles[key] = p.quantiles[i].answer!));
    out[p.name] = { count: p.n, edges: p.edges, counts: p.counts, quantiles };
  }
  return out;
}
