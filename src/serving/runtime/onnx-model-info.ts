/**
 * Reads what onnxruntime-node does not expose from an ONNX file: the model's metadata_props (where
 * converters and users store feature names) — and checks the bytes look like an ONNX ModelProto at all,
 * so a non-ONNX upload is refused with a clear message before a session is attempted.
 * A minimal protobuf reader: ModelProto fields ir_version (1), graph (7), metadata_props (14).
 */
import { InvalidParameterError } from '../../errors.js';

class Reader {
  pos = 0;
  constructor(
    readonly buf: Uint8Array,
    readonly end = buf.length,
  ) {}
  varint(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (this.pos >= this.end) throw new Error('truncated varint');
      const b = this.buf[this.pos++]!;
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
      shift += 7;
      if (shift > 63) throw new Error('varint too long');
    }
  }
  skip(wireType: number): void {
    if (wireType === 0) this.varint();
    else if (wireType === 1) this.pos += 8;
    else if (wireType === 2) {
      const len = this.varint(); // read first: `pos += varint()` would add to the pos before the varint
      this.pos += len;
    } else if (wireType === 5) this.pos += 4;
    else throw new Error(`unsupported wire type ${wireType}`);
    if (this.pos > this.end) throw new Error('truncated field');
  }
  bytes(): Uint8Array {
    const len = this.varint();
    if (this.pos + len > this.end) throw new Error('truncated bytes');
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }
}

export interface OnnxModelInfo {
  irVersion: number;
  metadata: Record<string, string>;
}

export function readOnnxModelInfo(bytes: Uint8Array, field = 'model'): OnnxModelInfo {
  const decoder = new TextDecoder();
  const metadata: Record<string, string> = {};
  let irVersion = 0;
  let hasGraph = false;
  try {
    const r = new Reader(bytes);
    while (r.pos < r.end) {
      const tag = r.varint();
      const fieldNo = Math.floor(tag / 8);
      const wire = tag & 7;
      if (fieldNo === 1 && wire === 0) irVersion = r.varint();
      else if (fieldNo === 7 && wire === 2) {
        r.bytes();
        hasGraph = true;
      } else if (fieldNo === 14 && wire === 2) {
        const entry = r.bytes();
        const e = new Reader(entry);
        let key = '';
        let value = '';
        while (e.pos < e.end) {
          const t = e.varint();
          if (t === ((1 << 3) | 2)) key = decoder.decode(e.bytes());
          else if (t === ((2 << 3) | 2)) value = decoder.decode(e.bytes());
          else e.skip(t & 7);
        }
        if (key) metadata[key] = value;
      } else r.skip(wire);
    }
  } catch (err) {
    throw new InvalidParameterError(field, `Not a valid ONNX model: ${(err as Error).message} (is the file complete?).`);
  }
  if (!hasGraph || irVersion === 0) {
    throw new InvalidParameterError(field, 'Not a valid ONNX model: no graph or IR version found. Export the model with skl2onnx, torch.onnx or onnxmltools.');
  }
  return { irVersion, metadata };
}
