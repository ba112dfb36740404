/** Output tensors → per-row JSON predictions (what the records API answers). */
import { type TensorValue, toJsonArray } from '../runtime/tensor.js';

function rowsOf(t: TensorValue): unknown[] {
  const flat = toJsonArray(t);
  const n = t.dims[0] ?? flat.length;
  const per = n === 0 ? 0 : flat.length / n;
  if (per === 1) return flat;
  const rows = new Array<unknown>(n);
  for (let i = 0; i < n; i++) rows[i] = flat.slice(i * per, (i + 1) * per);
  return rows;
}

/** One output: a value (or list) per row. Several: an object per row keyed by output name. */
export function toPredictions(outputs: Record<string, TensorValue>, order: string[]): unknown[] {
  const names = order.filter((n) => n in outputs);
  if (names.length === 1) return rowsOf(outputs[names[0]!]!);
  const cols = names.map((n) => rowsOf(outputs[n]!));
  const n = cols[0]?.length ?? 0;
  const rows = new Array<Record<string, unknown>>(n);
  for (let i = 0; i < n; i++) {
    const row: Record<string, unknown> = {};
    for (let c = 0; c < names.length; c++) row[names[c]!] = cols[c]![i];
    rows[i] = row;
  }
  return rows;
}
