// What `ferry data show` and the API print per column: its type, the profile's summary, and a histogram
// (equal-width bins between min and max; unit bins for a narrow integer range) counted from every value while the
// column's numbers fit the profile's exact budget, else drawn from the KLL sketch.
import { ColumnProfile, type DatasetProfile, type ExactValues, type KllSketch } from '../../stats/index.js';
import type { ColumnReport, ColumnType, TableSchema } from './types.js';
import { isNumericType } from './work-schema.js';

export interface ReportOptions {
  /** Histogram bins for numeric columns (default 20). */
  bins?: number;
  /** Top values listed for categorical columns (default 10). */
  top?: number;
}

function histogram(kll: KllSketch, exact: ExactValues | null, type: ColumnType, bins: number): ColumnReport['histogram'] {
  const n = kll.n;
  if (n === 0) return null;
  const { min, max } = kll;
  let edges: number[];
  if (min === max) edges = [min, max];
  else if (type === 'integer' && max - min + 1 <= bins) {
    // One bin per integer value, centred on it: a 0..5 count column reads as six bars, not twenty slivers.
    edges = Array.from({ length: max - min + 2 }, (_, i) => min - 0.5 + i);
  } else {
    const width = (max - min) / bins;
    edges = Array.from({ length: bins + 1 }, (_, i) => (i === bins ? max : min + i * width));
  }
  if (edges.length === 2) return { edges, counts: [n] };
  // pmf's bins are (-inf, s0], (s0, s1], ..., (s_last, +inf): interior edges as split points give one per bin.
  const splits = edges.slice(1, -1);
  const counts = exact ? exact.pmf(splits) : kll.pmf(splits).map((c) => Math.round(c));
  return { edges, counts };
}

/** Per column (in schema order): type, nullable, the profile's summary and a histogram (null for categorical). */
export function profileReport(profile: DatasetProfile, schema: TableSchema, o: ReportOptions = {}): { rows: number; columns: ColumnReport[] } {
  const bins = o.bins ?? 20;
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
    return {
      name: c.name,
      type: c.type,
      nullable: c.nullable,
      summary,
      histogram: kll && isNumericType(c.type) ? histogram(kll, col!.exact, c.type, bins) : null,
    };
  });
  return { rows: profile.rows, columns };
}
