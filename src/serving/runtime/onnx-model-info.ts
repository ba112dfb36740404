/**
 * Reads what onnxruntime-node does not expose from an ONNX file: the model's metadata_props (where
 * converters and users store feature names) — and checks the bytes look like an ONNX ModelProto at all,
 * so a non-ONNX upload is refused with a clear message before a session is attempted.
 * A minimal protobuf reader: ModelProto fields ir_version (1), graph (7), metadata_props (14); and, for readers of a
 * graph's operators (TreeSHAP reads tree ensembles), the GraphProto's nodes with their attributes, its inputs and
 * its initializer names (readOnnxGraph).
 */
import { InvalidParameterError } from '../../errors.js';

/** Wire-format reader over a byte range; each read advances pos. */
export class Reader {
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
  /** A varint as a signed int64 (negative values take ten bytes, two's complement); exact up to 2^53. */
  int64(): number {
    const start = this.pos;
    const v = this.varint();
    if (this.pos - start < 10) return v;
    let big = 0n;
    for (let i = 0; i < 10; i++) big |= BigInt(this.buf[start + i]! & 0x7f) << BigInt(7 * i);
    return Number(BigInt.asIntN(64, big));
  }
  float32(): number {
    if (this.pos + 4 > this.end) throw new Error('truncated float');
    const v = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 4).getFloat32(0, true);
    this.pos += 4;
    return v;
  }
  float64(): number {
    if (this.pos + 8 > this.end) throw new Error('truncated double');
    const v = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 8).getFloat64(0, true);
    this.pos += 8;
    return v;
  }
  /** A sub-reader over the next length-delimited field. */
  sub(): Reader {
    const len = this.varint();
    if (this.pos + len > this.end) throw new Error('truncated message');
    const r = new Reader(this.buf, this.pos + len);
    r.pos = this.pos;
    this.pos += len;
    return r;
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

/** A TensorProto's shape and values (float, double and integer types; others keep no values). */
export interface OnnxTensor {
  dims: number[];
  dataType: number;
  values: number[];
}

/** An AttributeProto: whichever of its value fields the graph set. */
export interface OnnxAttribute {
  name: string;
  f?: number;
  i?: number;
  s?: string;
  t?: OnnxTensor;
  floats: number[];
  ints: number[];
  strings: string[];
}

export interface OnnxNode {
  opType: string;
  domain: string;
  name: string;
  inputs: string[];
  outputs: string[];
  attributes: Map<string, OnnxAttribute>;
}

/** A graph input: its element type (TensorProto.DataType: 1 float, 11 double, 7 int64, …) and dims (a number, a name, or null). */
export interface OnnxValueInfo {
  name: string;
  elemType: number;
  dims: (number | string | null)[];
}

export interface OnnxGraph {
  nodes: OnnxNode[];
  inputs: OnnxValueInfo[];
  outputs: string[];
  initializers: Set<string>;
}

const decoder = new TextDecoder();

/** Repeated scalar fields come packed (wire type 2) or one per tag. */
function repeated(r: Reader, wire: number, one: (r: Reader) => number, into: number[]): void {
  if (wire !== 2) {
    into.push(one(r));
    return;
  }
  const p = r.sub();
  while (p.pos < p.end) into.push(one(p));
}

const F32 = (r: Reader): number => r.float32();
const F64 = (r: Reader): number => r.float64();
const I64 = (r: Reader): number => r.int64();

function readTensor(r: Reader): OnnxTensor {
  const t: OnnxTensor = { dims: [], dataType: 0, values: [] };
  let raw: Uint8Array | null = null;
  while (r.pos < r.end) {
    const tag = r.varint();
    const field = Math.floor(tag / 8);
    const wire = tag & 7;
    if (field === 1) repeated(r, wire, I64, t.dims);
    else if (field === 2 && wire === 0) t.dataType = r.varint();
    else if (field === 4) repeated(r, wire, F32, t.values);
    else if (field === 5 || field === 7) repeated(r, wire, I64, t.values);
    else if (field === 10) repeated(r, wire, F64, t.values);
    else if (field === 9 && wire === 2) raw = r.bytes();
    else r.skip(wire);
  }
  if (raw !== null && t.values.length === 0) {
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const size = t.dataType === 11 || t.dataType === 7 ? 8 : t.dataType === 1 || t.dataType === 6 ? 4 : 0;
    for (let o = 0; size > 0 && o + size <= raw.byteLength; o += size) {
      if (t.dataType === 1) t.values.push(view.getFloat32(o, true));
      else if (t.dataType === 11) t.values.push(view.getFloat64(o, true));
      else if (t.dataType === 7) t.values.push(Number(view.getBigInt64(o, true)));
      else t.values.push(view.getInt32(o, true));
    }
  }
  return t;
}

function readAttribute(r: Reader): OnnxAttribute {
  const a: OnnxAttribute = { name: '', floats: [], ints: [], strings: [] };
  while (r.pos < r.end) {
    const tag = r.varint();
    const field = Math.floor(tag / 8);
    const wire = tag & 7;
    if (field === 1 && wire === 2) a.name = decoder.decode(r.bytes());
    else if (field === 2 && wire === 5) a.f = r.float32();
    else if (field === 3 && wire === 0) a.i = r.int64();
    else if (field === 4 && wire === 2) a.s = decoder.decode(r.bytes());
    else if (field === 5 && wire === 2) a.t = readTensor(r.sub());
    else if (field === 7) repeated(r, wire, F32, a.floats);
    else if (field === 8) repeated(r, wire, I64, a.ints);
    else if (field === 9 && wire === 2) a.strings.push(decoder.decode(r.bytes()));
    else r.skip(wire);
  }
  return a;
}

function readNode(r: Reader): OnnxNode {
  const n: OnnxNode = { opType: '', domain: '', name: '', inputs: [], outputs: [], attributes: new Map() };
  while (r.pos < r.end) {
    const tag = r.varint();
    const field = Math.floor(tag / 8);
    const wire = tag & 7;
    if (wire !== 2) r.skip(wire);
    else if (field === 1) n.inputs.push(decoder.decode(r.bytes()));
    else if (field === 2) n.outputs.push(decoder.decode(r.bytes()));
    else if (field === 3) n.name = decoder.decode(r.bytes());
    else if (field === 4) n.opType = decoder.decode(r.bytes());
    else if (field === 7) n.domain = decoder.decode(r.bytes());
    else if (field === 5) {
      const a = readAttribute(r.sub());
      n.attributes.set(a.name, a);
    } else r.skip(wire);
  }
  return n;
}

/** ValueInfoProto → TypeProto (tensor_type 1) → elem_type 1, shape 2 → dim 1 → dim_value 1 | dim_param 2. */
function readValueInfo(r: Reader): OnnxValueInfo {
  const v: OnnxValueInfo = { name: '', elemType: 0, dims: [] };
  while (r.pos < r.end) {
    const tag = r.varint();
    if (tag === ((1 << 3) | 2)) v.name = decoder.decode(r.bytes());
    else if (tag === ((2 << 3) | 2)) {
      const type = r.sub();
      while (type.pos < type.end) {
        const tt = type.varint();
        if (tt !== ((1 << 3) | 2)) {
          type.skip(tt & 7);
          continue;
        }
        const tensor = type.sub();
        while (tensor.pos < tensor.end) {
          const t = tensor.varint();
          if (t === ((1 << 3) | 0)) v.elemType = tensor.varint();
          else if (t === ((2 << 3) | 2)) {
            const shape = tensor.sub();
            while (shape.pos < shape.end) {
              const st = shape.varint();
              if (st !== ((1 << 3) | 2)) {
                shape.skip(st & 7);
                continue;
              }
              const dim = shape.sub();
              let d: number | string | null = null;
              while (dim.pos < dim.end) {
                const dt = dim.varint();
                if (dt === ((1 << 3) | 0)) d = dim.int64();
                else if (dt === ((2 << 3) | 2)) d = decoder.decode(dim.bytes());
                else dim.skip(dt & 7);
              }
              v.dims.push(d);
            }
          } else tensor.skip(t & 7);
        }
      }
    } else r.skip(tag & 7);
  }
  return v;
}

/**
 * The model's main graph: nodes (op type, domain, inputs, outputs, attributes), inputs with their types and shapes,
 * output names, initializer names. GraphProto fields: node 1, initializer 5, input 11, output 12.
 */
export function readOnnxGraph(bytes: Uint8Array, field = 'model'): OnnxGraph {
  readOnnxModelInfo(bytes, field); // refuses what is not an ONNX model, with its message
  const graph: OnnxGraph = { nodes: [], inputs: [], outputs: [], initializers: new Set() };
  try {
    const r = new Reader(bytes);
    while (r.pos < r.end) {
      const tag = r.varint();
      if (tag !== ((7 << 3) | 2)) {
        r.skip(tag & 7);
        continue;
      }
      const g = r.sub();
      while (g.pos < g.end) {
        const t = g.varint();
        const f = Math.floor(t / 8);
        const wire = t & 7;
        if (wire !== 2) g.skip(wire);
        else if (f === 1) graph.nodes.push(readNode(g.sub()));
        else if (f === 11) graph.inputs.push(readValueInfo(g.sub()));
        else if (f === 12) graph.outputs.push(readValueInfo(g.sub()).name);
        else if (f === 5) {
          // Only the name (field 8) is kept: initializers can be large and no reader needs their values yet.
          const init = g.sub();
          while (init.pos < init.end) {
            const it = init.varint();
            if (it === ((8 << 3) | 2)) graph.initializers.add(decoder.decode(init.bytes()));
            else init.skip(it & 7);
          }
        } else g.skip(wire);
      }
    }
  } catch (err) {
    throw new InvalidParameterError(field, `Not a valid ONNX model: ${(err as Error).message} (is the file complete?).`);
  }
  return graph;
}
