/**
 * Prediction events packed for the monitoring thread. Everything goes into typed arrays that are transferred,
 * not copied (and handed back to be packed into again): per event a head of numbers, and its values; the rest
 * — request ids, names, strings — is one small JSON string. A structured clone per event would cost more than
 * the logging work it moves off the event loop.
 *
 * The log packs each event as it arrives (BatchPacker). Values that serving reported as tensors (the usual
 * case) are copied straight from them, column after column: a numeric column is `rows` numbers in `nums` (NaN:
 * missing), a text column `rows` indexes into the batch's table of distinct strings (NaN: missing); nothing
 * is built per row on the event loop. Values given as plain lists (tests, other observers) keep their
 * row-major order with a tag per value. BatchReader reads a batch back on the thread, column by column.
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

/** Where packing buffers come from and go back to (the monitoring thread hands them back to be reused). */
export interface BufferSource {
  /** An ArrayBuffer of at least `bytes`, a multiple of 8. */
  take(bytes: number): ArrayBuffer;
  give(buffer: ArrayBuffer): void;
}

const allocate: BufferSource = { take: (bytes) => new ArrayBuffer(Math.ceil(bytes / 8) * 8), give: () => {} };

/** Largest buffer kept for reuse, and the largest a new batch starts with (a burst's batch grows past it). */
const MAX_KEPT_BYTES = 8 * 1024 * 1024;

/**
 * Buffers handed back, reused: batches then neither allocate nor zero fresh memory (and external memory does
 * not grow between collections). Sizes are powers of two (at least 64 KiB), so a returned buffer fits again.
 */
export class BufferPool implements BufferSource {
  private free: ArrayBuffer[] = [];
  take(bytes: number): ArrayBuffer {
    let best = -1;
    for (let i = 0; i < this.free.length; i++) if (this.free[i]!.byteLength >= bytes && (best < 0 || this.free[i]!.byteLength < this.free[best]!.byteLength)) best = i;
    if (best >= 0) return this.free.splice(best, 1)[0]!;
    return new ArrayBuffer(Math.max(65536, 2 ** Math.ceil(Math.log2(Math.max(1, bytes)))));
  }
  give(buffer: ArrayBuffer): void {
    // Buffers of a burst (beyond MAX_KEPT_BYTES) are left to the collector rather than kept.
    if (this.free.length < 8 && buffer.byteLength >= 65536 && buffer.byteLength <= MAX_KEPT_BYTES && !this.free.includes(buffer)) this.free.push(buffer);
  }
}

const MIN_VALUES = 1024;
const MIN_EVENTS = 64;

/**
 * Packs events one at a time as the log receives them (so that nothing of a request outlives its call:
 * its tensors are copied at once, and no event object waits for the flush). finish() hands the batch over
 * and starts the next one.
 */
export class BatchPacker {
  private names = new NameTable();
  private words = new WordTable();
  private deployments = new LastWord(this.words);
  private models = new LastWord(this.words);
  private versions = new LastWord(this.words);
  private lastWidths: number[] = [];
  private lastWidthsId = 0;
  private ids: string[] = [];
  /** Distinct strings of the batch's text columns; a value travels as its index (categories repeat from row to row). */
  private strings: string[] = [];
  private stringIds = new Map<string, number>();
  /** Strings of plain lists, in order. */
  private texts: string[] = [];
  private nums: Float64Array;
  private tags: Uint8Array;
  private heads: Float64Array;
  private n = 0;
  private t = 0;
  private events = 0;
  /** Rows to store per deployment (what a failed hand-over counts as write_failed). */
  stored = new Map<string, number>();

  constructor(private readonly buffer: BufferSource = allocate) {
    this.nums = new Float64Array(buffer.take(8 * MIN_VALUES));
    this.tags = new Uint8Array(buffer.take(MIN_VALUES));
    this.heads = new Float64Array(buffer.take(8 * HEAD * MIN_EVENTS));
    this.lastWidthsId = this.words.id('');
  }

  /** Events packed since the last finish(). */
  get size(): number {
    return this.events;
  }

  add(e: PredictionEvent, disposition: Disposition): void {
    const inputs = disposition === 'dropped' ? EMPTY_IN : e.inputFlat();
    const outputs = disposition === 'dropped' ? EMPTY_OUT : e.outputFlat();
    const rows = e.rows;
    const inTensors = tensorSource(inputs.tensors, inputs.tensorWidths, rows);
    const outTensors = tensorSource(outputs.tensors, outputs.widths, rows);
    // Upper bound of the event's numbers and tags: a tag per value, plus one per column.
    const need = (inTensors ? (rows + 1) * sumOf(inputs.tensorWidths!) : inputs.values.length) + (outTensors ? (rows + 1) * sumOf(outputs.widths) : outputs.values.length);
    this.reserve(need);
    const heads = this.heads;
    const h = this.events * HEAD;
    heads[h + H_TAG_AT] = this.t;
    heads[h + H_NUM_AT] = this.n;
    heads[h + H_TEXT_AT] = this.texts.length;
    let inCount = COLUMNS;
    if (inTensors) this.tensors(inputs.tensors!, inputs.tensorWidths!, rows);
    else {
      this.list(inputs.values);
      inCount = inputs.values.length;
    }
    let outCount = COLUMNS;
    if (outTensors) this.tensors(outputs.tensors!, outputs.widths, rows);
    else {
      this.list(outputs.values);
      outCount = outputs.values.length;
    }
    const w = outputs.widths;
    if (w !== this.lastWidths && (w.length !== this.lastWidths.length || w.some((x, j) => x !== this.lastWidths[j]))) this.lastWidthsId = this.words.id(w.join(','));
    this.lastWidths = w;
    this.ids.push(e.requestId);
    heads[h + H_ROWS] = rows;
    heads[h + H_REVISION] = e.revision;
    heads[h + H_ROUTE] = e.route === 'main' ? 0 : 1;
    heads[h + H_TS] = e.ts;
    heads[h + H_LATENCY] = e.latencyUs;
    heads[h + H_STATUS] = STATUSES.indexOf(e.status);
    heads[h + H_DISPOSITION] = DISPOSITIONS.indexOf(disposition);
    heads[h + H_IN_NAMES] = this.names.id(inputs.names);
    heads[h + H_OUT_NAMES] = this.names.id(outputs.names);
    heads[h + H_WIDTHS] = this.lastWidthsId;
    heads[h + H_IN_COUNT] = inCount;
    heads[h + H_OUT_COUNT] = outCount;
    heads[h + H_DEPLOYMENT] = this.deployments.id(e.deployment);
    heads[h + H_MODEL] = this.models.id(e.model);
    heads[h + H_VERSION] = this.versions.id(e.modelVersion);
    heads[h + H_ERROR] = e.error === undefined ? -1 : this.words.id(e.error);
    this.events++;
    if (disposition === 'store') this.stored.set(e.deployment, (this.stored.get(e.deployment) ?? 0) + Math.max(1, rows));
  }

  /** The batch so far (its typed arrays are views of buffers that now belong to the caller); the packer starts afresh. */
  finish(): PackedBatch {
    const batch: PackedBatch = {
      meta: JSON.stringify({ ids: this.ids, words: this.words.words, names: this.names.lists, strings: this.strings, texts: this.texts }),
      heads: this.heads.subarray(0, this.events * HEAD),
      tags: this.tags.subarray(0, this.t),
      nums: this.nums.subarray(0, this.n),
    };
    // Buffers for the next batch, as large as this one's up to a bound (they come back from the thread once it is done).
    this.nums = new Float64Array(this.buffer.take(Math.min(this.nums.byteLength, MAX_KEPT_BYTES)));
    this.tags = new Uint8Array(this.buffer.take(Math.min(this.tags.byteLength, MAX_KEPT_BYTES)));
    this.heads = new Float64Array(this.buffer.take(Math.min(this.heads.byteLength, MAX_KEPT_BYTES)));
    this.names = new NameTable();
    this.words = new WordTable();
    this.deployments = new LastWord(this.words);
    this.models = new LastWord(this.words);
    this.versions = new LastWord(this.words);
    this.lastWidths = [];
    this.lastWidthsId = this.words.id('');
    this.ids = [];
    this.strings = [];
    this.stringIds = new Map();
    this.texts = [];
    this.n = 0;
    this.t = 0;
    this.events = 0;
    this.stored = new Map();
    return batch;
  }

  /** Room for `values` more numbers and tags, and one more head. */
  private reserve(values: number): void {
    if (this.n + values > this.nums.length) this.nums = grow(this.nums, this.n, this.n + values, this.buffer, 8);
    if (this.t + values > this.tags.length) this.tags = grow(this.tags, this.t, this.t + values, this.buffer, 1);
    const h = (this.events + 1) * HEAD;
    if (h > this.heads.length) this.heads = grow(this.heads, this.events * HEAD, h, this.buffer, 8);
  }

  private stringId(v: string): number {
    let id = this.stringIds.get(v);
    if (id === undefined) this.stringIds.set(v, (id = this.strings.push(v) - 1));
    return id;
  }

  private value(v: unknown): void {
    if (typeof v === 'number') {
      this.tags[this.t++] = TAG_NUM;
      this.nums[this.n++] = v;
    } else if (typeof v === 'string') {
      this.tags[this.t++] = TAG_STR;
      this.texts.push(v);
    } else if (v === true || v === false) this.tags[this.t++] = v ? TAG_TRUE : TAG_FALSE;
    else this.tags[this.t++] = TAG_NULL;
  }

  private list(values: unknown[]): void {
    for (let j = 0; j < values.length; j++) this.value(values[j]);
  }

  /** Each tensor's w columns, column after column, each as serving reports values (see valueAt in serving). */
  private tensors(tensors: TensorValue[], widths: number[], rows: number): void {
    const nums = this.nums;
    const tags = this.tags;
    for (let k = 0; k < tensors.length; k++) {
      const t = tensors[k]!;
      const w = widths[k]!;
      const d = t.data;
      for (let i = 0; i < w; i++) {
        let n = this.n;
        switch (t.type) {
          case 'float32':
          case 'float64': {
            tags[this.t++] = COL_NUM;
            const f = d as Float32Array | Float64Array;
            // A non-finite number is reported as missing.
            for (let r = 0, at = i; r < rows; r++, at += w) {
              const x = f[at]!;
              nums[n++] = x - x === 0 ? x : NaN;
            }
            break;
          }
          case 'int64': {
            tags[this.t++] = COL_NUM;
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
            tags[this.t++] = COL_NUM;
            const a = d as Int32Array;
            for (let r = 0, at = i; r < rows; r++, at += w) nums[n++] = a[at]!;
            break;
          }
          case 'string': {
            tags[this.t++] = COL_STR;
            const a = d as string[];
            // Missing text ("") is NaN.
            for (let r = 0, at = i; r < rows; r++, at += w) {
              const v = a[at];
              nums[n++] = v === '' || typeof v !== 'string' ? NaN : this.stringId(v);
            }
            break;
          }
          case 'bool': {
            tags[this.t++] = COL_ANY;
            const a = d as Uint8Array;
            for (let r = 0, at = i; r < rows; r++, at += w) tags[this.t++] = a[at] !== 0 ? TAG_TRUE : TAG_FALSE;
            break;
          }
          default: {
            // An element type this codec does not know: values as the generic reader would give them.
            tags[this.t++] = COL_ANY;
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

/** A larger array (twice, or what is needed) from `buffer`, holding the first `used` elements of `a`. */
function grow<T extends Float64Array | Uint8Array>(a: T, used: number, need: number, buffer: BufferSource, bytesPer: number): T {
  const length = Math.max(need, 2 * a.length);
  const next = (bytesPer === 8 ? new Float64Array(buffer.take(8 * length)) : new Uint8Array(buffer.take(length))) as T;
  next.set(a.subarray(0, used) as never);
  buffer.give(a.buffer as ArrayBuffer);
  return next;
}

/** Packs a list of events into one batch (buffers of the exact size unless a pool is given). */
export function pack(events: PackedEvent[], buffer: BufferSource = allocate): PackedBatch {
  const p = new BatchPacker(buffer);
  for (const { e, disposition } of events) p.add(e, disposition);
  return p.finish();
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
    const doubles = this.doublesRowMajor(side, rows);
    if (doubles) return doubles;
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

  /**
   * A side of numbers only, none missing (model outputs, typically), as an array of unboxed doubles (which
   * JSON.stringify writes a fifth faster than boxed numbers); null when the side has text or a missing value.
   */
  private doublesRowMajor(side: Side, rows: number): number[] | null {
    const width = side.count;
    for (let j = 0; j < width; j++) if (side.kind[j] !== K_NUM) return null;
    const { nums } = this;
    const at = side.at;
    // A literal with a fraction makes an array of doubles; pushing numbers keeps it one.
    const out = [0.5];
    out.length = 0;
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < width; j++) {
        const x = nums[at[j]! + r]!;
        if (x !== x) return null;
        out.push(x);
      }
    }
    return out;
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
