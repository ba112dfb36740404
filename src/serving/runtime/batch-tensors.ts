/** Joining request tensors along the batch dimension (dim 0), and splitting results back per request. */
import type { TensorArray, TensorValue } from './tensor.js';

function rowsOf(t: TensorValue): number {
  return t.dims[0] ?? 1;
}

function concatArrays(parts: TensorArray[]): TensorArray {
  const first = parts[0]!;
  if (Array.isArray(first)) {
    // A plain loop: Array.prototype.flat is several times slower on V8 for large string columns.
    const out: string[] = [];
    for (const p of parts as string[][]) for (let i = 0; i < p.length; i++) out.push(p[i]!);
    return out;
  }
  const total = parts.reduce((a, p) => a + p.length, 0);
  const Ctor = first.constructor as new (n: number) => Exclude<TensorArray, string[]>;
  const out = new Ctor(total);
  let offset = 0;
  for (const p of parts as Exclude<TensorArray, string[]>[]) {
    (out as unknown as { set(a: ArrayLike<unknown>, o: number): void }).set(p as ArrayLike<unknown>, offset);
    offset += p.length;
  }
  return out;
}

export function concatFeeds(feeds: Record<string, TensorValue>[]): Record<string, TensorValue> {
  if (feeds.length === 1) return feeds[0]!;
  const out: Record<string, TensorValue> = {};
  for (const name of Object.keys(feeds[0]!)) {
    const parts = feeds.map((f) => f[name]!);
    const first = parts[0]!;
    out[name] = { type: first.type, dims: [parts.reduce((a, p) => a + rowsOf(p), 0), ...first.dims.slice(1)], data: concatArrays(parts.map((p) => p.data)) };
  }
  return out;
}

/** Splits each output by the row counts of the requests that were batched (outputs keep dim 0 = rows). */
export function splitOutputs(outputs: Record<string, TensorValue>, rowCounts: number[]): Record<string, TensorValue>[] {
  if (rowCounts.length === 1) return [outputs];
  const result: Record<string, TensorValue>[] = rowCounts.map(() => ({}));
  for (const [name, t] of Object.entries(outputs)) {
    const total = rowsOf(t);
    const per = total === 0 ? 0 : t.data.length / total;
    let row = 0;
    rowCounts.forEach((n, i) => {
      const data = t.data.slice(row * per, (row + n) * per) as TensorArray;
      result[i]![name] = { type: t.type, dims: [n, ...t.dims.slice(1)], data };
      row += n;
    });
  }
  return result;
}
