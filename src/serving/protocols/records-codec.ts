/**
 * JSON records (MLflow scoring-server formats) → input tensors, validated against the signature. Every
 * refusal names the feature and the row. Formats: {"instances": [{..}] | [[..]]}, {"dataframe_split":
 * {"columns", "data"}}, {"dataframe_records": [{..}]}, {"inputs": {col: [..]} | [{..}] | [[..]]}, and for a model
 * with one 2-D input, MLflow's named tensor {"inputs": {"<input name>": [[..], ..]}}.
 */
import { InvalidParameterError } from '../../errors.js';
import type { ModelSignature, TensorSpec } from '../runtime/signature.js';
import type { TensorValue } from '../runtime/tensor.js';

export type Row = Record<string, unknown>;

export const MAX_ROWS_DEFAULT = 10_000;

/**
 * MLflow's named-tensor form for a model with one 2-D input: {"inputs": {"<input name>": [[..], ..]}} (what
 * MLflow's scoring server takes for a tensor-based model, e.g. an [N, 64] input "X"). Null when the body is
 * not that form (then "inputs" is read as columns).
 */
function namedTensorRows(inputs: Record<string, unknown>, sig: ModelSignature): Row[] | null {
  if (sig.layout !== 'single-tensor') return null;
  const name = sig.inputs[0]!.name;
  const keys = Object.keys(inputs);
  if (keys.length !== 1 || keys[0] !== name || sig.features.includes(name)) return null;
  const tensor = inputs[name];
  if (!Array.isArray(tensor))
    throw new InvalidParameterError(`inputs.${name}`, `"inputs.${name}" must be a list of rows (the model's input '${name}' is [N, ${sig.features.length}]).`);
  return tensor.map((r, i) => {
    if (!Array.isArray(r) || r.length !== sig.features.length) {
      throw new InvalidParameterError(
        `inputs.${name}[${i}]`,
        `Row ${i} of '${name}' must be a list of ${sig.features.length} values (the model's input is [N, ${sig.features.length}]).`,
      );
    }
    return Object.fromEntries(sig.features.map((f, j) => [f, r[j]]));
  });
}

function asRows(body: Record<string, unknown>, sig: ModelSignature): Row[] {
  const features = sig.features;
  const keys = ['instances', 'dataframe_split', 'dataframe_records', 'inputs'].filter((k) => k in body);
  if (keys.length !== 1) {
    throw new InvalidParameterError(
      'body',
      `Send exactly one of "instances", "dataframe_split", "dataframe_records" or "inputs"${keys.length ? ` (got ${keys.join(', ')})` : ''}.`,
    );
  }
  const key = keys[0]!;
  const v = body[key];
  if (key === 'dataframe_split') {
    const split = v as { columns?: unknown; data?: unknown };
    if (!split || typeof split !== 'object' || !Array.isArray(split.columns) || !Array.isArray(split.data)) {
      throw new InvalidParameterError('dataframe_split', '"dataframe_split" needs "columns" (a list of names) and "data" (a list of rows).');
    }
    const cols = split.columns.map(String);
    return split.data.map((r, i) => {
      if (!Array.isArray(r) || r.length !== cols.length)
        throw new InvalidParameterError(`dataframe_split.data[${i}]`, `Row ${i} must be a list of ${cols.length} values.`);
      return Object.fromEntries(cols.map((c, j) => [c, r[j]]));
    });
  }
  if (key === 'inputs' && v && typeof v === 'object' && !Array.isArray(v)) {
    const named = namedTensorRows(v as Record<string, unknown>, sig);
    if (named) return named;
    // Column-oriented: {"age": [..], "income": [..]}.
    const cols = Object.entries(v as Record<string, unknown>);
    const n = cols.length ? (Array.isArray(cols[0]![1]) ? (cols[0]![1] as unknown[]).length : -1) : 0;
    for (const [c, values] of cols) {
      if (!Array.isArray(values) || values.length !== n)
        throw new InvalidParameterError(`inputs.${c}`, `"inputs" columns must be lists of equal length; '${c}' is not.`);
    }
    return Array.from({ length: n }, (_, i) => Object.fromEntries(cols.map(([c, values]) => [c, (values as unknown[])[i]])));
  }
  if (!Array.isArray(v)) throw new InvalidParameterError(key, `"${key}" must be a list of rows.`);
  return v.map((r, i) => {
    if (Array.isArray(r)) {
      if (r.length !== features.length)
        throw new InvalidParameterError(`${key}[${i}]`, `Row ${i} has ${r.length} values; the model takes ${features.length} (${features.join(', ')}).`);
      return Object.fromEntries(features.map((f, j) => [f, r[j]]));
    }
    if (r === null || typeof r !== 'object') throw new InvalidParameterError(`${key}[${i}]`, `Row ${i} must be an object of feature values or a list.`);
    return r as Row;
  });
}

function numberOf(v: unknown, feature: string, row: number, spec: TensorSpec): number {
  if (v === null || v === undefined) {
    if (spec.type === 'float32' || spec.type === 'float64') return Number.NaN; // missing → NaN, what imputers expect
    throw new InvalidParameterError(feature, `Row ${row}: feature '${feature}' is missing a value and the model's ${spec.type} input cannot represent one.`);
  }
  if (typeof v === 'boolean' && spec.type === 'bool') return v ? 1 : 0;
  if (typeof v !== 'number') throw new InvalidParameterError(feature, `Row ${row}: feature '${feature}' must be a number, got ${JSON.stringify(v)}.`);
  if (!Number.isFinite(v)) throw new InvalidParameterError(feature, `Row ${row}: feature '${feature}' must be finite.`);
  if ((spec.type === 'int32' || spec.type === 'int64' || spec.type === 'bool') && !Number.isInteger(v)) {
    throw new InvalidParameterError(feature, `Row ${row}: feature '${feature}' must be an integer, got ${v}.`);
  }
  // A value the input's typed array cannot hold would be wrapped (2^70 → 0) or overflow to Infinity: refused instead.
  const range = RANGES[spec.type];
  if (range && (v < range[0] || v > range[1])) {
    throw new InvalidParameterError(feature, `Row ${row}: feature '${feature}' is ${v}, outside the model's ${spec.type} input range (${range[2]}).`);
  }
  return v;
}

const FLOAT32_MAX = 3.4028234663852886e38;
/** What each typed input holds; int64 is limited to what a JSON number carries exactly (2^53 - 1), as in v2. */
const RANGES: Partial<Record<TensorSpec['type'], [number, number, string]>> = {
  float32: [-FLOAT32_MAX, FLOAT32_MAX, `±${FLOAT32_MAX}`],
  int32: [-(2 ** 31), 2 ** 31 - 1, '-2^31 to 2^31-1'],
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, '±(2^53-1), what a JSON number carries exactly'],
  bool: [0, 1, '0 or 1, or true/false'],
};

/** One column straight from the rows into its typed array (one pass, no intermediate arrays). */
function column(spec: TensorSpec, rows: Row[], key: string, feature: string): TensorValue {
  const n = rows.length;
  const dims = spec.shape.length === 1 ? [n] : [n, 1];
  if (spec.type === 'string') {
    const data = new Array<string>(n);
    for (let row = 0; row < n; row++) {
      const v = rows[row]![key];
      if (typeof v === 'string') data[row] = v;
      else if (v === null || v === undefined) data[row] = '';
      else if (typeof v === 'number' || typeof v === 'boolean') data[row] = String(v);
      else throw new InvalidParameterError(feature, `Row ${row}: feature '${feature}' must be a string, got ${JSON.stringify(v)}.`);
    }
    return { type: 'string', dims, data };
  }
  const out = allocate(spec, n);
  for (let row = 0; row < n; row++) out.set(row, numberOf(rows[row]![key], feature, row, spec));
  return { type: spec.type, dims, data: out.data } as TensorValue;
}

/** A typed array for the input's element type, and a setter (int64 needs BigInt). */
function allocate(spec: TensorSpec, n: number): { data: Exclude<TensorValue['data'], string[]>; set(i: number, v: number): void } {
  switch (spec.type) {
    case 'float32':
    case 'float64':
    case 'int32':
    case 'bool': {
      const data =
        spec.type === 'float32'
          ? new Float32Array(n)
          : spec.type === 'float64'
            ? new Float64Array(n)
            : spec.type === 'int32'
              ? new Int32Array(n)
              : new Uint8Array(n);
      return { data, set: (i, v) => (data[i] = v) };
    }
    case 'int64': {
      const data = new BigInt64Array(n);
      return { data, set: (i, v) => (data[i] = BigInt(v)) };
    }
    default:
      throw new InvalidParameterError(spec.name, `Input type ${spec.type} is not supported for records input.`);
  }
}

/** Parses a records body into feeds for the model; checks missing/extra features and row count. */
export function recordsToFeeds(body: unknown, sig: ModelSignature, maxRows = MAX_ROWS_DEFAULT): { feeds: Record<string, TensorValue>; rows: number } {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new InvalidParameterError('body', 'The request body must be a JSON object.');
  const rows = asRows(body as Record<string, unknown>, sig);
  if (rows.length === 0) throw new InvalidParameterError('instances', 'The request has no rows.');
  if (rows.length > maxRows)
    throw new InvalidParameterError('instances', `The request has ${rows.length} rows; the limit is ${maxRows}. Split it into smaller requests.`);
  const known = new Set(sig.features);
  rows.forEach((r, i) => {
    for (const f of sig.features)
      if (!Object.hasOwn(r, f)) throw new InvalidParameterError(f, `Row ${i}: feature '${f}' is missing (the model takes ${sig.features.join(', ')}).`);
    // Every feature is present, so a row with no more keys than features has no extra one.
    let keys = 0;
    for (const k in r) if (Object.hasOwn(r, k)) keys++;
    if (keys === sig.features.length) return;
    for (const k of Object.keys(r))
      if (!known.has(k)) throw new InvalidParameterError(k, `Row ${i}: '${k}' is not a feature of this model (it takes ${sig.features.join(', ')}).`);
  });
  if (sig.layout === 'per-column') {
    const feeds: Record<string, TensorValue> = {};
    for (const spec of sig.inputs) feeds[spec.name] = column(spec, rows, spec.name, spec.name);
    return { feeds, rows: rows.length };
  }
  const spec = sig.inputs[0]!;
  const width = sig.features.length;
  const out = allocate(spec, rows.length * width);
  rows.forEach((r, i) => {
    for (let j = 0; j < width; j++) out.set(i * width + j, numberOf(r[sig.features[j]!], sig.features[j]!, i, spec));
  });
  return { feeds: { [spec.name]: { type: spec.type, dims: [rows.length, width], data: out.data } as TensorValue }, rows: rows.length };
}
