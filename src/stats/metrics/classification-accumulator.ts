/**
 * Mergeable classification accumulator: confusion counts per (true, predicted) label pair, log-loss sums
 * and a ROC AUC sketch (exact up to a row cap, binned beyond it with a stated bound: auc-sketch.ts).
 * One-probability-per-row input keeps both -log p and -log(1 - p) per true label, so the positive label
 * can still be chosen when the report is made. Counts merge exactly; sums are compensated.
 */
import { InvalidParameterError } from '../../errors.js';
import { type AucSketchJSON, type AucSketchOptions, AucSketch } from './auc-sketch.js';
import { type Average, choosePositive, problemLabels } from './classification.js';
import {
  type Label,
  type LabelInput,
  type NumberInput,
  CompensatedSum,
  checkLabelKinds,
  requireRows,
  requireSameLength,
  resolveLabels,
  toFiniteFloat64,
} from './labels.js';
import { type ProbabilityInput, checkProbability, isMatrix, isNormalized, rowLogLoss } from './log-loss.js';
import { type AucPart, type ClassificationReport, type LossPart, assembleClassificationReport, lossNotes, requireColumns } from './report.js';
import { sumsToOne } from './roc-auc.js';
import { type SumJSON, sumFrom, sumJSON } from './sum-json.js';

export interface ClassificationAccumulatorOptions extends AucSketchOptions {
  /** Fixed label list: confusion-matrix order and probability columns (required for probability matrices). */
  labels?: Label[];
  positiveLabel?: Label;
}

export interface ClassificationBatch {
  scores?: NumberInput;
  probabilities?: ProbabilityInput;
}

export interface ClassificationAccumulatorJSON {
  options: ClassificationAccumulatorOptions;
  n: number;
  counts: [Label, Label, number][];
  loss_shape: 'vector' | 'matrix' | null;
  loss_rows: number;
  loss_unnormalized: number;
  loss_matrix: SumJSON;
  loss_by_label: [Label, SumJSON, SumJSON][];
  auc_not_probabilities: number;
  auc: AucSketchJSON;
}

export class ClassificationAccumulator {
  readonly options: ClassificationAccumulatorOptions;
  n = 0;
  private counts = new Map<Label, Map<Label, number>>();
  private lossShape: 'vector' | 'matrix' | null = null;
  private lossRows = 0;
  private lossUnnormalized = 0;
  private lossMatrix = new CompensatedSum();
  /** Vector input: per true label, sums of -log p and of -log(1 - p). */
  private lossByLabel = new Map<Label, [CompensatedSum, CompensatedSum]>();
  private aucNotProbabilities = 0;
  private auc: AucSketch;

  constructor(options: ClassificationAccumulatorOptions = {}) {
    this.options = { ...options };
    if (options.labels) resolveLabels([], options.labels, 'labels');
    this.auc = new AucSketch(options);
  }

  add(yTrue: LabelInput, yPred: LabelInput, batch: ClassificationBatch = {}): this {
    requireSameLength(yTrue, yPred, 'y_true', 'y_pred');
    const { scores, probabilities } = batch;
    if (scores) requireSameLength(yTrue, scores, 'y_true', 'scores');
    if (probabilities) requireSameLength(yTrue, probabilities, 'y_true', 'probabilities');
    requireColumns(probabilities, this.options.labels);
    const seen = [...this.counts.keys(), ...Array.from(yTrue), ...Array.from(yPred)];
    if (this.options.labels) resolveLabels(seen, this.options.labels, 'y_true');
    else checkLabelKinds(seen, 'y_true');
    const fixed = this.options.labels ?? [];
    const index = new Map(fixed.map((l, i) => [l, i] as const));
    const matrix = probabilities && isMatrix(probabilities);
    const shape = probabilities ? (matrix ? 'matrix' : 'vector') : null;
    if (shape && this.lossShape && shape !== this.lossShape) {
      throw new InvalidParameterError('probabilities', 'Cannot mix one-per-row and per-label probabilities in one accumulator.');
    }
    if (shape) this.lossShape = shape;
    const scoreOf = scores ? toFiniteFloat64(scores, 'scores') : null;
    for (let i = 0; i < yTrue.length; i++) {
      const t = yTrue[i];
      const row = this.counts.get(t) ?? this.counts.set(t, new Map()).get(t)!;
      row.set(yPred[i], (row.get(yPred[i]) ?? 0) + 1);
      if (probabilities && matrix) {
        const probs = (probabilities as ArrayLike<NumberInput>)[i];
        if (probs.length !== fixed.length) {
          throw new InvalidParameterError('probabilities', `'probabilities' row ${i} has ${probs.length} columns, expected ${fixed.length}.`);
        }
        let s = 0;
        for (let j = 0; j < probs.length; j++) s += checkProbability(probs[j], i);
        if (!isNormalized(s)) this.lossUnnormalized++;
        if (!sumsToOne(probs)) this.aucNotProbabilities++;
        this.lossMatrix.add(rowLogLoss(probs[index.get(t) as number]));
        if (!scoreOf) this.auc.addRow(index.get(t) as number, probs);
      } else if (probabilities) {
        const p = checkProbability((probabilities as NumberInput)[i], i);
        const sums = this.lossByLabel.get(t) ?? this.lossByLabel.set(t, [new CompensatedSum(), new CompensatedSum()]).get(t)!;
        sums[0].add(rowLogLoss(p));
        sums[1].add(rowLogLoss(1 - p));
        if (!scoreOf) this.auc.addScore(t, p);
      }
      if (scoreOf) this.auc.addScore(t, scoreOf[i]);
    }
    if (probabilities) this.lossRows += yTrue.length;
    this.n += yTrue.length;
    return this;
  }

  merge(other: ClassificationAccumulator): this {
    const same = (o: ClassificationAccumulatorOptions) => JSON.stringify([o.labels ?? null, o.positiveLabel ?? null]);
    if (same(other.options) !== same(this.options)) {
      throw new InvalidParameterError('options', 'Cannot merge classification accumulators with different labels or positive labels.');
    }
    if (other.lossShape && this.lossShape && other.lossShape !== this.lossShape) {
      throw new InvalidParameterError('probabilities', 'Cannot merge one-per-row with per-label probabilities.');
    }
    checkLabelKinds([...this.counts.keys(), ...other.counts.keys()], 'y_true');
    for (const [t, preds] of other.counts) {
      const row = this.counts.get(t) ?? this.counts.set(t, new Map()).get(t)!;
      for (const [p, c] of preds) row.set(p, (row.get(p) ?? 0) + c);
    }
    for (const [t, [a, b]] of other.lossByLabel) {
      const sums = this.lossByLabel.get(t) ?? this.lossByLabel.set(t, [new CompensatedSum(), new CompensatedSum()]).get(t)!;
      sums[0].addSum(a);
      sums[1].addSum(b);
    }
    this.lossShape ??= other.lossShape;
    this.lossMatrix.addSum(other.lossMatrix);
    this.lossRows += other.lossRows;
    this.lossUnnormalized += other.lossUnnormalized;
    this.aucNotProbabilities += other.aucNotProbabilities;
    this.auc.merge(other.auc);
    this.n += other.n;
    return this;
  }

  report(average?: Average): ClassificationReport {
    requireRows(this.n, 'y_true');
    const seen: Label[] = [...this.counts.keys()].flatMap((t) => [t, ...this.counts.get(t)!.keys()]);
    const { labels: given, positiveLabel } = this.options;
    const labels = problemLabels(seen, given, positiveLabel);
    const matrix = labels.map((t) => labels.map((p) => this.counts.get(t)?.get(p) ?? 0));
    const positive = choosePositive(labels, labels.length <= 2 ? positiveLabel : undefined);
    const notes: string[] = [];
    let loss: LossPart;
    if (this.lossRows === 0) loss = { reason: 'no probabilities given.' };
    else if (this.lossRows < this.n) loss = { reason: `probabilities given for ${this.lossRows} of ${this.n} rows.` };
    else if (labels.length < 2) loss = { reason: 'needs two labels.' };
    else if (this.lossShape === 'vector' && labels.length > 2) loss = { reason: 'one probability per row needs two labels.' };
    else {
      let sum = this.lossMatrix.value;
      if (this.lossShape === 'vector') {
        const s = new CompensatedSum();
        for (const [t, [a, b]] of this.lossByLabel) s.addSum(t === positive ? a : b);
        sum = s.value;
      }
      notes.push(...lossNotes(this.lossUnnormalized));
      loss = { log_loss: sum / this.n };
    }
    return assembleClassificationReport({ labels, matrix }, { positiveLabel, average }, this.aucPart(labels, positive), loss, notes);
  }

  private aucPart(labels: Label[], positive: Label): AucPart {
    if (labels.length < 2) return { reason: 'needs two labels.' };
    if (this.auc.n === 0) return { reason: 'no scores or probabilities given.' };
    if (this.auc.n < this.n) return { reason: `scores given for ${this.auc.n} of ${this.n} rows.` };
    if (labels.length > 2 && this.auc.shape === 'scores') return { reason: 'more than two labels need one probability per label per row.' };
    if (labels.length > 2 && this.aucNotProbabilities > 0)
      return { reason: `${this.aucNotProbabilities} rows do not sum to 1; one-vs-rest needs probabilities.` };
    const r = this.auc.result(positive, labels);
    if (r.auc === null) {
      const why =
        labels.length === 2
          ? 'y_true holds one class only; AUC is undefined.'
          : `undefined for ${r.undefined_for.map((l) => JSON.stringify(l)).join(', ')} (absent from y_true).`;
      return { reason: why };
    }
    return { auc: r.auc, mode: r.mode, error_bound: r.error_bound };
  }

  toJSON(): ClassificationAccumulatorJSON {
    return {
      options: this.options,
      n: this.n,
      counts: [...this.counts].flatMap(([t, preds]) => [...preds].map(([p, c]): [Label, Label, number] => [t, p, c])),
      loss_shape: this.lossShape,
      loss_rows: this.lossRows,
      loss_unnormalized: this.lossUnnormalized,
      loss_matrix: sumJSON(this.lossMatrix),
      loss_by_label: [...this.lossByLabel].map(([t, [a, b]]) => [t, sumJSON(a), sumJSON(b)]),
      auc_not_probabilities: this.aucNotProbabilities,
      auc: this.auc.toJSON(),
    };
  }

  static fromJSON(j: ClassificationAccumulatorJSON): ClassificationAccumulator {
    const a = new ClassificationAccumulator(j.options);
    for (const [t, p, c] of j.counts) {
      const row = a.counts.get(t) ?? a.counts.set(t, new Map()).get(t)!;
      row.set(p, c);
    }
    a.lossByLabel = new Map(j.loss_by_label.map(([t, x, y]) => [t, [sumFrom(x), sumFrom(y)]]));
    Object.assign(a, { n: j.n, lossShape: j.loss_shape, lossRows: j.loss_rows, lossUnnormalized: j.loss_unnormalized });
    Object.assign(a, { lossMatrix: sumFrom(j.loss_matrix), aucNotProbabilities: j.auc_not_probabilities, auc: AucSketch.fromJSON(j.auc) });
    return a;
  }
}
