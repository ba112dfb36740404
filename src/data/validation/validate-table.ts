// validateTable: every expectation of a suite in one streaming pass over a table's batches. Each
// expectation becomes an evaluator that sees every batch; memory is bounded per expectation (counts,
// 20 unexpected values, sketches; fingerprints up to maxDistinct for unique and distinct counts).
import { DistinctInSet, MomentStat, Quantiles, RowCount, UniqueValueCount } from './aggregate-evaluators.js';
import { columnMapEvaluator, type Evaluator } from './map-evaluators.js';
import { DEFAULT_PARTIAL_COUNT, exceptionResult, summarize } from './result.js';
import { columnsByName, isResult, schemaCheck } from './schema-checks.js';
import type { ColumnSchema, Expectation, ExpectationResult, Suite, TableBatch, TableSchema, ValidationResult } from './types.js';

export interface ValidateOptions {
  /** Unexpected values listed per expectation (GE's partial_unexpected_count); default 20, at most 1000. */
  partialUnexpectedCount?: number;
  /** Distinct values fingerprinted per unique / unique-count expectation; default 4,000,000. */
  maxDistinct?: number;
  /** KLL k for quantile expectations; default 200 (rank error ~1.3% of n, 99% confidence). */
  kllK?: number;
}

export const DEFAULT_MAX_DISTINCT = 4_000_000;

interface Resolved {
  partialCount: number;
  maxDistinct: number;
  kllK: number;
}

function resolveOptions(o: ValidateOptions): Resolved {
  const partialCount = Math.min(Math.max(Math.floor(o.partialUnexpectedCount ?? DEFAULT_PARTIAL_COUNT), 0), 1000);
  return { partialCount, maxDistinct: Math.max(1, Math.floor(o.maxDistinct ?? DEFAULT_MAX_DISTINCT)), kllK: o.kllK ?? 200 };
}

function evaluatorFor(e: Expectation, col: ColumnSchema | null, o: Resolved): Evaluator {
  if (e.type === 'expect_table_row_count_to_be_between') return new RowCount(e);
  if (col === null) throw new Error(`${e.type} needs a column`);
  switch (e.type) {
    case 'expect_column_mean_to_be_between':
    case 'expect_column_stdev_to_be_between':
      return new MomentStat(e, col);
    case 'expect_column_quantile_values_to_be_between':
      return new Quantiles(e, col, o.kllK);
    case 'expect_column_unique_value_count_to_be_between':
      return new UniqueValueCount(e, col, o.maxDistinct);
    case 'expect_column_distinct_values_to_be_in_set':
      return new DistinctInSet(e, col);
    default: {
      const ev = columnMapEvaluator(e, col, o);
      if (ev === null) throw new Error(`no evaluator for ${e.type}`);
      return ev;
    }
  }
}

/** An evaluator, or the result already known (from the schema, or an error setting it up). */
function setup(e: Expectation, cols: Map<string, ColumnSchema>, o: Resolved): Evaluator | ExpectationResult {
  const checked = schemaCheck(e, cols);
  if (isResult(checked)) return checked;
  try {
    return evaluatorFor(e, checked, o);
  } catch (err) {
    return exceptionResult(e, (err as Error).message);
  }
}

/** Validates a table streamed as batches; reads the stream once (not at all if no expectation needs data). */
export async function validateTable(
  suite: Suite,
  schema: TableSchema,
  batches: AsyncIterable<TableBatch>,
  opts: ValidateOptions = {},
): Promise<ValidationResult> {
  const o = resolveOptions(opts);
  const cols = columnsByName(schema);
  const slots = suite.expectations.map((e) => setup(e, cols, o));
  const live = new Map<number, Evaluator>();
  slots.forEach((s, i) => {
    if (!('expectation_config' in s)) live.set(i, s);
  });
  let rows = 0;
  if (live.size > 0) {
    for await (const batch of batches) {
      for (const [i, ev] of live) {
        try {
          ev.consume(batch);
        } catch (err) {
          // One expectation failing on odd data must not stop the others (GE's catch_exceptions).
          slots[i] = exceptionResult(suite.expectations[i], (err as Error).message);
          live.delete(i);
        }
      }
      rows += batch.rows;
    }
  }
  const results = slots.map((s) => ('expectation_config' in s ? s : s.finish(rows)));
  return summarize(suite, 'table', results);
}
