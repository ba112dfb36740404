/**
 * A mergeable store for ROC AUC, which no fixed set of counts gives exactly. Up to `exactCap` rows it keeps
 * every (label, score) row and answers the exact AUC; past the cap (alone or merged) it moves to fixed score
 * bins (`bins` equal bins over `scoreRange`, out-of-range scores in the end bins) and answers the binned AUC
 * with its bound: rows sharing a bin count as tied, so |binned - exact| <= sum_b(pos_b * neg_b) / (2 P N).
 * With 1000 bins over [0, 1] and continuous scores (python/tests) the bound is ~6e-4 and the actual error
 * ~4e-6; scores that take few distinct values each fill their own bin, so binning then changes nothing.
 *
 * Two shapes: 'scores' (binary: one score per row, the true label kept, so the positive label can be chosen
 * when the report is made) and 'matrix' (one probability per label; per column, a histogram of the rows of
 * that class and of all rows, which is what one-vs-rest needs).
 */
import { InvalidParameterError } from '../../errors.js';
import { type Label, type NumberInput } from './labels.js';
import { rocAucBinned, rocAucFromFlags } from './roc-auc.js';

export const AUC_EXACT_CAP = 100_000;
export const AUC_BINS = 1000;

export interface AucSketchOptions {
  exactCap?: number;
  bins?: number;
  scoreRange?: [number, number];
}

export interface AucResult {
  auc: number | null;
  mode: 'exact' | 'binned';
  error_bound: number;
  /** Per label (one-vs-rest), when some label's AUC is undefined. */
  undefined_for: Label[];
}

type Sparse = [number, number][];
export interface AucSketchJSON {
  cap: number;
  bins: number;
  range: [number, number];
  shape: 'scores' | 'matrix' | null;
  k: number;
  n: number;
  exact: boolean;
  labels: Label[];
  true_index: number[];
  values: number[];
  by_label: [Label, Sparse][];
  pos: Sparse[];
  all: Sparse[];
}

const toSparse = (h: Float64Array): Sparse => Array.from(h).flatMap((c, b) => (c ? [[b, c] as [number, number]] : []));

export class AucSketch {
  readonly cap: number;
  readonly bins: number;
  readonly range: [number, number];
  shape: 'scores' | 'matrix' | null = null;
  k = 0;
  n = 0;
  exact = true;
  private labels: Label[] = []; // scores shape, exact: true label per row
  private trueIndex: number[] = []; // matrix shape, exact: true column per row
  private values: number[] = []; // exact: the score, or k probabilities, per row
  private byLabel = new Map<Label, Float64Array>(); // scores shape, binned
  private pos: Float64Array[] = []; // matrix shape, binned: rows of the column's class
  private all: Float64Array[] = []; // matrix shape, binned: every row

  constructor(opts: AucSketchOptions = {}) {
    this.cap = opts.exactCap ?? AUC_EXACT_CAP;
    this.bins = opts.bins ?? AUC_BINS;
    this.range = opts.scoreRange ?? [0, 1];
    if (!Number.isInteger(this.cap) || this.cap < 0) throw new InvalidParameterError('exactCap', "'exactCap' must be an integer >= 0.");
    if (!Number.isInteger(this.bins) || this.bins < 1) throw new InvalidParameterError('bins', "'bins' must be a positive integer.");
    if (!(this.range[1] > this.range[0])) throw new InvalidParameterError('scoreRange', "'scoreRange' must be [low, high] with low < high.");
  }

  private bin(score: number): number {
    const [lo, hi] = this.range;
    const b = Math.floor(((score - lo) / (hi - lo)) * this.bins);
    return b < 0 ? 0 : b >= this.bins ? this.bins - 1 : b;
  }

  private setShape(shape: 'scores' | 'matrix', k: number): void {
    if (this.shape === null) {
      this.shape = shape;
      this.k = k;
      if (!this.exact) this.emptyBins();
    } else if (this.shape !== shape || this.k !== k) {
      throw new InvalidParameterError('scores', `Cannot combine ${this.shape} scores (k=${this.k}) with ${shape} scores (k=${k}).`);
    }
  }

  private emptyBins(): void {
    if (this.shape === 'matrix') {
      this.pos = Array.from({ length: this.k }, () => new Float64Array(this.bins));
      this.all = Array.from({ length: this.k }, () => new Float64Array(this.bins));
    }
  }

  private binScore(label: Label, score: number): void {
    let h = this.byLabel.get(label);
    if (!h) this.byLabel.set(label, (h = new Float64Array(this.bins)));
    h[this.bin(score)]++;
  }

  private binRow(t: number, row: ArrayLike<number>): void {
    for (let j = 0; j < this.k; j++) {
      const b = this.bin(row[j]);
      this.all[j][b]++;
      if (j === t) this.pos[j][b]++;
    }
  }

  /** Moves the kept rows into bins (once the cap is passed). */
  private toBins(): void {
    if (!this.exact) return;
    this.exact = false;
    this.emptyBins();
    if (this.shape === 'scores') this.labels.forEach((l, i) => this.binScore(l, this.values[i]));
    else this.trueIndex.forEach((t, i) => this.binRow(t, this.values.slice(i * this.k, (i + 1) * this.k)));
    this.labels = [];
    this.trueIndex = [];
    this.values = [];
  }

  addScore(label: Label, score: number): void {
    this.setShape('scores', 1);
    this.n++;
    if (this.exact && this.n > this.cap) this.toBins();
    if (this.exact) {
      this.labels.push(label);
      this.values.push(score);
    } else this.binScore(label, score);
  }

  addRow(trueIndex: number, row: NumberInput): void {
    this.setShape('matrix', row.length);
    this.n++;
    if (this.exact && this.n > this.cap) this.toBins();
    if (this.exact) {
      this.trueIndex.push(trueIndex);
      for (let j = 0; j < row.length; j++) this.values.push(row[j]);
    } else this.binRow(trueIndex, row);
  }

  merge(other: AucSketch): this {
    if (other.cap !== this.cap || other.bins !== this.bins || other.range.join() !== this.range.join()) {
      throw new InvalidParameterError('scores', 'Cannot merge ROC AUC sketches with different caps, bins or score ranges.');
    }
    if (other.shape === null) return this;
    this.setShape(other.shape, other.k);
    if (this.exact && other.exact && this.n + other.n <= this.cap) {
      this.labels.push(...other.labels);
      this.trueIndex.push(...other.trueIndex);
      for (const v of other.values) this.values.push(v);
    } else {
      this.toBins();
      const o = other.exact ? AucSketch.fromJSON(other.toJSON()) : other;
      o.toBins();
      for (const [label, h] of o.byLabel) {
        const mine = this.byLabel.get(label) ?? new Float64Array(this.bins);
        h.forEach((c, b) => (mine[b] += c));
        this.byLabel.set(label, mine);
      }
      o.pos.forEach((h, j) => h.forEach((c, b) => (this.pos[j][b] += c)));
      o.all.forEach((h, j) => h.forEach((c, b) => (this.all[j][b] += c)));
    }
    this.n += other.n;
    return this;
  }

  /** Binary AUC of `positive` (scores, or its column of a two-label matrix), or one-vs-rest macro AUC. */
  result(positive: Label, labels: readonly Label[]): AucResult {
    const mode = this.exact ? 'exact' : 'binned';
    if (this.shape === 'scores') {
      const r = this.binary(positive);
      return { auc: r.auc, mode, error_bound: r.error_bound, undefined_for: r.auc === null ? [positive] : [] };
    }
    const columns = labels.length === 2 ? [labels.indexOf(positive)] : labels.map((_, j) => j);
    const per = columns.map((j) => this.column(j));
    const undefinedFor = columns.filter((_, i) => per[i].auc === null).map((j) => labels[j]);
    if (undefinedFor.length > 0) return { auc: null, mode, error_bound: 0, undefined_for: undefinedFor };
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    return {
      auc: mean(per.map((r) => r.auc as number)),
      mode,
      error_bound: mean(per.map((r) => r.error_bound)),
      undefined_for: [],
    };
  }

  private binary(positive: Label): { auc: number | null; error_bound: number } {
    if (this.exact)
      return {
        auc: rocAucFromFlags(
          this.labels.map((l) => l === positive),
          this.values,
        ),
        error_bound: 0,
      };
    const pos = this.byLabel.get(positive) ?? new Float64Array(this.bins);
    const neg = new Float64Array(this.bins);
    for (const [label, h] of this.byLabel) if (label !== positive) h.forEach((c, b) => (neg[b] += c));
    return rocAucBinned(pos, neg);
  }

  private column(j: number): { auc: number | null; error_bound: number } {
    if (this.exact) {
      const col = this.trueIndex.map((_, i) => this.values[i * this.k + j]);
      return {
        auc: rocAucFromFlags(
          this.trueIndex.map((t) => t === j),
          col,
        ),
        error_bound: 0,
      };
    }
    return rocAucBinned(
      this.pos[j],
      this.all[j].map((c, b) => c - this.pos[j][b]),
    );
  }

  toJSON(): AucSketchJSON {
    return {
      cap: this.cap,
      bins: this.bins,
      range: [...this.range],
      shape: this.shape,
      k: this.k,
      n: this.n,
      exact: this.exact,
      labels: [...this.labels],
      true_index: [...this.trueIndex],
      values: [...this.values],
      by_label: [...this.byLabel].map(([l, h]) => [l, toSparse(h)]),
      pos: this.pos.map(toSparse),
      all: this.all.map(toSparse),
    };
  }

  static fromJSON(j: AucSketchJSON): AucSketch {
    const s = new AucSketch({ exactCap: j.cap, bins: j.bins, scoreRange: j.range });
    const dense = (sp: Sparse) => {
      const h = new Float64Array(j.bins);
      for (const [b, c] of sp) h[b] = c;
      return h;
    };
    Object.assign(s, { shape: j.shape, k: j.k, n: j.n, exact: j.exact });
    s.labels = [...j.labels];
    s.trueIndex = [...j.true_index];
    s.values = [...j.values];
    s.byLabel = new Map(j.by_label.map(([l, sp]) => [l, dense(sp)]));
    s.pos = j.pos.map(dense);
    s.all = j.all.map(dense);
    return s;
  }
}
