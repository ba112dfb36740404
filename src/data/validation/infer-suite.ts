// inferSuite: a starting suite proposed from a profile, in the spirit of GE's profiler / `suite infer`.
// Every bound is chosen so the data it was inferred from passes (tested), with room for the next version
// of the data to vary a little; users are expected to read and tighten it. See docs/data-validation.md.
import type { ColumnProfile, DatasetProfile } from '../../stats/index.js';
import { isNumeric } from './column-values.js';
import { MAX_VALUE_SET } from './parse-kwargs.js';
import { MAX_EXPECTATIONS } from './parse-suite.js';
import { formatDate } from './dates.js';
import { valueCounts } from './profile-counts.js';
import { compareScalars } from './aggregate-evaluators.js';
import type { ColumnSchema, Expectation, Suite, TableSchema } from './types.js';

export interface InferOptions {
  /** String columns with at most this many distinct values (counted exactly) get an in_set; default 20. */
  maxCategories?: number;
  /** Min/max are widened by this share of (max - min) on each side; default 0.1. */
  rangeMargin?: number;
  /** The mean may move this many standard errors (std / sqrt(n)) either way; default 4. */
  meanStdErrors?: number;
}

const DAY_MS = 86_400_000;

/** not_null's mostly: the observed non-null share in whole percent, one point lower; none when no nulls. */
function notNull(col: ColumnSchema, cp: ColumnProfile): Expectation | null {
  const nonnull = cp.count - cp.nulls;
  if (cp.count === 0) return null;
  if (nonnull === cp.count) return { type: 'expect_column_values_to_not_be_null', kwargs: { column: col.name } };
  const pct = Math.floor((100 * nonnull) / cp.count) - 1;
  return pct >= 1 ? { type: 'expect_column_values_to_not_be_null', kwargs: { column: col.name, mostly: pct / 100 } } : null;
}

/** [min, max] widened by margin·(max − min) each side (a constant column: 10% of its value, or 1; a day for datetimes). */
function between(col: ColumnSchema, cp: ColumnProfile, margin: number): Expectation | null {
  const m = cp.moments;
  if (m === null || m.count === 0) return null;
  const span = m.max - m.min;
  const pad = span > 0 ? margin * span : col.type === 'datetime' ? DAY_MS : Math.max(Math.abs(m.min) * margin, 1);
  let lo = m.min - pad;
  let hi = m.max + pad;
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) [lo, hi] = [m.min, m.max];
  // Counts, ages, amounts: a non-negative column keeps a non-negative lower bound.
  if (isNumeric(col.type) && m.min >= 0) lo = Math.max(lo, 0);
  if (col.type !== 'float') [lo, hi] = [Math.floor(lo), Math.ceil(hi)];
  const kwargs =
    col.type === 'datetime' ? { column: col.name, min_value: formatDate(lo), max_value: formatDate(hi) } : { column: col.name, min_value: lo, max_value: hi };
  return { type: 'expect_column_values_to_be_between', kwargs };
}

/** mean ± k standard errors, never narrower than a relative 1e-9 (so merge-order rounding cannot fail it). */
function mean(col: ColumnSchema, cp: ColumnProfile, k: number): Expectation | null {
  const m = cp.moments;
  if (m === null || m.count < 2) return null;
  const mu = m.mean;
  const std = m.stdSample();
  const half = Math.max(Number.isFinite(std) ? (k * std) / Math.sqrt(m.count) : 0, Math.abs(mu) * 1e-9, 1e-12);
  if (!Number.isFinite(mu - half) || !Number.isFinite(mu + half)) return null;
  return { type: 'expect_column_mean_to_be_between', kwargs: { column: col.name, min_value: mu - half, max_value: mu + half } };
}

/** What exact value counts say about a string or integer column: a category list, or a key. */
function fromCounts(col: ColumnSchema, cp: ColumnProfile, o: Required<InferOptions>): Expectation | null {
  if (col.type !== 'string' && col.type !== 'integer') return null;
  // Exact counts only: a category list or a key inferred from a sketch could be wrong.
  const vc = valueCounts(cp, col.type);
  const nonnull = cp.count - cp.nulls;
  if (!vc.exact || nonnull === 0) return null;
  const distinct = vc.counts.size;
  if (col.type === 'string' && distinct <= o.maxCategories && distinct * 2 <= nonnull) {
    const value_set = [...vc.counts.keys()].sort(compareScalars).map(String);
    return { type: 'expect_column_values_to_be_in_set', kwargs: { column: col.name, value_set } };
  }
  // Every row has its own value: a key.
  if (distinct === cp.count && cp.count >= 2) return { type: 'expect_column_values_to_be_unique', kwargs: { column: col.name } };
  return null;
}

function inferColumn(col: ColumnSchema, cp: ColumnProfile | undefined, o: Required<InferOptions>): Expectation[] {
  const out: Expectation[] = [
    { type: 'expect_column_to_exist', kwargs: { column: col.name } },
    { type: 'expect_column_values_to_be_of_type', kwargs: { column: col.name, type_: col.type } },
  ];
  if (cp === undefined) return out;
  const push = (e: Expectation | null): void => {
    if (e !== null) out.push(e);
  };
  push(notNull(col, cp));
  const counted = fromCounts(col, cp, o);
  // A key's range and mean grow with the table (ids 1..n): bounds on them would fail the next version.
  const isKey = counted?.type === 'expect_column_values_to_be_unique';
  if (!isKey && col.type !== 'string' && col.type !== 'boolean') push(between(col, cp, o.rangeMargin));
  if (!isKey && isNumeric(col.type)) push(mean(col, cp, o.meanStdErrors));
  push(counted);
  return out;
}

/** Proposes a suite from a profile (and the schema of the same table). */
export function inferSuite(name: string, schema: TableSchema, profile: DatasetProfile, opts: InferOptions = {}): Suite {
  const o: Required<InferOptions> = { maxCategories: 20, rangeMargin: 0.1, meanStdErrors: 4, ...opts };
  o.maxCategories = Math.min(o.maxCategories, MAX_VALUE_SET);
  const rows = profile.rows;
  const expectations: Expectation[] = [
    // Half to twice the rows: the next version of a dataset is rarely a different order of magnitude.
    { type: 'expect_table_row_count_to_be_between', kwargs: { min_value: Math.floor(rows / 2), max_value: rows * 2 } },
  ];
  const inferred: Record<string, unknown> = { rows, columns: schema.columns.length };
  for (const col of schema.columns) {
    const more = inferColumn(col, profile.columns.get(col.name), o);
    // A suite must stay parseable: a very wide table gets expectations for its first columns only.
    if (expectations.length + more.length > MAX_EXPECTATIONS) {
      inferred['truncated_before_column'] = col.name;
      break;
    }
    expectations.push(...more);
  }
  return { name, expectations, meta: { inferred_from: inferred } };
}
