/** Output tensors → per-row JSON predictions (what the records API answers). */
import { type TensorValue, toJsonArray } from './tensor.js';

function rowsOf(t: TensorValue): unknown[] {
  const flat = toJsonArray(t);
  const n = t.dims[0] ?? flat.length;
  const per = n === 0 ? 0 : flat.length / n;
  if (per === 1) return flat;
  return Array.from({ length: n }, (_, i) => flat.slice(i * per, (i + 1) * per));
}

/** One output: a value (or list) per row. Several: an object per row keyed by output name. */
export function toPredictions(outputs: Record<string, TensorValue>, order: string[]): unknown[] {
  const names = order.filter((n) => n in outputs);
  if (names.length === 1) return rowsOf(outputs[names[0]!]!);
  const cols = names.map((n) => [n, rowsOf(outputs[n]!)] as const);
  const n = cols[0]?.[1].length ?? 0;
  return Array.from({ length: n }, (_, i) => Object.fromEntries(cols.map(([name, values]) => [name, values[i]])));
}
