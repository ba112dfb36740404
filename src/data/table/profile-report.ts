// What `ferry data show` and the API print per column: its type, the profile's summary, and a histogram
// (equal-width bins between min and max; unit bins for a narrow integer range). Histogram and quantiles are exact
// when the column's numbers fit the profile's exact budget (counted from the profile's values) or when the push
// read the file again for them (`exact`, stored beside the profile); else they come from the KLL sketch.
import { ColumnProfile, type DatasetProfile, type ExactValues, type KllSketch } from '../../stats/index.js';
import type { ExactStats } from './exact-stats.js';
import { binOf, histogramEdges, REPORT_BINS } from './histogram-edges.js';
import type { ColumnReport, ColumnType, TableSchema } from './types.js';
import { isNumericType } from './work-schema.js';

export interface ReportOptions {
  /** Histogram bins for numeric columns (default 20). */
  bins?: number;
  /** Top values listed for categorical columns (default 10). */
  top?: number;
  /** Exact histograms and quantiles counted at push time (profileTable's `exact`), used when their bins match. */
  exact?: ExactStats | null;
}

/** numpy.histogram's counts over `edges` from every value: [e_i, e_(i+1)), the last bin closed. */
function exactCounts(exact: ExactValues, edges: number[]): number[] {
  const { values, counts } = exact.runsView();
  const out = new Array<number>(edges.length - 1).fill(0);
  for (let i = 0; i < values.length; i++) {
    const bin = binOf(edges, values[i]);
    if (bin >= 0) out[bin] += counts[i];
  }
  return out;
}

function histogram(kll: KllSketch, exact: ExactValues | null, type: ColumnType, bins: number): ColumnReport['histogram'] {
  const n = kll.n;
  if (n === 0) return null;
  const edges = histogramEdges(kll.min, kll.max, type, bins);
  if (edges.length === 2) return { edges, counts: [n] };
  if (exact) return { edges, counts: exactCounts(exact, edges) };
  // pmf's bins are (-inf, s0], (s0, s1], ..., (s_last, +inf): interior edges as split points give one per bin.
  return { edges, counts: kll.pmf(edges.slice(1, -1)).map((c) => Math.round(c)) };
}

/** Per column (in schema order): type, nullable, the profile's summary and a histogram (null for categorical). */
export function profileReport(profile: DatasetProfile, schema: TableSchema, o: ReportOptions = {}): { rows: number; columns: ColumnReport[] } {
  const bins = o.bins ?? REPORT_BINS;
  const top = o.top ?? 10;
  const columns = schema.columns.map((c): ColumnReport => {
    const col = profile.columns.get(c.name);
    let summary;
    if (col) {
      // summary() lists only surely frequent values once the category sketch is past its exact range.
      summary = col.summary(top);
    } else {
      // A schema column the profile never saw: all of its rows are null.
      const empty = new ColumnProfile();
      empty.addNulls(profile.rows);
      summary = empty.summary(top);
    }
    const kll = col?.kll ?? null;
    if (!kll || !isNumericType(c.type) || kll.n === 0) {
      return { name: c.name, type: c.type, nullable: c.nullable, summary, histogram: null, basis: summary.quantiles ? 'sketch' : null };
    }
    const stored = o.exact && Object.hasOwn(o.exact, c.name) ? o.exact[c.name] : undefined;
    if (!col!.exact && stored && stored.count === kll.n && stored.counts.length === histogramEdges(kll.min, kll.max, c.type, bins).length - 1) {
      const histogram = { edges: stored.edges, counts: stored.counts };
      return { name: c.name, type: c.type, nullable: c.nullable, summary: { ...summary, quantiles: stored.quantiles }, histogram, basis: 'exact' };
    }
    const basis = col!.exact ? 'exact' : 'sketch';
    return { name: c.name, type: c.type, nullable: c.nullable, summary, histogram: histogram(kll, col!.exact, c.type, bins), basis };
  });
  return { rows: profile.rows, columns };
}
