/**
 * The model-agnostic explainers' common ground: a batched model function, an evaluation budget, and the
 * coalition values v(S) = mean over background rows b of f(x_S, b_rest) (interventional: absent features take
 * each background row's values), evaluated in batches that stop where the budget does.
 */
import { InvalidParameterError } from '../../../errors.js';

/** The model: n rows of M features, row-major, in; n rows of the model's outputs, row-major, out. */
export type BatchModel = (rows: Float64Array, n: number) => Promise<Float64Array>;

export interface ShapBudget {
  /** Model rows the whole explanation may evaluate (every coalition of one row costs |background| rows). */
  maxEvaluations?: number;
  /** Wall-clock milliseconds the explanation may run, from its start; checked before each batch. */
  deadlineMs?: number;
}

export interface AgnosticInput {
  evaluate: BatchModel;
  /** Background rows (M values each): what an absent feature's value is drawn from. */
  background: number[][];
  /** The rows to explain (M values each). */
  rows: number[][];
  /** One name per model output (the width of what `evaluate` answers per row). */
  outputNames: string[];
  budget?: ShapBudget;
  seed?: number;
  /** Most model rows in one `evaluate` call (default 32,768). */
  maxBatchRows?: number;
  /** The clock the deadline reads (tests move it). */
  now?: () => number;
}

const DEFAULT_BATCH_ROWS = 32_768;

/** Evaluates coalitions for one explanation, counting model rows against the budget. */
export class CoalitionEvaluator {
  readonly M: number;
  readonly O: number;
  readonly nb: number;
  evaluations = 0;
  truncated = false;
  private readonly bg: Float64Array;
  private readonly maxBatch: number;
  private readonly maxEvals: number;
  private readonly deadline: number;
  private readonly now: () => number;

  constructor(private readonly input: AgnosticInput) {
    const { background, rows, outputNames } = input;
    if (background.length === 0) throw new InvalidParameterError('background', 'The background has no rows.');
    if (rows.length === 0) throw new InvalidParameterError('rows', 'There are no rows to explain.');
    if (outputNames.length === 0) throw new InvalidParameterError('outputs', 'The model has no outputs to explain.');
    this.M = background[0]!.length;
    if (this.M === 0) throw new InvalidParameterError('features', 'The model has no features to explain.');
    for (const [what, list] of [
      ['background', background],
      ['rows', rows],
    ] as const)
      list.forEach((r, i) => {
        if (r.length !== this.M) throw new InvalidParameterError(what, `Row ${i} of '${what}' has ${r.length} values; expected ${this.M}.`);
      });
    this.O = outputNames.length;
    this.nb = background.length;
    this.bg = Float64Array.from(background.flat());
    this.maxBatch = Math.max(1, input.maxBatchRows ?? DEFAULT_BATCH_ROWS);
    const b = input.budget ?? {};
    this.maxEvals = b.maxEvaluations ?? Infinity;
    this.now = input.now ?? (() => performance.now());
    this.deadline = b.deadlineMs === undefined ? Infinity : this.now() + b.deadlineMs;
    if (!(this.maxEvals >= this.nb + rows.length))
      throw new InvalidParameterError(
        'budget.max_evaluations',
        `The budget of ${b.maxEvaluations} model evaluations does not cover the base value and the predictions (${this.nb + rows.length} rows).`,
      );
  }

  /** Model rows still allowed. */
  get left(): number {
    return this.maxEvals - this.evaluations;
  }

  private async run(rows: Float64Array, n: number): Promise<Float64Array> {
    const out = await this.input.evaluate(rows, n);
    if (out.length !== n * this.O) throw new Error(`The model answered ${out.length} values for ${n} rows of ${this.O} outputs.`);
    for (let i = 0; i < out.length; i++)
      if (!Number.isFinite(out[i]!)) throw new InvalidParameterError('instances', `The model answered a non-finite output (${out[i]}).`);
    this.evaluations += n;
    return out;
  }

  /** base[o] = E[f(background)] and fx[row][o], in one call. */
  async baseAndPredictions(): Promise<{ base: number[]; fx: number[][] }> {
    const { rows } = this.input;
    const n = this.nb + rows.length;
    const all = new Float64Array(n * this.M);
    all.set(this.bg);
    rows.forEach((r, i) => all.set(r, (this.nb + i) * this.M));
    const out = await this.run(all, n);
    const base = new Array<number>(this.O).fill(0);
    for (let b = 0; b < this.nb; b++) for (let o = 0; o < this.O; o++) base[o]! += out[b * this.O + o]!;
    for (let o = 0; o < this.O; o++) base[o]! /= this.nb;
    const fx = rows.map((_, i) => Array.from(out.subarray((this.nb + i) * this.O, (this.nb + i + 1) * this.O)));
    return { base, fx };
  }

  /** Coalitions of one row that `rowsLeft` rows (this one included) may still share fairly. */
  share(rowsLeft: number): number {
    return Number.isFinite(this.left) ? Math.floor(this.left / rowsLeft / this.nb) : Infinity;
  }

  /**
   * v(S) for each mask (1 = the feature takes x's value), in order, as far as `cap` coalitions, the budget and the
   * deadline allow: answers the values of the prefix evaluated (count × O), flagging `truncated` when cut short.
   */
  async values(x: number[], masks: Uint8Array[], cap = Infinity): Promise<Float64Array> {
    const { M, O, nb } = this;
    const v = new Float64Array(masks.length * O);
    const perBatch = Math.max(1, Math.floor(this.maxBatch / nb));
    let done = 0;
    while (done < masks.length) {
      const afford = Math.min(cap - done, Math.floor(this.left / nb));
      if (afford <= 0 || this.now() >= this.deadline) {
        this.truncated = true;
        break;
      }
      const k = Math.min(perBatch, masks.length - done, afford);
      const rows = new Float64Array(k * nb * M);
      for (let c = 0; c < k; c++) {
        const mask = masks[done + c]!;
        for (let b = 0; b < nb; b++) {
          const at = (c * nb + b) * M;
          rows.set(this.bg.subarray(b * M, (b + 1) * M), at);
          for (let j = 0; j < M; j++) if (mask[j]) rows[at + j] = x[j]!;
        }
      }
      const out = await this.run(rows, k * nb);
      for (let c = 0; c < k; c++)
        for (let o = 0; o < O; o++) {
          let s = 0;
          for (let b = 0; b < nb; b++) s += out[(c * nb + b) * O + o]!;
          v[(done + c) * O + o] = s / nb;
        }
      done += k;
    }
    return v.subarray(0, done * O);
  }
}
