// Plain-data entry points (JSON in, JSON out): what the pytest harness calls to compare the sketches with
// numpy/scipy, and a convenient one-shot API. `chunks` > 1 builds one sketch per consecutive slice (each
// with its own seed, like separate replicas) and merges them, so merged results are checked too.
import { ColumnProfile, type ColumnProfileOptions, type ColumnSummary } from './column-profile.js';
import { FrequentItems } from './frequent.js';
import { KllSketch } from './kll.js';
import { Moments } from './moments.js';

export { reservoirInclusionCounts } from './reservoir.js';

export interface SketchCallOptions {
  k?: number;
  seed?: number;
  chunks?: number;
  maxItems?: number;
}

function slices<T>(values: readonly T[], chunks = 1): T[][] {
  const c = Math.max(1, Math.floor(chunks));
  const size = Math.ceil(values.length / c);
  return Array.from({ length: c }, (_, i) => values.slice(i * size, (i + 1) * size));
}

function kllOf(values: number[], o: SketchCallOptions = {}): KllSketch {
  const parts = slices(values, o.chunks).map((part, i) => {
    const s = new KllSketch({ k: o.k, seed: (o.seed ?? 1) + i });
    s.updateMany(part);
    return s;
  });
  return parts.reduce((a, b) => a.merge(b));
}

/** One profile of `values` (merged from `chunks` profiles) → its summary. */
export function profileOf(values: unknown[], options: ColumnProfileOptions & { chunks?: number } = {}): ColumnSummary {
  const { chunks, ...opts } = options;
  const parts = slices(values, chunks).map((part, i) => {
    const p = new ColumnProfile({ ...opts, seed: (opts.seed ?? 1) + i });
    p.updateMany(part);
    return p;
  });
  return parts.reduce((a, b) => a.merge(b)).summary();
}

export function momentsOf(values: number[], chunks = 1): Record<string, number> {
  const m = slices(values, chunks)
    .map((part) => {
      const s = new Moments();
      s.updateMany(part);
      return s;
    })
    .reduce((a, b) => a.merge(b));
  return { count: m.count, mean: m.mean, var_pop: m.variancePopulation(), var_sample: m.varianceSample(), min: m.min, max: m.max };
}

export function kllQuantiles(values: number[], qs: number[], options: SketchCallOptions = {}): number[] {
  return kllOf(values, options).quantiles(qs);
}

export function kllRanks(values: number[], xs: number[], options: SketchCallOptions = {}): number[] {
  const s = kllOf(values, options);
  return xs.map((x) => s.rank(x));
}

export function kllPmf(values: number[], splitPoints: number[], options: SketchCallOptions = {}): number[] {
  return kllOf(values, options).pmf(splitPoints);
}

/** DataSketches' normalized rank error at 99% confidence: pmf=false for one rank/quantile, true per bin. */
export function kllRankError(k = 200, pmf = false): number {
  return KllSketch.normalizedRankError(k, pmf);
}

export function frequentOf(
  items: string[],
  options: SketchCallOptions = {},
): { n: number; max_error: number; bound: number; exact: boolean; items: [string, number, number][] } {
  const f = slices(items, options.chunks)
    .map((part) => {
      const s = new FrequentItems({ maxItems: options.maxItems });
      for (const x of part) s.update(x);
      return s;
    })
    .reduce((a, b) => a.merge(b));
  return {
    n: f.n,
    max_error: f.maximumError,
    bound: FrequentItems.errorBound(f.maxItems, f.n),
    exact: f.isExact,
    items: f.top(f.numTracked).map((r) => [r.value, r.lowerBound, r.upperBound]),
  };
}
