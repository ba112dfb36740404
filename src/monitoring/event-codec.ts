/**
 * Prediction events packed for the monitoring thread. Values go into typed arrays that are transferred, not
 * copied; the rest — ids, names, strings — is one small JSON string. A structured clone per event would cost
 * more than the logging work it moves off the event loop.
 *
 * Values that serving reported as tensors (the usual case) are packed straight from them, column after
 * column: a numeric column is `rows` numbers in `nums` (NaN: missing), a text column `rows` entries of
 * `strings` (null: missing); nothing is built per row on the event loop. Values given as plain lists (tests,
 * other observers) keep their row-major order with a tag per value.
 */
import type { FlatInputs, FlatOutputs, PredictionEvent, TensorValue } from '../serving/index.js';

const ROUTES = ['main', 'shadow'] as const;
const STATUSES = ['ok', 'client_error', 'error'] as const;

/** What the log decided for the event on the main thread. */
export type Disposition = 'store' | 'sample_out' | 'dropped';
const DISPOSITIONS: Disposition[] = ['store', 'sample_out', 'dropped'];

export interface PackedEvent {
  e: PredictionEvent;
  disposition: Disposition;
}

export interface PackedBatch {
  /** JSON: {ids (request ids), words (deployments, models, versions, widths, errors), names (lists), strings (distinct, of text columns), texts (of plain lists)}. */
  meta: string;
  /** Per event, HEAD numbers (see H_*). */
  heads: Float64Array;
  /** A tag per column (tensor values) or per value (plain lists). */
  tags: Uint8Array;
  /** The numbers, in order of their tags. */
  nums: Float64Array;
}

// The numbers of an event's head.
const H_ROWS = 0;
const H_REVISION = 1;
const H_ROUTE = 2;
const H_TS = 3;
const H_LATENCY = 4;
const H_STATUS = 5;
const H_DISPOSITION = 6;
const H_IN_NAMES = 7;
const H_OUT_NAMES = 8;
const H_WIDTHS = 9; // a word: the output widths, comma-separated
const H_IN_COUNT = 10; // values in a row-major list, or COLUMNS
const H_OUT_COUNT = 11;
const H_TAG_AT = 12; // where the event's tags, numbers and texts start
const H_NUM_AT = 13;
const H_TEXT_AT = 14;
const H_DEPLOYMENT = 15; // words
const H_MODEL = 16;
const H_VERSION = 17;
const H_ERROR = 18; // a word, or -1
const HEAD = 19;

// Value tags (plain lists, and columns of mixed values).
const TAG_NULL = 0;
const TAG_NUM = 1;
const TAG_STR = 2;
const TAG_TRUE = 3;
const TAG_FALSE = 4;
// Column tags: what the column's `rows` values are.
const COL_NUM = 5; // numbers in nums (NaN: missing)
const COL_STR = 6; // indexes into the batch's strings, in nums (NaN: missing)
const COL_ANY = 7; // a value tag each

/** A side (inputs or outputs) sent as columns rather than a row-major list. */
const COLUMNS = -1;

/** Lists of names repeat from event to event; each distinct list is sent once per batch and referred to by index. */
class NameTable {
  readonly lists: string[][] = [];
  private byIdentity = new Map<string[], number>();
  private byText = new Map<string, number>();
  id(names: string[]): number {
    let i = this.byIdentity.get(names);
    if (i !== undefined) return i;
    const key = names.join('\0');
    i = this.byText.get(key);
    if (i === undefined) this.byText.set(key, (i = this.lists.push(names) - 1));
    this.byIdentity.set(names, i);
    return i;
  }
}

/** Strings that repeat from event to event (deployment, model, version...), each sent once per batch. */
class WordTable {
  readonly words: string[] = [];
  private ids = new Map<string, number>();
  id(w: string): number {
    let i = this.ids.get(w);
    if (i === undefined) this.ids.set(w, (i = this.words.push(w) - 1));
    return i;
  }
}

/** The id of a word that is usually the same as the previous event's (compared before looking it up). */
class LastWord {
  private word: string | null = null;
  private wordId = 0;
  constructor(private readonly table: WordTable) {}
  id(w: string): number {
    if (w !== this.word) {
      this.word = w;
      this.wordId = this.table.id(w);
    }
    return this.wordId;
  }
}

const EMPTY_IN: FlatInputs = { names: [], values: [] };
const EMPTY_OUT: FlatOutputs = { names: [], widths: [], values: [] };

/** The flat's tensors and per-row widths when they can be packed as columns (each holds `rows` whole rows). */
function tensorSource(tensors: TensorValue[] | undefined, widths: number[] | undefined, rows: number): boolean {
  if (!tensors || !widths || tensors.length !== widths.length) return false;
  for (let k = 0; k < tensors.length; k++) {
    const w = widths[k]!;
    if (!Number.isInteger(w) || w < 0 || tensors[k]!.data.length < rows * w) return false;
  }
  return true;
}

function sumOf(xs: number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}

/** Whether this machine stores numbers little-endian (an int64 is then its low word, then its high word). */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

class Packer {
  tags: Uint8Array;
  nums: Float64Array;
  t = 0;
  n = 0;
  /** Distinct strings of the batch's text columns; a value travels as its index (categories repeat from row to row). */
  readonly strings: string[] = [];
  /** Strings of plain lists, in order. */
  readonly texts: string[] = [];
  private stringIds = new Map<string, number>();

  constructor(nums: Float64Array, tags: Uint8Array) {
    this.nums = nums;
    this.tags = tags;
  }

  stringId(v: string): number {
    let id = this.stringIds.get(v);
    if (id === undefined) this.stringIds.set(v, (id = this.strings.push(v) - 1));
    return id;
  }

  value(v: unknown): void {
    if (typeof v === 'number') {
      this.tags[this.t++] = TAG_NUM;
      this.nums[this.n++] = v;
    } else if (typeof v === 'string') {
      this.tags[this.t++] = TAG_STR;
      this.texts.push(v);
    } else if (v === true || v === false) this.tags[this.t++] = v ? TAG_TRUE : TAG_FALSE;
    else this.tags[this.t++] = TAG_NULL;
  }

  list(values: unknown[]): void {
    for (let j = 0; j < values.length; j++) this.value(values[j]);
  }

  /** Each tensor's w columns, column after column, each as serving reports values (see valueAt in serving). */
  tensors(tensors: TensorValue[], widths: number[], rows: number): void {
    const nums = this.nums;
    for (let k = 0; k < tensors.length; k++) {
      const t = tensors[k]!;
      const w = widths[k]!;
      const d = t.data;
      for (let i = 0; i < w; i++) {
        let n = this.n;
        switch (t.type) {
          case 'float32':
          case 'float64': {
            this.tags[this.t++] = COL_NUM;
            const f = d as Float32Array | Float64Array;
            // A non-finite number is reported as missing.
            for (let r = 0, at = i; r < rows; r++, at += w) {
              const x = f[at]!;
              nums[n++] = x - x === 0 ? x : NaN;
            }
            break;
          }
          case 'int64': {
            this.tags[this.t++] = COL_NUM;
            const b = d as BigInt64Array;
            if (b instanceof BigInt64Array && LITTLE_ENDIAN) {
              // Read as two 32-bit words: no BigInt per value. hi·2^32 + lo rounds once, as Number(bigint) does.
              const words = new Int32Array(b.buffer, b.byteOffset, 2 * b.length);
              for (let r = 0, at = 2 * i; r < rows; r++, at += 2 * w) nums[n++] = words[at + 1]! * 4294967296 + (words[at]! >>> 0);
            } else for (let r = 0, at = i; r < rows; r++, at += w) nums[n++] = Number(b[at]!);
            break;
          }
          case 'int32':
          case 'uint8':
          case 'int8': {
            this.tags[this.t++] = COL_NUM;
            const a = d as Int32Array;
            for (let r = 0, at = i; r < rows; r++, at += w) nums[n++] = a[at]!;
            break;
          }
          case 'string': {
            this.tags[this.t++] = COL_STR;
            const a = d as string[];
            // Missing text ("") is NaN.
            for (let r = 0, at = i; r < rows; r++, at += w) {
              const v = a[at];
              nums[n++] = v === '' || typeof v !== 'string' ? NaN : this.stringId(v);
            }
            break;
          }
          case 'bool': {
            this.tags[this.t++] = COL_ANY;
            const a = d as Uint8Array;
            for (let r = 0, at = i; r < rows; r++, at += w) this.tags[this.t++] = a[at] !== 0 ? TAG_TRUE : TAG_FALSE;
            break;
          }
          default: {
            // An element type this codec does not know: values as the generic reader would give them.
            this.tags[this.t++] = COL_ANY;
            for (let r = 0, at = i; r < rows; r++, at += w) {
              const v = (d as ArrayLike<unknown>)[at];
              this.value(typeof v === 'number' ? (Number.isFinite(v) ? v : null) : v === '' || v === undefined ? null : v);
            }
            n = this.n;
          }
        }
        this.n = n;
      }
    }
  }
}

/** Gives an ArrayBuffer of at least `bytes` (the monitoring thread hands buffers back to be reused). */
export type BufferSource = (bytes: number) => ArrayBuffer;
const allocate: BufferSource = (bytes) => new ArrayBuffer(bytes);

export function pack(events: PackedEvent[], buffer: BufferSource = allocate): PackedBatch {
  const names = new NameTable();
  const words = new WordTable();
  const ins: FlatInputs[] = new Array(events.length);
  const outs: FlatOutputs[] = new Array(events.length);
  /** Per event: 1 when its inputs are packed from tensors, 2 when its outputs are. */
  const fromTensors = new Uint8Array(events.length);
  let total = 0;
  for (let k = 0; k < events.length; k++) {
    const { e, disposition } = events[k]!;
    const i = disposition === 'dropped' ? EMPTY_IN : e.inputFlat();
    const o = disposition === 'dropped' ? EMPTY_OUT : e.outputFlat();
    ins[k] = i;
    outs[k] = o;
    // Upper bounds: a tag per value, plus one per column.
    if (tensorSource(i.tensors, i.tensorWidths, e.rows)) {
      fromTensors[k] |= 1;
      total += (e.rows + 1) * sumOf(i.tensorWidths!);
    } else total += i.values.length;
    if (tensorSource(o.tensors, o.widths, e.rows)) {
      fromTensors[k] |= 2;
      total += (e.rows + 1) * sumOf(o.widths);
    } else total += o.values.length;
  }
  // One buffer: numbers, heads, then tags.
  const headsLength = events.length * HEAD;
  const buf = buffer(8 * (total + headsLength) + total);
  const nums = new Float64Array(buf, 0, total);
  const heads = new Float64Array(buf, 8 * total, headsLength);
  const p = new Packer(nums, new Uint8Array(buf, 8 * (total + headsLength), total));
  const ids = new Array<string>(events.length);
  let lastWidths: number[] = [];
  let lastWidthsId = words.id('');
  const deployments = new LastWord(words);
  const models = new LastWord(words);
  const versions = new LastWord(words);
  for (let k = 0, h = 0; k < events.length; k++, h += HEAD) {
    const { e, disposition } = events[k]!;
    const inputs = ins[k]!;
    const outputs = outs[k]!;
    heads[h + H_TAG_AT] = p.t;
    heads[h + H_NUM_AT] = p.n;
    heads[h + H_TEXT_AT] = p.texts.length;
    let inCount = COLUMNS;
    if (fromTensors[k]! & 1) p.tensors(inputs.tensors!, inputs.tensorWidths!, e.rows);
    else {
      p.list(inputs.values);
      inCount = inputs.values.length;
    }
    let outCount = COLUMNS;
    if (fromTensors[k]! & 2) p.tensors(outputs.tensors!, outputs.widths, e.rows);
    else {
      p.list(outputs.values);
      outCount = outputs.values.length;
    }
    const w = outputs.widths;
    if (w !== lastWidths && (w.length !== lastWidths.length || w.some((x, j) => x !== lastWidths[j]))) lastWidthsId = words.id(w.join(','));
    lastWidths = w;
    ids[k] = e.requestId;
    heads[h + H_ROWS] = e.rows;
    heads[h + H_REVISION] = e.revision;
    heads[h + H_ROUTE] = e.route === 'main' ? 0 : 1;
    heads[h + H_TS] = e.ts;
    heads[h + H_LATENCY] = e.latencyUs;
    heads[h + H_STATUS] = STATUSES.indexOf(e.status);
    heads[h + H_DISPOSITION] = DISPOSITIONS.indexOf(disposition);
    heads[h + H_IN_NAMES] = names.id(inputs.names);
    heads[h + H_OUT_NAMES] = names.id(outputs.names);
    heads[h + H_WIDTHS] = lastWidthsId;
    heads[h + H_IN_COUNT] = inCount;
    heads[h + H_OUT_COUNT] = outCount;
    heads[h + H_DEPLOYMENT] = deployments.id(e.deployment);
    heads[h + H_MODEL] = models.id(e.model);
    heads[h + H_VERSION] = versions.id(e.modelVersion);
    heads[h + H_ERROR] = e.error === undefined ? -1 : words.id(e.error);
  }
  return {
    meta: JSON.stringify({ ids, words: words.words, names: names.lists, strings: p.strings, texts: p.texts }),
    heads,
    tags: p.tags.subarray(0, p.t),
    nums: nums.subarray(0, p.n),
  };
}

export const K_NUM = 0;
export const K_STR = 1;
export const K_LIST = 2;

/**
 * One side of a request (its inputs, or its outputs element by element) as columns, filled by
 * BatchReader.readSide and reused from request to request (nothing is allocated per column). Column j is:
 * K_NUM, `rows` numbers of the batch's `nums` from `at[j]` (NaN: missing); K_STR, `rows` indexes into the
 * batch's `strings`, also in `nums` from `at[j]` (NaN: missing); K_LIST, the values `list[j]`.
 */
export class Side {
  /** Inputs: a name per column. Outputs: a name per output (of `widths[k]` columns each). */
  names: string[] = [];
  widths: number[] = [];
  count = 0;
  kind = new Uint8Array(16);
  at = new Int32Array(16);
  list: (unknown[] | null)[] = [];
  /** When the side came as a row-major list (plain values), that list; `count` is 0 then. */
  flat: unknown[] | null = null;

  /** Makes room for n columns. */
  reserve(n: number): void {
    if (this.kind.length < n) {
      const size = Math.max(n, 2 * this.kind.length);
      this.kind = new Uint8Array(size);
      this.at = new Int32Array(size);
    }
  }

  /** Appends a column of listed values. */
  pushList(values: unknown[]): void {
    this.reserve(this.count + 1);
    this.kind[this.count] = K_LIST;
    this.list[this.count++] = values;
  }
}

const noInputs = (): FlatInputs => ({ names: [], values: [] });
const noOutputs = (): FlatOutputs => ({ names: [], widths: [], values: [] });

/** A packed batch read back: event heads, and each event's values as columns or flat lists. */
export class BatchReader {
  readonly ids: string[];
  readonly words: string[];
  readonly names: string[][];
  readonly heads: Float64Array;
  readonly strings: string[];
  readonly texts: string[];
  readonly tags: Uint8Array;
  readonly nums: Float64Array;
  private widthLists = new Map<string, number[]>();
  /** Read cursors (tags, numbers, texts). */
  private t = 0;
  private n = 0;
  private s = 0;

  constructor(batch: PackedBatch) {
    const meta = JSON.parse(batch.meta) as { ids: string[]; words: string[]; names: string[][]; strings: string[]; texts: string[] };
    this.ids = meta.ids;
    this.words = meta.words;
    this.names = meta.names;
    this.strings = meta.strings;
    this.texts = meta.texts;
    this.heads = batch.heads;
    this.tags = batch.tags;
    this.nums = batch.nums;
  }

  get size(): number {
    return this.ids.length;
  }

  disposition(k: number): Disposition {
    return DISPOSITIONS[this.heads[k * HEAD + H_DISPOSITION]!]!;
  }

  /** Rows of event k. */
  rows(k: number): number {
    return this.heads[k * HEAD + H_ROWS]!;
  }

  /** Event k without its values (inputFlat/outputFlat answer empty lists; see read() and flats()). */
  event(k: number): PredictionEvent {
    const { heads, words } = this;
    const h = k * HEAD;
    const e: PredictionEvent = {
      deployment: words[heads[h + H_DEPLOYMENT]!]!, revision: heads[h + H_REVISION]!, model: words[heads[h + H_MODEL]!]!,
      modelVersion: words[heads[h + H_VERSION]!]!, route: ROUTES[heads[h + H_ROUTE]!]!, requestId: this.ids[k]!, ts: heads[h + H_TS]!,
      latencyUs: heads[h + H_LATENCY]!, status: STATUSES[heads[h + H_STATUS]!]!, rows: heads[h + H_ROWS]!, inputFlat: noInputs, outputFlat: noOutputs,
    };
    const error = heads[h + H_ERROR]!;
    if (error >= 0) e.error = words[error]!;
    return e;
  }

  private widthsOf(text: string): number[] {
    let w = this.widthLists.get(text);
    if (!w) this.widthLists.set(text, (w = text ? text.split(',').map(Number) : []));
    return w;
  }

  /** Event k's inputs and outputs into `inputs` and `outputs` (as columns, or as the flat list they came as). */
  read(k: number, inputs: Side, outputs: Side): void {
    const { heads } = this;
    const h = k * HEAD;
    const rows = heads[h + H_ROWS]!;
    this.t = heads[h + H_TAG_AT]!;
    this.n = heads[h + H_NUM_AT]!;
    this.s = heads[h + H_TEXT_AT]!;
    inputs.names = this.names[heads[h + H_IN_NAMES]!]!;
    inputs.widths = [];
    this.side(inputs, heads[h + H_IN_COUNT]!, inputs.names.length, rows);
    outputs.names = this.names[heads[h + H_OUT_NAMES]!]!;
    outputs.widths = this.widthsOf(this.words[heads[h + H_WIDTHS]!]!);
    this.side(outputs, heads[h + H_OUT_COUNT]!, sumOf(outputs.widths), rows);
  }

  private side(side: Side, count: number, columns: number, rows: number): void {
    side.count = 0;
    if (count !== COLUMNS) {
      side.flat = this.values(count);
      return;
    }
    side.flat = null;
    side.reserve(columns);
    const { kind, at, list } = side;
    for (let j = 0; j < columns; j++) {
      const tag = this.tags[this.t++];
      if (tag === COL_NUM || tag === COL_STR) {
        kind[j] = tag === COL_NUM ? K_NUM : K_STR;
        at[j] = this.n;
        this.n += rows;
      } else {
        kind[j] = K_LIST;
        list[j] = this.values(rows);
      }
    }
    side.count = columns;
  }

  private values(count: number): unknown[] {
    const { tags, nums, texts } = this;
    const out = new Array<unknown>(count);
    for (let j = 0; j < count; j++) {
      const tag = tags[this.t++];
      out[j] = tag === TAG_NUM ? nums[this.n++] : tag === TAG_STR ? texts[this.s++] : tag === TAG_TRUE ? true : tag === TAG_FALSE ? false : null;
    }
    return out;
  }

  /** Value r of column j, as serving reports it (a missing value is null). */
  valueAt(side: Side, j: number, r: number): unknown {
    const kind = side.kind[j];
    if (kind === K_LIST) return side.list[j]![r];
    const x = this.nums[side.at[j]! + r]!;
    if (x !== x) return null;
    return kind === K_NUM ? x : this.strings[x];
  }

  /** A side's values row after row (its flat list, or its columns read row by row). */
  rowMajor(side: Side, rows: number): unknown[] {
    if (side.flat) return side.flat;
    const width = side.count;
    const values = new Array<unknown>(rows * width);
    const { nums, strings } = this;
    for (let j = 0; j < width; j++) {
      const kind = side.kind[j];
      const at = side.at[j]!;
      if (kind === K_NUM) {
        for (let r = 0, i = j; r < rows; r++, i += width) {
          const x = nums[at + r]!;
          values[i] = x === x ? x : null;
        }
      } else if (kind === K_STR) {
        for (let r = 0, i = j; r < rows; r++, i += width) {
          const x = nums[at + r]!;
          values[i] = x === x ? strings[x] : null;
        }
      } else {
        const list = side.list[j]!;
        for (let r = 0, i = j; r < rows; r++, i += width) values[i] = list[r];
      }
    }
    return values;
  }

  /** Event k's values as row-major lists (what serving's inputFlat()/outputFlat() answered). */
  flats(k: number): { inputs: FlatInputs; outputs: FlatOutputs } {
    const ins = new Side();
    const outs = new Side();
    this.read(k, ins, outs);
    const rows = this.rows(k);
    return { inputs: { names: ins.names, values: this.rowMajor(ins, rows) }, outputs: { names: outs.names, widths: outs.widths, values: this.rowMajor(outs, rows) } };
  }
}

/** The events of a packed batch, each with its values as row-major lists. */
export function unpack(batch: PackedBatch): PackedEvent[] {
  const reader = new BatchReader(batch);
  const out: PackedEvent[] = new Array(reader.size);
  for (let k = 0; k < reader.size; k++) {
    const { inputs, outputs } = reader.flats(k);
    const e = reader.event(k);
    e.inputFlat = () => inputs;
    e.outputFlat = () => outputs;
    out[k] = { e, disposition: reader.disposition(k) };
  }
  return out;
}
