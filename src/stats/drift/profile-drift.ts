/**
 * Drift between two profiles (live traffic against a reference; one dataset version against another). Methods and defaults follow Evidently's
 * data-drift preset, chosen by the reference's row count (stats/drift select.ts):
 * - numbers held exactly on both sides (ColumnProfile.exact, up to its budget of values): every method runs on all
 *   of them, as on the raw columns (basis 'exact');
 * - reference ≤ 1,000 rows: the reference reservoir holds every row, so KS / chi-squared / Z run exactly on
 *   it against the current reservoir (all current rows while ≤ 1,000, else a uniform 1,000-row sample);
 * - larger references: Wasserstein-1 / reference std from the two KLL sketches' weighted items (error ≤
 *   2·ε·(max−min)/std with ε the sketches' rank error, docs/monitoring.md) and Jensen–Shannon from category
 *   counts (exact while a column has ≤ 1,000 categories). Other selected methods run on the reservoirs.
 */
import type { ColumnProfile } from '../sketch/index.js';
import { type ColumnDriftResult, columnDrift, datasetDrift } from './column-drift.js';
import type { PlotBins } from './bins.js';
import { type DriftMethod, chooseMethod, isDrifted, SMALL_REFERENCE_MAX_ROWS } from './select.js';
import { jensenShannon, wassersteinWeighted, WASSERSTEIN_MIN_NORM } from './distances.js';

export interface FeatureDrift {
  name: string;
  kind: 'numerical' | 'categorical';
  method: DriftMethod;
  statistic: number | null;
  p_value: number | null;
  threshold: number;
  drifted: boolean | null;
  /** How the statistic was computed: 'exact', 'sample' (reservoirs) or 'sketch' (KLL / category counts). */
  basis: 'exact' | 'sample' | 'sketch';
  reference: PlotBins & { rows: number };
  current: PlotBins & { rows: number };
  note?: string;
}

export interface ProfileDriftOptions {
  methods?: Record<string, DriftMethod>;
  thresholds?: Record<string, number>;
  /** Share of drifted features at which the dataset counts as drifted (Evidently: 0.5). */
  driftShare?: number;
}

const PLOT_BINS = 20;

function values(col: ColumnProfile): (number | string)[] {
  return [...(col.reservoir?.values() ?? [])] as (number | string)[];
}

function numericPlot(ref: ColumnProfile, cur: ColumnProfile): { reference: PlotBins; current: PlotBins } {
  const lo = ref.kll!.min;
  const hi = ref.kll!.max;
  const edges = lo === hi ? [lo, lo + 1e-9 * Math.max(1, Math.abs(lo))] : Array.from({ length: PLOT_BINS + 1 }, (_, i) => lo + ((hi - lo) * i) / PLOT_BINS);
  // Split points: just below the first edge (so values under the reference's range are counted apart), then the edges.
  const below = lo - Math.max(Math.abs(lo) * 1e-12, 1e-300);
  const side = (c: ColumnProfile): PlotBins => {
    const n = c.kll?.n ?? 0;
    const zeros = edges.slice(1).map(() => 0);
    if (!c.kll || n === 0) return { edges, counts: zeros, shares: zeros, underflow: { count: 0, share: 0 }, overflow: { count: 0, share: 0 } };
    // pmf: (-inf, below], (below, e0], (e0, e1], ..., (e_last, inf).
    const pmf = c.kll.pmf([below, ...edges]);
    const inner = pmf.slice(2, -1);
    inner[0] = (inner[0] ?? 0) + pmf[1]!; // values equal to the first edge belong to the first bin
    const under = pmf[0]!;
    const over = pmf[pmf.length - 1]!;
    return { edges, counts: inner, shares: inner.map((x) => x / n), underflow: { count: under, share: under / n }, overflow: { count: over, share: over / n } };
  };
  return { reference: side(ref), current: side(cur) };
}

function categoryCounts(col: ColumnProfile): Map<string, number> {
  return new Map((col.frequent?.top(Number.MAX_SAFE_INTEGER) ?? []).map((r) => [r.value, r.estimate]));
}

function categoricalPlot(ref: Map<string, number>, cur: Map<string, number>): { reference: PlotBins; current: PlotBins; cats: string[] } {
  const cats = [...new Set([...ref.keys(), ...cur.keys()])].sort();
  const side = (m: Map<string, number>): PlotBins => {
    const n = [...m.values()].reduce((a, b) => a + b, 0) || 1;
    const counts = cats.map((c) => m.get(c) ?? 0);
    return { categories: cats, counts, shares: counts.map((c) => c / n) };
  };
  return { reference: side(ref), current: side(cur), cats };
}

function fromSketches(
  name: string,
  kind: 'numerical' | 'categorical',
  method: DriftMethod,
  threshold: number,
  ref: ColumnProfile,
  cur: ColumnProfile,
): FeatureDrift | null {
  const rows = { reference: ref.count - ref.nulls, current: cur.count - cur.nulls };
  if (method === 'wasserstein' && kind === 'numerical' && ref.kll && cur.kll && ref.moments) {
    const a = ref.kll.weightedItems();
    const b = cur.kll.weightedItems();
    const norm = Math.max(Math.sqrt(ref.moments.variancePopulation()), WASSERSTEIN_MIN_NORM);
    const statistic = wassersteinWeighted(a.values, b.values, a.weights, b.weights) / norm;
    const plot = numericPlot(ref, cur);
    return {
      name,
      kind,
      method,
      statistic,
      p_value: null,
      threshold,
      drifted: isDrifted(method, statistic, threshold),
      basis: 'sketch',
      reference: { ...plot.reference, rows: rows.reference },
      current: { ...plot.current, rows: rows.current },
    };
  }
  if (method === 'jensenshannon' && kind === 'categorical' && ref.frequent?.isExact && cur.frequent?.isExact) {
    const plot = categoricalPlot(categoryCounts(ref), categoryCounts(cur));
    const statistic = jensenShannon(plot.reference.shares, plot.current.shares);
    return {
      name,
      kind,
      method,
      statistic,
      p_value: null,
      threshold,
      drifted: isDrifted(method, statistic, threshold),
      basis: 'exact',
      reference: { ...plot.reference, rows: rows.reference },
      current: { ...plot.current, rows: rows.current },
    };
  }
  return null;
}

/** One column's drift; null when either side has no values. */
export function featureDrift(name: string, ref: ColumnProfile, cur: ColumnProfile, opts: ProfileDriftOptions = {}): FeatureDrift | null {
  if (ref.kind === 'unknown' || cur.count - cur.nulls === 0 || ref.count - ref.nulls === 0) return null;
  const kind = ref.kind;
  const refRows = ref.count - ref.nulls;
  if (kind === 'numerical' && ref.exact && cur.exact) return fromExact(name, ref, cur, opts);
  const refSample = values(ref);
  const unique = kind === 'categorical' ? (ref.frequent?.numTracked ?? 0) : new Set(refSample).size;
  const info = chooseMethod(kind, refRows, unique, opts.methods?.[name]);
  const method = info.name;
  const threshold = opts.thresholds?.[name] ?? info.defaultThreshold;
  if (refRows > SMALL_REFERENCE_MAX_ROWS) {
    const viaSketch = fromSketches(name, kind, method, threshold, ref, cur);
    if (viaSketch) return viaSketch;
  }
  const curSample = values(cur);
  // Evidently's default rule tests a numeric column with few values as categories (z, chi-squared).
  const asCategories = kind === 'numerical' && !info.kinds.includes('numerical');
  const side = (v: (number | string)[]) => (asCategories ? v.map(String) : v) as never;
  const r: ColumnDriftResult = columnDrift({
    kind: asCategories ? 'categorical' : kind,
    reference: side(refSample),
    current: side(curSample),
    method,
    threshold,
    binMode: 'reference',
  });
  const exact = refRows <= refSample.length && cur.count - cur.nulls <= curSample.length;
  return {
    name,
    kind,
    method,
    statistic: r.statistic,
    p_value: r.p_value,
    threshold,
    drifted: r.drifted,
    basis: exact ? 'exact' : 'sample',
    reference: { ...plotOf(r.reference), rows: refRows },
    current: { ...plotOf(r.current), rows: cur.count - cur.nulls },
    ...(exact ? {} : { note: `computed on uniform samples (${refSample.length} reference, ${curSample.length} current rows)` }),
  };
}

/** Both sides' numbers held whole: the same computation as on the raw columns, on all of them. */
function fromExact(name: string, ref: ColumnProfile, cur: ColumnProfile, opts: ProfileDriftOptions): FeatureDrift {
  const refRows = ref.count - ref.nulls;
  const curRows = cur.count - cur.nulls;
  // The reference's distinct values pick the default method, as on the sample path.
  const info = chooseMethod('numerical', refRows, ref.exact!.distinct, opts.methods?.[name]);
  const threshold = opts.thresholds?.[name] ?? info.defaultThreshold;
  const refValues = ref.exact!.sorted();
  const curValues = cur.exact!.sorted();
  const asCategories = !info.kinds.includes('numerical');
  const r: ColumnDriftResult = columnDrift({
    kind: asCategories ? 'categorical' : 'numerical',
    reference: asCategories ? Array.from(refValues, String) : refValues,
    current: asCategories ? Array.from(curValues, String) : curValues,
    method: info.name,
    threshold,
    binMode: 'reference',
  });
  return {
    name,
    kind: 'numerical',
    method: info.name,
    statistic: r.statistic,
    p_value: r.p_value,
    threshold,
    drifted: r.drifted,
    basis: 'exact',
    reference: { ...plotOf(r.reference), rows: refRows },
    current: { ...plotOf(r.current), rows: curRows },
  };
}

/** A sample side's plot without the sample's count of dropped missing values: a profile counts its nulls itself. */
function plotOf(side: PlotBins & { dropped: number }): PlotBins {
  const { dropped: _dropped, ...plot } = side;
  return plot;
}

export function profileDriftSummary(features: FeatureDrift[], share = 0.5) {
  const judged = features.filter((f) => f.drifted !== null);
  const d = datasetDrift(
    judged.map((f) => ({ drifted: f.drifted === true })),
    share,
  );
  return {
    dataset_drift: judged.length > 0 && d.dataset_drift,
    drift_share: share,
    number_drifted: d.number_drifted,
    number_of_features: judged.length,
    share_drifted: d.share_drifted,
  };
}
