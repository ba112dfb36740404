// What the schema alone decides, the same for a table and for a profile: whether the column exists, its
// type, and whether the expectation applies to a column of that type. A missing column or a type the
// expectation cannot apply to is a failed expectation with exception_info (GE's behaviour), never a crash.
import { isNumeric, isOrdered } from './column-values.js';
import { aggregateResult, configOf, exceptionResult } from './result.js';
import { typesNamed } from './type-names.js';
import type { ColumnSchema, ColumnType, Expectation, ExpectationResult, TableSchema } from './types.js';

const LISTED_COLUMNS = 20;

/** Column types each expectation applies to (absent: all). */
const APPLIES_TO: Partial<Record<Expectation['type'], { types: (t: ColumnType) => boolean; what: string }>> = {
  expect_column_values_to_be_between: { types: isOrdered, what: 'numeric or datetime' },
  expect_column_mean_to_be_between: { types: isNumeric, what: 'numeric (integer or float)' },
  expect_column_stdev_to_be_between: { types: isNumeric, what: 'numeric (integer or float)' },
  expect_column_quantile_values_to_be_between: { types: isNumeric, what: 'numeric (integer or float)' },
};

export function columnsByName(schema: TableSchema): Map<string, ColumnSchema> {
  return new Map(schema.columns.map((c) => [c.name, c]));
}

function columnOf(e: Expectation): string | null {
  return 'column' in e.kwargs ? e.kwargs.column : null;
}

/**
 * The result when the schema settles the expectation; otherwise its column (null for table-level
 * expectations), which the caller then evaluates on the data.
 */
export function schemaCheck(e: Expectation, cols: Map<string, ColumnSchema>): ExpectationResult | ColumnSchema | null {
  const name = columnOf(e);
  if (name === null) return null;
  const col = cols.get(name);
  if (e.type === 'expect_column_to_exist') return { expectation_config: configOf(e), success: col !== undefined, result: {} };
  if (col === undefined) {
    const names = [...cols.keys()];
    const listed = names.slice(0, LISTED_COLUMNS).join(', ') + (names.length > LISTED_COLUMNS ? `, … (${names.length} in all)` : '');
    return exceptionResult(e, `column '${name}' does not exist (the table has: ${listed || 'no columns'})`);
  }
  if (e.type === 'expect_column_values_to_be_of_type') {
    return aggregateResult(e, typesNamed(e.kwargs.type_)!.includes(col.type), col.type);
  }
  const rule = APPLIES_TO[e.type];
  if (rule && !rule.types(col.type)) {
    return exceptionResult(e, `${e.type} applies to ${rule.what} columns; column '${name}' is of type ${col.type}`);
  }
  return col;
}

export function isResult(x: ExpectationResult | ColumnSchema | null): x is ExpectationResult {
  return x !== null && 'expectation_config' in x;
}
