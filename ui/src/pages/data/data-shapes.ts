/**
 * Data answers shaped for display (pure): a profiled column's histogram (numeric bins, or its top
 * categories with the rest as one bar), failed expectations with their unexpected values by row, a diff's
 * schema changes as rows, and a diff's per-column drift in the shape the drift histogram reads.
 */
import type {
  ColumnProfileReport,
  ExpectationResult,
  FeatureDriftInfo,
  FeatureDriftRow,
  PlotBins,
  ValidationResult,
  VersionDiff,
} from '../../../../src/sdk/index.js';
import { binLabels } from '../monitoring/drift-histogram.js';

export interface ColumnBars {
  bins: string[];
  counts: number[];
}

/** Bars of a profiled column: its histogram for numbers, its top categories (and `other`) for the rest. */
export function columnBars(col: ColumnProfileReport): ColumnBars | null {
  if (col.histogram && col.histogram.edges.length > 1) return { bins: binLabels(col.histogram.edges), counts: [...col.histogram.counts] };
  const top = col.summary.top;
  if (top.length === 0) return null;
  const listed = top.reduce((n, t) => n + t.count, 0);
  const other = col.summary.count - col.summary.nulls - listed;
  return { bins: [...top.map((t) => t.value), ...(other > 0 ? ['other'] : [])], counts: [...top.map((t) => t.count), ...(other > 0 ? [other] : [])] };
}

export interface UnexpectedSample {
  /** 0-based row of the table. */
  row: number | null;
  /** Line of the file (CSV, JSON Lines), when the result names it. */
  line: number | null;
  value: string | number | boolean | null;
}

export interface FailedExpectation {
  type: string;
  column: string | null;
  /** The expectation's other arguments, as `key=value` text. */
  args: string;
  unexpectedCount: number | null;
  unexpectedPercent: number | null;
  elementCount: number | null;
  observed: string | null;
  samples: UnexpectedSample[];
  exception: string | null;
}

function text(v: unknown): string {
  return typeof v === 'string' ? v : (JSON.stringify(v) ?? String(v));
}

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

export function failedExpectations(result: Pick<ValidationResult, 'results'>): FailedExpectation[] {
  return result.results.filter((r) => r.success === false).map(failure);
}

function failure(r: ExpectationResult): FailedExpectation {
  const { column, ...rest } = r.expectation_config.kwargs;
  const res = r.result;
  const values = res.partial_unexpected_list ?? [];
  const rows = res.partial_unexpected_index_list ?? [];
  const lines = Array.isArray(res['partial_unexpected_line_list']) ? (res['partial_unexpected_line_list'] as unknown[]) : [];
  return {
    type: r.expectation_config.type,
    column: typeof column === 'string' ? column : null,
    args: Object.entries(rest)
      .map(([k, v]) => `${k}=${text(v)}`)
      .join(', '),
    unexpectedCount: num(res.unexpected_count),
    unexpectedPercent: num(res.unexpected_percent),
    elementCount: num(res.element_count),
    observed: res.observed_value === undefined || res.observed_value === null ? null : text(res.observed_value),
    samples: values.map((value, i) => ({ row: num(rows[i]), line: num(lines[i]), value })),
    exception: r.exception_info?.raised_exception ? (r.exception_info.exception_message ?? 'raised an exception') : null,
  };
}

export interface SchemaChange {
  column: string;
  change: 'added' | 'removed' | 'retyped' | 'nullability';
  detail: string;
}

export function schemaChanges(diff: Pick<VersionDiff, 'schema'>): SchemaChange[] {
  const s = diff.schema;
  return [
    ...s.added.map((c): SchemaChange => ({ column: c.name, change: 'added', detail: `${c.type}${c.nullable ? ', nullable' : ''}` })),
    ...s.removed.map((c): SchemaChange => ({ column: c.name, change: 'removed', detail: `was ${c.type}` })),
    ...s.retyped.map((c): SchemaChange => ({ column: c.name, change: 'retyped', detail: `${c.from} → ${c.to}` })),
    ...s.nullability.map((c): SchemaChange => ({ column: c.name, change: 'nullability', detail: c.to ? 'now nullable' : 'no longer nullable' })),
  ];
}

function bins(v: unknown): PlotBins | undefined {
  return v !== null && typeof v === 'object' && Array.isArray((v as PlotBins).counts) ? (v as PlotBins) : undefined;
}

/** A diff's drift entry as the drift views read it (the older version is the reference). */
export function diffFeature(d: FeatureDriftInfo): FeatureDriftRow {
  const basis = d.basis === 'exact' || d.basis === 'sample' || d.basis === 'sketch' ? d.basis : undefined;
  const reference = bins(d['reference']);
  const current = bins(d['current']);
  return {
    name: d.name,
    kind: d.kind,
    method: d.method,
    statistic: d.statistic,
    p_value: d.p_value,
    threshold: d.threshold,
    drifted: d.drifted,
    ...(basis ? { basis } : {}),
    ...(reference ? { reference } : {}),
    ...(current ? { current } : {}),
    ...(d.note ? { note: d.note } : {}),
  };
}

/** Version refs for the diff picker: the previous version and this one (or the two latest). */
export function defaultDiffPair(versions: readonly number[], at?: number): { from: number; to: number } | null {
  const sorted = [...new Set(versions)].sort((a, b) => a - b);
  if (sorted.length < 2) return null;
  const i = at !== undefined && sorted.includes(at) ? sorted.indexOf(at) : sorted.length - 1;
  return i === 0 ? { from: sorted[0]!, to: sorted[1]! } : { from: sorted[i - 1]!, to: sorted[i]! };
}
