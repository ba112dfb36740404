// The per-feature profile Ferry keeps per deployment × model version × window (DESIGN.md principle 4):
// counts, nulls and type errors for every column; moments + KLL for numbers, and every number exactly while
// they fit a budget (ExactValues); exact-then-frequent counts for categories; a reservoir sample. Everything in it merges, so windows and
// replicas combine by merge() and the result equals (exactly, or within the sketches' bounds) one profile
// of the concatenated stream.
//
// Kinds: 'numerical' takes numbers (NaN is a null; strings, booleans and objects are type errors);
// 'categorical' takes strings, booleans (as "true"/"false") and numbers (as their decimal text, e.g. codes);
// objects and arrays are type errors in both. 'unknown' is a column that has seen no usable value yet: the
// first one decides (number → numerical, string/boolean → categorical) unless options.kind fixes it.
import { ByteReader, ByteWriter, TAG } from './codec.js';
import { FrequentItems, type FrequentJSON } from './frequent.js';
import { KllSketch, type KllJSON } from './kll.js';
import { Moments, type MomentsJSON } from './moments.js';
import { Reservoir, type ReservoirJSON } from './reservoir.js';
import { DEFAULT_SEED } from './rng.js';
import { EXACT_DEFAULT_BUDGET, EXACT_MAX_BUDGET, ExactValues } from './exact-values.js';

export type ColumnKind = 'numerical' | 'categorical' | 'unknown';
const KINDS: ColumnKind[] = ['unknown', 'numerical', 'categorical'];

export interface ColumnProfileOptions {
  /** Fixes the kind instead of inferring it from the first value. */
  kind?: ColumnKind;
  kllK?: number;
  maxItems?: number;
  reservoirCapacity?: number;
  seed?: number;
  /** Numbers kept exactly (quantiles, histograms, drift) before the column answers from its KLL sketch; 0 = never. */
  exactBudget?: number;
}

export const SUMMARY_QUANTILES = { p01: 0.01, p05: 0.05, p25: 0.25, p50: 0.5, p75: 0.75, p95: 0.95, p99: 0.99 } as const;
export type SummaryQuantiles = Record<keyof typeof SUMMARY_QUANTILES, number>;

export interface ColumnSummary {
  kind: ColumnKind;
  count: number;
  nulls: number;
  /** nulls / count; null for an empty column. */
  null_rate: number | null;
  type_errors: number;
  min: number | null;
  max: number | null;
  mean: number | null;
  /** Sample standard deviation (ddof=1, as pandas); null below two values. */
  std: number | null;
  quantiles: SummaryQuantiles | null;
  /** Distinct values, present while they are counted exactly (categorical, up to maxItems). */
  unique_estimate?: number;
  top: { value: string; count: number }[];
}

export interface ColumnProfileJSON {
  /** 1: before exact values (its options have no exactBudget); 2: with them. */
  version: 1 | 2;
  kind: ColumnKind;
  fixed: boolean;
  options: Omit<Required<Omit<ColumnProfileOptions, 'kind'>>, 'exactBudget'> & { exactBudget?: number };
  count: number;
  nulls: number;
  typeErrors: number;
  moments?: MomentsJSON;
  kll?: KllJSON;
  frequent?: FrequentJSON;
  reservoir?: ReservoirJSON;
  /** ExactValues' bytes in base64; absent once the column passed its budget. */
  exact?: string;
}

export class ColumnProfile {
  kind: ColumnKind = 'unknown';
  readonly fixed: boolean;
  readonly options: Required<Omit<ColumnProfileOptions, 'kind'>>;
  count = 0;
  nulls = 0;
  typeErrors = 0;
  moments: Moments | null = null;
  kll: KllSketch | null = null;
  frequent: FrequentItems | null = null;
  reservoir: Reservoir | null = null;
  /** Every number of the column, while they fit options.exactBudget; null past it (or for other kinds). */
  exact: ExactValues | null = null;

  constructor(options: ColumnProfileOptions = {}) {
    this.options = {
      kllK: options.kllK ?? 200,
      maxItems: options.maxItems ?? 1000,
      reservoirCapacity: options.reservoirCapacity ?? 512,
      seed: (options.seed ?? DEFAULT_SEED) >>> 0,
      exactBudget: options.exactBudget ?? EXACT_DEFAULT_BUDGET,
    };
    const b = this.options.exactBudget;
    if (!Number.isInteger(b) || b < 0 || b > EXACT_MAX_BUDGET) throw new Error(`exactBudget must be an integer in [0, ${EXACT_MAX_BUDGET}], got ${b}`);
    this.fixed = options.kind !== undefined && options.kind !== 'unknown';
    if (this.fixed) this.resolve(options.kind!);
  }

  /** Settles the kind and creates the sketches it needs (no-op once settled). */
  private resolve(kind: ColumnKind): void {
    if (this.kind !== 'unknown' || kind === 'unknown') return;
    this.kind = kind;
    const { kllK, maxItems, reservoirCapacity, seed } = this.options;
    if (kind === 'numerical') {
      this.moments = new Moments();
      this.kll = new KllSketch({ k: kllK, seed });
      this.exact = this.options.exactBudget > 0 ? new ExactValues() : null;
    } else {
      this.frequent = new FrequentItems({ maxItems });
    }
    // A different stream from the KLL's, so the two sketches' random choices are not correlated.
    this.reservoir = new Reservoir({ capacity: reservoirCapacity, seed: (seed ^ 0x9e3779b9) >>> 0 });
  }

  update(value: unknown): void {
    this.count++;
    switch (typeof value) {
      case 'number':
        if (value !== value) this.nulls++;
        else if (this.kind === 'numerical') this.addNumber(value);
        else if (this.kind === 'categorical') this.addCategory(String(value));
        else {
          this.resolve('numerical');
          this.addNumber(value);
        }
        return;
      case 'string':
      case 'boolean':
        if (this.kind === 'numerical') this.typeErrors++;
        else {
          this.resolve('categorical');
          this.addCategory(typeof value === 'string' ? value : value ? 'true' : 'false');
        }
        return;
      case 'undefined':
        this.nulls++;
        return;
      default:
        if (value === null) this.nulls++;
        else this.typeErrors++;
    }
  }

  private addNumber(x: number): void {
    this.moments!.update(x);
    this.kll!.update(x);
    this.reservoir!.update(x);
    if (this.exact) {
      this.exact.update(x);
      if (this.exact.n > this.options.exactBudget) this.exact = null;
    }
  }

  /** Numbers seen (non-null values of a numerical column). */
  private numbers(): number {
    return this.moments?.count ?? 0;
  }

  /** Whether `exact` holds every number of the column (true for a column with none). */
  get isExact(): boolean {
    return this.exact !== null || this.numbers() === 0;
  }

  private addCategory(s: string): void {
    this.frequent!.update(s);
    this.reservoir!.update(s);
  }

  /** Batch update; a Float64Array (NaN = null) takes a loop with no per-value type dispatch. */
  updateMany(values: ArrayLike<unknown>): void {
    if (values instanceof Float64Array && this.kind !== 'categorical') {
      if (values.length === 0) return;
      if (this.kind === 'unknown') {
        // As update() would: nulls alone leave the kind open.
        let i = 0;
        while (i < values.length && values[i] !== values[i]) i++;
        if (i === values.length) return this.addNulls(values.length);
      }
      this.resolve('numerical');
      const before = this.moments!.count;
      this.moments!.updateMany(values);
      this.kll!.updateMany(values);
      if (this.exact) {
        this.exact.updateMany(values);
        if (this.exact.n > this.options.exactBudget) this.exact = null;
      }
      const res = this.reservoir!;
      for (let i = 0; i < values.length; i++) if (values[i] === values[i]) res.update(values[i]);
      this.count += values.length;
      this.nulls += values.length - (this.moments!.count - before);
      return;
    }
    for (let i = 0; i < values.length; i++) this.update(values[i]);
  }

  /** Records `k` missing values at once (a dataset row without this feature). */
  addNulls(k: number): void {
    this.count += k;
    this.nulls += k;
  }

  merge(other: ColumnProfile): this {
    if (other === this) other = this.clone();
    if (other.kind !== 'unknown' && this.kind !== 'unknown' && other.kind !== this.kind) {
      throw new Error(`cannot merge a ${this.kind} column profile with a ${other.kind} one`);
    }
    for (const key of ['kllK', 'maxItems', 'reservoirCapacity'] as const) {
      // Checked before anything changes, so a refused merge leaves this profile as it was.
      if (this.options[key] !== other.options[key]) {
        throw new Error(`cannot merge column profiles with ${key} ${this.options[key]} and ${other.options[key]}`);
      }
    }
    // Exact stays exact only if both sides hold all their numbers and the sum fits this profile's budget.
    const budget = this.options.exactBudget;
    const keepExact = budget > 0 && this.isExact && other.isExact && this.numbers() + other.numbers() <= budget;
    this.resolve(other.kind);
    if (this.kind === 'numerical') {
      if (!keepExact) this.exact = null;
      else {
        this.exact ??= new ExactValues();
        if (other.exact) this.exact.merge(other.exact);
      }
    }
    this.count += other.count;
    this.nulls += other.nulls;
    this.typeErrors += other.typeErrors;
    if (other.moments) this.moments!.merge(other.moments);
    if (other.kll) this.kll!.merge(other.kll);
    if (other.frequent) this.frequent!.merge(other.frequent);
    if (other.reservoir) this.reservoir!.merge(other.reservoir);
    return this;
  }

  /**
   * The most frequent values with their estimated counts. Past maxItems distinct values every estimate carries the
   * sketch's error (a dropped value may have up to maximumError rows), so only values surely more frequent than
   * that are listed — not ids that happened to be counted last.
   */
  private topValues(topN: number): { value: string; count: number }[] {
    const f = this.frequent!;
    const rows = f.top(topN);
    return (f.isExact ? rows : rows.filter((r) => f.lowerBound(r.value) > f.maximumError)).map((r) => ({ value: r.value, count: r.estimate }));
  }

  summary(topN = 10): ColumnSummary {
    const m = this.moments;
    const has = m !== null && m.count > 0;
    let quantiles: SummaryQuantiles | null = null;
    if (has) {
      quantiles = {} as SummaryQuantiles;
      // Exact while the column's numbers fit the budget (numpy's inverted_cdf, the sketch's own convention).
      const src = this.exact ?? this.kll!;
      for (const [key, q] of Object.entries(SUMMARY_QUANTILES)) quantiles[key as keyof SummaryQuantiles] = src.quantile(q);
    }
    const out: ColumnSummary = {
      kind: this.kind,
      count: this.count,
      nulls: this.nulls,
      null_rate: this.count > 0 ? this.nulls / this.count : null,
      type_errors: this.typeErrors,
      min: has ? m.min : null,
      max: has ? m.max : null,
      mean: has ? m.mean : null,
      std: has && m.count > 1 ? m.stdSample() : null,
      quantiles,
      top: this.frequent ? this.topValues(topN) : [],
    };
    if (this.frequent?.isExact) out.unique_estimate = this.frequent.numTracked;
    return out;
  }

  clone(): ColumnProfile {
    return ColumnProfile.fromBytes(this.toBytes());
  }

  toJSON(): ColumnProfileJSON {
    const j: ColumnProfileJSON = {
      version: 2,
      kind: this.kind,
      fixed: this.fixed,
      options: { ...this.options },
      count: this.count,
      nulls: this.nulls,
      typeErrors: this.typeErrors,
    };
    if (this.moments) j.moments = this.moments.toJSON();
    if (this.kll) j.kll = this.kll.toJSON();
    if (this.frequent) j.frequent = this.frequent.toJSON();
    if (this.reservoir) j.reservoir = this.reservoir.toJSON();
    if (this.exact) j.exact = this.exact.toJSON();
    return j;
  }

  static fromJSON(j: ColumnProfileJSON): ColumnProfile {
    if (j.version !== 1 && j.version !== 2) throw new Error(`unsupported column profile version ${String(j.version)}`);
    // Version 1 had no exact values: its budget is today's default, and its numbers (if any) are not held.
    const p = new ColumnProfile({ ...j.options, kind: j.fixed ? j.kind : undefined });
    p.kind = j.kind;
    p.count = j.count;
    p.nulls = j.nulls;
    p.typeErrors = j.typeErrors;
    p.moments = j.moments ? Moments.fromJSON(j.moments) : null;
    p.kll = j.kll ? KllSketch.fromJSON(j.kll) : null;
    p.frequent = j.frequent ? FrequentItems.fromJSON(j.frequent) : null;
    p.reservoir = j.reservoir ? Reservoir.fromJSON(j.reservoir) : null;
    p.restoreExact(j.exact ? ExactValues.fromJSON(j.exact) : null);
    return p;
  }

  /** A decoded column's exact values: the stored ones, an empty set for a numerical column with no numbers yet, else none. */
  private restoreExact(stored: ExactValues | null): void {
    if (stored && stored.n !== this.numbers()) throw new Error(`column profile holds ${stored.n} exact values for ${this.numbers()} numbers`);
    this.exact = stored ?? (this.kind === 'numerical' && this.numbers() === 0 && this.options.exactBudget > 0 ? new ExactValues() : null);
  }

  /**
   * Binary (version 2): tag, version, kind, fixed, options (exactBudget added in 2), counts, presence bits, then
   * each sketch's own bytes. Version 1 (no exact values) still decodes.
   */
  writeTo(w: ByteWriter): void {
    const { kllK, maxItems, reservoirCapacity, seed, exactBudget } = this.options;
    w.u8(TAG.column)
      .u8(2)
      .u8(KINDS.indexOf(this.kind))
      .u8(this.fixed ? 1 : 0);
    w.u32(kllK).u32(maxItems).u32(reservoirCapacity).u32(seed).u32(exactBudget);
    w.f64(this.count).f64(this.nulls).f64(this.typeErrors);
    const parts = [this.moments, this.kll, this.frequent, this.reservoir, this.exact];
    w.u8(parts.reduce((bits, p, i) => bits | (p ? 1 << i : 0), 0));
    for (const p of parts) p?.writeTo(w);
  }

  static readFrom(r: ByteReader): ColumnProfile {
    const version = r.header(TAG.column, 'column profile', 2);
    const kind = KINDS[r.u8()];
    if (kind === undefined) throw new Error('bad column profile kind');
    const fixed = r.u8() === 1;
    const options = { kllK: r.u32(), maxItems: r.u32(), reservoirCapacity: r.u32(), seed: r.u32(), exactBudget: version >= 2 ? r.u32() : undefined };
    const p = new ColumnProfile({ ...options, kind: fixed ? kind : undefined });
    p.kind = kind;
    p.count = r.f64();
    p.nulls = r.f64();
    p.typeErrors = r.f64();
    const bits = r.u8();
    p.moments = bits & 1 ? Moments.readFrom(r) : null;
    p.kll = bits & 2 ? KllSketch.readFrom(r) : null;
    p.frequent = bits & 4 ? FrequentItems.readFrom(r) : null;
    p.reservoir = bits & 8 ? Reservoir.readFrom(r) : null;
    p.restoreExact(bits & 16 ? ExactValues.readFrom(r) : null);
    return p;
  }

  toBytes(): Uint8Array {
    const w = new ByteWriter(1024);
    this.writeTo(w);
    return w.finish();
  }

  static fromBytes(bytes: Uint8Array): ColumnProfile {
    const r = new ByteReader(bytes);
    const p = ColumnProfile.readFrom(r);
    r.end('column profile');
    return p;
  }
}
