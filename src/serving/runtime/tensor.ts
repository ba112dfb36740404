/** Tensors as they cross the worker boundary and the protocols: an element type, dims and flat data. */
export type ElementType = 'float32' | 'float64' | 'int32' | 'int64' | 'bool' | 'string' | 'uint8' | 'int8';

export type TensorArray = Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array | Int8Array | string[];

export interface TensorValue {
  type: ElementType;
  dims: number[];
  data: TensorArray;
}

export const ELEMENT_TYPES: readonly ElementType[] = ['float32', 'float64', 'int32', 'int64', 'bool', 'string', 'uint8', 'int8'];

export function isElementType(t: string): t is ElementType {
  return (ELEMENT_TYPES as readonly string[]).includes(t);
}

/** A zero-filled tensor of the given type and dims (used to warm sessions up). */
export function zeros(type: ElementType, dims: number[]): TensorValue {
  const n = dims.reduce((a, b) => a * b, 1);
  switch (type) {
    case 'float32':
      return { type, dims, data: new Float32Array(n) };
    case 'float64':
      return { type, dims, data: new Float64Array(n) };
    case 'int32':
      return { type, dims, data: new Int32Array(n) };
    case 'int64':
      return { type, dims, data: new BigInt64Array(n) };
    case 'bool':
    case 'uint8':
      return { type, dims, data: new Uint8Array(n) };
    case 'int8':
      return { type, dims, data: new Int8Array(n) };
    case 'string':
      return { type, dims, data: Array.from({ length: n }, () => '') };
  }
}

/** JSON-safe numbers: int64 becomes Number (exact below 2^53, which labels and counts are). */
export function toJsonArray(t: TensorValue): (number | string | boolean)[] {
  if (t.type === 'int64') return Array.from(t.data as BigInt64Array, (v) => Number(v));
  if (t.type === 'bool') return Array.from(t.data as Uint8Array, (v) => v !== 0);
  return Array.from(t.data as ArrayLike<number | string>);
}
