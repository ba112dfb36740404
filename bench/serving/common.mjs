// Shared by the serving benchmark's scripts: the committed credit GBDT fixture, request bodies for each
// protocol, and percentiles.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const MODEL_NAME = 'credit_gbdt';

/** The model file, its 20 recorded rows as records, the ONNX labels for them, and each input's type. */
export function fixture() {
  const dir = join(REPO, 'test', 'fixtures', 'models');
  const doc = JSON.parse(readFileSync(join(dir, `${MODEL_NAME}.expected.json`), 'utf8'));
  const types = Object.fromEntries(doc.signature.inputs.map((i) => [i.name, i.type === 'tensor(string)' ? 'string' : 'float32']));
  return {
    modelPath: join(dir, `${MODEL_NAME}.onnx`),
    records: doc.records,
    types,
    expected: { label: doc.onnx_outputs.label.map(Number) },
  };
}

/** Rows (records) → per-column data: Float32Array (null = NaN) or string[] (null = ""), keyed by input. */
export function rowsToColumns(rows, names) {
  const { types } = fixture.cached ?? (fixture.cached = fixture());
  const cols = {};
  for (const name of names) {
    if (types[name] === 'string') cols[name] = { type: 'string', data: rows.map((r) => r[name] ?? '') };
    else cols[name] = { type: 'float32', data: Float32Array.from(rows, (r) => r[name] ?? Number.NaN) };
  }
  return cols;
}

/** Ferry's records endpoint: {"instances": [{..}, ..]} exactly as recorded (nulls for missing values). */
export function recordsBody(rows) {
  return JSON.stringify({ instances: rows });
}

/** Open Inference Protocol: one [N,1] tensor per column; FP32 with null for a missing number, BYTES with "". */
export function v2Body(rows) {
  const { types } = fixture.cached ?? (fixture.cached = fixture());
  const inputs = Object.entries(types).map(([name, t]) => ({
    name,
    shape: [rows.length, 1],
    datatype: t === 'string' ? 'BYTES' : 'FP32',
    data: rows.map((r) => (t === 'string' ? (r[name] ?? '') : (r[name] ?? null))),
  }));
  return JSON.stringify({ inputs });
}

/**
 * Open Inference Protocol with the binary tensor data extension, as tritonclient sends by default: the JSON
 * header, then each column's raw bytes (FP32 little-endian, NaN for missing; BYTES as 4-byte length + UTF-8),
 * and every output asked for in binary. Returned as {headers, base64} for load.mjs.
 */
export function v2BinaryBody(rows) {
  const { types } = fixture.cached ?? (fixture.cached = fixture());
  const chunks = [];
  const inputs = Object.entries(types).map(([name, t]) => {
    let bytes;
    if (t === 'string') {
      bytes = Buffer.concat(
        rows.flatMap((r) => {
          const b = Buffer.from(r[name] ?? '', 'utf8');
          const len = Buffer.alloc(4);
          len.writeUInt32LE(b.length);
          return [len, b];
        }),
      );
    } else bytes = Buffer.from(Float32Array.from(rows, (r) => r[name] ?? Number.NaN).buffer);
    chunks.push(bytes);
    return { name, shape: [rows.length, 1], datatype: t === 'string' ? 'BYTES' : 'FP32', parameters: { binary_data_size: bytes.length } };
  });
  const json = Buffer.from(JSON.stringify({ inputs, parameters: { binary_data_output: true } }));
  return {
    headers: { 'Content-Type': 'application/octet-stream', 'Inference-Header-Content-Length': String(json.length) },
    base64: Buffer.concat([json, ...chunks]).toString('base64'),
  };
}

/** A binary v2 answer (bytes + its header length) → {name: number[]} for every output (INT64 as Number). */
export function decodeV2Binary(bytes, headerLength) {
  const head = JSON.parse(bytes.subarray(0, headerLength).toString('utf8'));
  let at = headerLength;
  const out = {};
  for (const o of head.outputs) {
    if (o.data) {
      out[o.name] = o.data;
      continue;
    }
    const size = o.parameters.binary_data_size;
    const copy = Uint8Array.from(bytes.subarray(at, at + size)).buffer;
    at += size;
    out[o.name] =
      o.datatype === 'INT64'
        ? Array.from(new BigInt64Array(copy), Number)
        : Array.from(o.datatype === 'FP64' ? new Float64Array(copy) : new Float32Array(copy));
  }
  return out;
}

/**
 * `mlflow models serve`: {"dataframe_records": [..]}. A missing category is sent as "" (the pipeline's own
 * missing marker: its SimpleImputer has missing_values=""); a missing number as null (NaN in pandas).
 */
export function mlflowBody(rows) {
  const { types } = fixture.cached ?? (fixture.cached = fixture());
  const fixed = rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, types[k] === 'string' ? (v ?? '') : v])));
  return JSON.stringify({ dataframe_records: fixed });
}

/**
 * MLServer's V2 (Open Inference Protocol) request for mlserver-sklearn: one [N,1] tensor per column, numbers FP32
 * (null for a missing one: NaN), categories BYTES marked `content_type: str` ("" for a missing one, the pipeline's
 * own marker), and the request marked `content_type: pd` so MLServer decodes it into the DataFrame the scikit-learn
 * pipeline selects its columns from.
 */
export function mlserverBody(rows) {
  const { types } = fixture.cached ?? (fixture.cached = fixture());
  const inputs = Object.entries(types).map(([name, t]) => ({
    name,
    shape: [rows.length, 1],
    datatype: t === 'string' ? 'BYTES' : 'FP32',
    ...(t === 'string' ? { parameters: { content_type: 'str' } } : {}),
    data: rows.map((r) => (t === 'string' ? (r[name] ?? '') : (r[name] ?? null))),
  }));
  return JSON.stringify({ parameters: { content_type: 'pd' }, inputs });
}

/** The BentoML peer's request (bench/serving/bentoml/service.py): {"data": [records]}, "" for a missing category. */
export function bentomlBody(rows) {
  return JSON.stringify({ data: JSON.parse(mlflowBody(rows)).dataframe_records });
}

/** `n` rows cycling through the fixture records from record `start`. */
export function rowsFrom(records, n, start) {
  return Array.from({ length: n }, (_, i) => records[(start + i) % records.length]);
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}
