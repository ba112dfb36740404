/**
 * The Open Inference Protocol's binary tensor data extension (Triton's `binary_tensor_data`, what tritonclient
 * sends by default). A request body is a JSON header of `Inference-Header-Content-Length` bytes followed by the
 * raw bytes of each input that carries `parameters.binary_data_size`, in the order the inputs are listed; outputs
 * asked for with `binary_data: true` (or every output, with the request's `binary_data_output`) are answered the
 * same way. Elements are little-endian and row-major; BOOL is one byte; each BYTES element is a 4-byte
 * little-endian length followed by that many bytes. Pure: no I/O.
 */
import { endianness } from 'node:os';
import { FerryError, InvalidParameterError } from '../../errors.js';
import type { TensorSpec } from '../runtime/signature.js';
import type { ElementType, TensorValue } from '../runtime/tensor.js';

/** The request's binary part, handed from the body parser to the route beside the JSON fields. */
export const V2_BINARY = Symbol('ferry.v2.binary');

export const HEADER_LENGTH = 'inference-header-content-length';

const SIZE: Record<Exclude<ElementType, 'string'>, number> = { float32: 4, float64: 8, int32: 4, int64: 8, bool: 1, uint8: 1, int8: 1 };

// Typed arrays are read and written in the host's byte order; the extension's is little-endian.
const LITTLE_ENDIAN = endianness() === 'LE';

function requireLittleEndian(): void {
  if (!LITTLE_ENDIAN) throw new FerryError('BAD_REQUEST', 'The binary tensor extension needs a little-endian host; send tensors as JSON "data".');
}

/** Splits a body by the Inference-Header-Content-Length header; `binary` is absent when the header is. */
export function splitV2Body(body: Buffer, header: string | string[] | undefined): { json: Buffer; binary?: Buffer } {
  if (header === undefined) return { json: body };
  const text = Array.isArray(header) ? header.join(',') : header;
  const n = /^\d{1,10}$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > body.length) {
    throw new InvalidParameterError(
      'Inference-Header-Content-Length',
      `The Inference-Header-Content-Length header must be the JSON part's size in bytes, from 1 to the body's ${body.length}; got ${JSON.stringify(text)}.`,
    );
  }
  requireLittleEndian();
  return { json: body.subarray(0, n), binary: body.subarray(n) };
}

/** Hands out consecutive slices of the binary part, one per input that declares binary_data_size. */
export class BinaryReader {
  private offset = 0;
  constructor(private readonly buf: Buffer | undefined) {}

  take(size: unknown, field: string, name: string): Buffer {
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
      throw new InvalidParameterError(field, `Input '${name}': binary_data_size must be a non-negative integer.`);
    }
    if (!this.buf) {
      throw new InvalidParameterError(
        field,
        `Input '${name}' declares binary_data_size, but the request has no binary part (no Inference-Header-Content-Length header).`,
      );
    }
    if (this.offset + size > this.buf.length) {
      throw new InvalidParameterError(
        field,
        `Input '${name}' declares ${size} bytes of binary data, but only ${this.buf.length - this.offset} remain in the body.`,
      );
    }
    const out = this.buf.subarray(this.offset, this.offset + size);
    this.offset += size;
    return out;
  }

  /** Bytes nobody claimed mean the header and the body disagree: refused rather than ignored. */
  finish(): void {
    const left = (this.buf?.length ?? 0) - this.offset;
    if (left > 0) {
      throw new InvalidParameterError(
        'inputs',
        `The body has ${left} bytes of binary data after the inputs' declared binary_data_size; check Inference-Header-Content-Length.`,
      );
    }
  }
}

function copyBytes(bytes: Buffer): ArrayBuffer {
  // A copy, not a view: the body's bytes need not be aligned for the element size, and the tensor outlives it.
  const ab = new ArrayBuffer(bytes.length);
  new Uint8Array(ab).set(bytes);
  return ab;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function stringsOf(bytes: Buffer, count: number, spec: TensorSpec, field: string): string[] {
  const out: string[] = new Array<string>(count);
  let at = 0;
  for (let i = 0; i < count; i++) {
    if (at + 4 > bytes.length)
      throw new InvalidParameterError(
        field,
        `Input '${spec.name}': the binary data ends before element ${i} (BYTES elements are a 4-byte length, then the bytes).`,
      );
    const len = bytes.readUInt32LE(at);
    at += 4;
    if (at + len > bytes.length)
      throw new InvalidParameterError(field, `Input '${spec.name}': element ${i} claims ${len} bytes, but only ${bytes.length - at} remain.`);
    // Lenient decoding is the fast path; a replacement character means either bad bytes or a real U+FFFD,
    // which the strict decoder then tells apart.
    const text = bytes.toString('utf8', at, at + len);
    if (text.includes('\uFFFD')) {
      try {
        utf8.decode(bytes.subarray(at, at + len));
      } catch {
        throw new InvalidParameterError(field, `Input '${spec.name}': element ${i} is not valid UTF-8 text.`);
      }
    }
    out[i] = text;
    at += len;
  }
  if (at !== bytes.length) throw new InvalidParameterError(field, `Input '${spec.name}': ${bytes.length - at} bytes are left after its ${count} elements.`);
  return out;
}

/** Binary input bytes → a typed tensor, with the same value checks as JSON data (NaN is a missing value). */
export function binaryTensor(bytes: Buffer, spec: TensorSpec, dims: number[], field: string): TensorValue {
  const count = dims.reduce((a, b) => a * b, 1);
  const type = spec.type;
  if (type === 'string') return { type, dims, data: stringsOf(bytes, count, spec, field) };
  const need = count * SIZE[type];
  if (bytes.length !== need) {
    throw new InvalidParameterError(field, `Input '${spec.name}' sends ${bytes.length} bytes, but shape [${dims.join(', ')}] of ${type} needs ${need}.`);
  }
  const ab = copyBytes(bytes);
  switch (type) {
    case 'float32':
    case 'float64': {
      const data = type === 'float32' ? new Float32Array(ab) : new Float64Array(ab);
      for (let i = 0; i < data.length; i++) {
        const v = data[i]!;
        if (v === Infinity || v === -Infinity)
          throw new InvalidParameterError(field, `Input '${spec.name}': element ${i} must be a finite number (or NaN for a missing value), got ${v}.`);
      }
      return type === 'float32' ? { type, dims, data: data as Float32Array } : { type, dims, data: data as Float64Array };
    }
    case 'bool': {
      const data = new Uint8Array(ab);
      const i = data.findIndex((v) => v > 1);
      if (i >= 0) throw new InvalidParameterError(field, `Input '${spec.name}': element ${i} must be a BOOL byte (0 or 1), got ${data[i]}.`);
      return { type, dims, data };
    }
    case 'int32':
      return { type, dims, data: new Int32Array(ab) };
    case 'int64':
      return { type, dims, data: new BigInt64Array(ab) };
    case 'uint8':
      return { type, dims, data: new Uint8Array(ab) };
    case 'int8':
      return { type, dims, data: new Int8Array(ab) };
  }
}

/** A tensor's bytes as the extension sends them (a view, not a copy, for numeric tensors). */
export function tensorBytes(t: TensorValue): Buffer {
  requireLittleEndian();
  if (t.type !== 'string') {
    const d = t.data as Exclude<TensorValue['data'], string[]>;
    return Buffer.from(d.buffer, d.byteOffset, d.byteLength);
  }
  const parts = (t.data as string[]).map((s) => Buffer.from(s, 'utf8'));
  const out = Buffer.allocUnsafe(parts.reduce((n, p) => n + 4 + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.writeUInt32LE(p.length, at);
    p.copy(out, at + 4);
    at += 4 + p.length;
  }
  return out;
}
