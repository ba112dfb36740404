// parseSuite: untrusted JSON → a checked Suite. Everything is bounded (expectations, value sets, regex
// and name lengths, meta size) because suites arrive over HTTP and run against whole files. Unknown
// kwargs are refused (a typo like `min` for `min_value` would otherwise silently check nothing), except
// GE's generic ones that only steer GE's own output, which are accepted and dropped. GE 0.x spellings
// (`expectation_suite_name`, `expectation_type`) are accepted so exported GE suites load as they are.
import {
  MAX_NAME_LENGTH,
  boundValue,
  fail,
  readBool,
  readBound,
  readColumn,
  readMeta,
  readMostly,
  readObject,
  readQuantileRanges,
  readRegex,
  readTypeName,
  readValueSet,
  type BoundKind,
} from './parse-kwargs.js';
import { EXPECTATION_TYPES, type Expectation, type ExpectationType, type Suite } from './types.js';

export const MAX_EXPECTATIONS = 1000;

const IGNORED_KWARGS = new Set(['result_format', 'catch_exceptions', 'include_config']);
const IGNORED_SUITE_KEYS = new Set(['data_asset_type', 'ge_cloud_id', 'id', 'notes']);

/** The kwargs each type takes; a range's bound kind says what min_value/max_value may be. */
interface Spec {
  kwargs: string[];
  range?: BoundKind;
  /** GE kwargs accepted and dropped for this type only. */
  ignored?: string[];
}
const RANGE = ['min_value', 'max_value', 'strict_min', 'strict_max'];
const SPECS: Record<ExpectationType, Spec> = {
  expect_column_to_exist: { kwargs: ['column'] },
  expect_column_values_to_be_of_type: { kwargs: ['column', 'type_'] },
  expect_column_values_to_not_be_null: { kwargs: ['column', 'mostly'] },
  expect_column_values_to_be_between: { kwargs: ['column', ...RANGE, 'mostly'], range: 'number_or_date' },
  expect_column_values_to_be_in_set: { kwargs: ['column', 'value_set', 'mostly'] },
  expect_column_values_to_match_regex: { kwargs: ['column', 'regex', 'mostly'] },
  expect_column_values_to_be_unique: { kwargs: ['column', 'mostly'] },
  expect_table_row_count_to_be_between: { kwargs: ['min_value', 'max_value'], range: 'count' },
  expect_column_mean_to_be_between: { kwargs: ['column', ...RANGE], range: 'number' },
  expect_column_stdev_to_be_between: { kwargs: ['column', ...RANGE], range: 'number' },
  expect_column_quantile_values_to_be_between: { kwargs: ['column', 'quantile_ranges'], ignored: ['allow_relative_error'] },
  expect_column_unique_value_count_to_be_between: { kwargs: ['column', 'min_value', 'max_value'], range: 'count' },
  expect_column_distinct_values_to_be_in_set: { kwargs: ['column', 'value_set'], ignored: ['parse_strings_as_datetimes'] },
};
const REQUIRED = ['column', 'type_', 'value_set', 'regex', 'quantile_ranges'];

function readKwarg(name: string, v: unknown, field: string, spec: Spec): unknown {
  switch (name) {
    case 'column':
      return readColumn(v, field);
    case 'mostly':
      return readMostly(v, field);
    case 'strict_min':
    case 'strict_max':
      return readBool(v, field);
    case 'min_value':
    case 'max_value':
      return readBound(v, field, spec.range!);
    case 'value_set':
      return readValueSet(v, field);
    case 'regex':
      return readRegex(v, field);
    case 'type_':
      return readTypeName(v, field);
    case 'quantile_ranges':
      return readQuantileRanges(v, field);
    default:
      throw new Error(`no reader for kwarg ${name}`);
  }
}

function readKwargs(type: ExpectationType, raw: unknown, field: string): Record<string, unknown> {
  const given = readObject(raw, field);
  const spec = SPECS[type];
  const out: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(given)) {
    if (IGNORED_KWARGS.has(name) || spec.ignored?.includes(name)) continue;
    if (!spec.kwargs.includes(name)) fail(`${field}.${name}`, `${type} takes no kwarg '${name}' (it takes ${spec.kwargs.join(', ')})`);
    if (v === undefined) continue;
    out[name] = readKwarg(name, v, `${field}.${name}`, spec);
  }
  for (const name of spec.kwargs) {
    if (REQUIRED.includes(name) && out[name] === undefined) fail(`${field}.${name}`, 'missing (required)');
  }
  if (spec.range) checkRange(out, field);
  return out;
}

/** At least one bound (GE refuses both None); min <= max, and a non-empty range when strict. */
function checkRange(k: Record<string, unknown>, field: string): void {
  const lo = (k['min_value'] ?? null) as number | string | null;
  const hi = (k['max_value'] ?? null) as number | string | null;
  if (lo === null && hi === null) fail(`${field}.min_value`, 'min_value and max_value cannot both be null');
  if (lo === null || hi === null) return;
  if (typeof lo !== typeof hi) fail(`${field}.max_value`, 'min_value and max_value must both be numbers or both be dates');
  const [a, b] = [boundValue(lo), boundValue(hi)];
  if (a > b) fail(`${field}.min_value`, `min_value ${JSON.stringify(lo)} is greater than max_value ${JSON.stringify(hi)}`);
  if (a === b && (k['strict_min'] === true || k['strict_max'] === true)) {
    fail(`${field}.min_value`, 'min_value equals max_value with a strict bound: no value can pass');
  }
}

function readExpectation(raw: unknown, field: string): Expectation {
  const o = readObject(raw, field);
  const t = o['type'] ?? o['expectation_type'];
  if (typeof t !== 'string' || !(EXPECTATION_TYPES as readonly string[]).includes(t)) {
    fail(`${field}.type`, `unknown expectation type ${JSON.stringify(typeof t === 'string' ? t.slice(0, 100) : t)} (known: ${EXPECTATION_TYPES.join(', ')})`);
  }
  for (const key of Object.keys(o)) {
    if (!['type', 'expectation_type', 'kwargs', 'meta'].includes(key)) fail(`${field}.${key}`, 'unknown field (an expectation has type, kwargs and meta)');
  }
  const type = t as ExpectationType;
  const kwargs = readKwargs(type, o['kwargs'] ?? {}, `${field}.kwargs`);
  const e = { type, kwargs } as Expectation;
  if (o['meta'] !== undefined && o['meta'] !== null) e.meta = readMeta(o['meta'], `${field}.meta`);
  return e;
}

/** Checks a suite given as JSON; throws InvalidParameterError naming the first bad field. */
export function parseSuite(json: unknown): Suite {
  const o = readObject(json, 'suite');
  const name = o['name'] ?? o['expectation_suite_name'];
  const nameField = o['name'] === undefined && o['expectation_suite_name'] !== undefined ? 'expectation_suite_name' : 'name';
  if (typeof name !== 'string' || name.trim() === '') fail(nameField, 'expected a non-empty suite name');
  if (name.length > MAX_NAME_LENGTH) fail(nameField, `longer than ${MAX_NAME_LENGTH} characters`);
  for (const key of Object.keys(o)) {
    if (!['name', 'expectation_suite_name', 'expectations', 'meta'].includes(key) && !IGNORED_SUITE_KEYS.has(key)) {
      fail(key, 'unknown field (a suite has name, expectations and meta)');
    }
  }
  const list = o['expectations'];
  if (!Array.isArray(list)) fail('expectations', 'expected a list of expectations');
  if (list.length > MAX_EXPECTATIONS) fail('expectations', `more than ${MAX_EXPECTATIONS} expectations`);
  const suite: Suite = { name, expectations: list.map((e: unknown, i) => readExpectation(e, `expectations[${i}]`)) };
  if (o['meta'] !== undefined && o['meta'] !== null) suite.meta = readMeta(o['meta'], 'meta', 100_000);
  return suite;
}
