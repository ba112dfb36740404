/**
 * Validation suites in Great Expectations' vocabulary (docs/data-validation.md): parse a suite, validate a
 * table in one streaming pass or a profile alone, and infer a starting suite from a profile. Pure logic.
 */
export { parseSuite, MAX_EXPECTATIONS } from './parse-suite.js';
export { MAX_VALUE_SET, MAX_QUANTILES } from './parse-kwargs.js';
export { MAX_REGEX_LENGTH, MAX_REGEX_INPUT } from './regex-safety.js';
export { validateTable, DEFAULT_MAX_DISTINCT, type ValidateOptions } from './validate-table.js';
export { validateProfile } from './validate-profile.js';
export { inferSuite, type InferOptions } from './infer-suite.js';
export { mostlySucceeds } from './mostly.js';
export { typesNamed } from './type-names.js';
export {
  EXPECTATION_TYPES,
  type ExpectationType,
  type Expectation,
  type ExpectationOf,
  type Suite,
  type Bound,
  type SetItem,
  type QuantileRanges,
  type ColumnType,
  type ColumnSchema,
  type TableSchema,
  type TableBatch,
  type ColumnValues,
  type ValidationResult,
  type ValidationStatistics,
  type ExpectationResult,
  type ExpectationResultBody,
  type ExceptionInfo,
  type ReportedValue,
} from './types.js';
