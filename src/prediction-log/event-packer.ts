/** Packing prediction events into a batch of typed arrays as they arrive (the event loop side; see event-codec.ts). */
import type { FlatInputs, FlatOutputs, PredictionEvent, TensorValue } from '../serving/index.js';
import {
  STATUSES,
  type Disposition,
  DISPOSITIONS,
  type PackedEvent,
  type PackedBatch,
  type PackedDelta,
  H_ROWS,
  H_REVISION,
  H_ROUTE,
  H_TS,
  H_LATENCY,
  H_STATUS,
  H_DISPOSITION,
  H_IN_NAMES,
  H_OUT_NAMES,
  H_WIDTHS,
  H_IN_COUNT,
  H_OUT_COUNT,
  H_TAG_AT,
  H_NUM_AT,
  H_TEXT_AT,
  H_DEPLOYMENT,
  H_MODEL,
  H_VERSION,
  H_ERROR,
  H_UNIT,
  H_ABTEST,
  H_UNIT_FIELD,
  HEAD,
  TAG_NULL,
  TAG_NUM,
  TAG_STR,
  TAG_TRUE,
  TAG_FALSE,
  COL_NUM,
  COL_STR,
  COL_ANY,
  COLUMNS,
  sumOf,
} from './event-format.js';

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
    for (let i = 0; i < this.free.length; i++)
      if (this.free[i]!.byteLength >= bytes && (best < 0 || this.free[i]!.byteLength < this.free[best]!.byteLength)) best = i;
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
  /** Units of the requests an A/B test counts (mostly distinct: not words). */
  private units: string[] = [];
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
  /** Where the last delta ended: lengths of ids, words, names, strings, texts, units, then events, tags, numbers. */
  private mark = [0, 0, 0, 0, 0, 0, 0, 0, 0];

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
    const need =
      (inTensors ? (rows + 1) * sumOf(inputs.tensorWidths!) : inputs.values.length) + (outTensors ? (rows + 1) * sumOf(outputs.widths) : outputs.values.length);
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
    if (w !== this.lastWidths && (w.length !== this.lastWidths.length || w.some((x, j) => x !== this.lastWidths[j])))
      this.lastWidthsId = this.words.id(w.join(','));
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
    if (e.unit !== undefined && e.abtest !== undefined) {
      heads[h + H_UNIT] = this.units.push(e.unit) - 1;
      heads[h + H_ABTEST] = this.words.id(e.abtest);
      heads[h + H_UNIT_FIELD] = e.unitField === undefined ? -1 : this.words.id(e.unitField);
    } else {
      heads[h + H_UNIT] = -1;
      heads[h + H_ABTEST] = -1;
      heads[h + H_UNIT_FIELD] = -1;
    }
    this.events++;
    if (disposition === 'store') this.stored.set(e.deployment, (this.stored.get(e.deployment) ?? 0) + Math.max(1, rows));
  }

  /**
   * What was packed since the last delta (views of the packer's arrays and lists, valid until the next add): the
   * prediction journal writes it, so that a segment's deltas are its batch, byte for byte.
   */
  delta(): PackedDelta {
    const m = this.mark;
    const d: PackedDelta = {
      lists: [
        this.ids.slice(m[0]),
        this.words.words.slice(m[1]),
        this.names.lists.slice(m[2]),
        this.strings.slice(m[3]),
        this.texts.slice(m[4]),
        this.units.slice(m[5]),
      ],
      heads: this.heads.subarray(m[6]! * HEAD, this.events * HEAD),
      tags: this.tags.subarray(m[7], this.t),
      nums: this.nums.subarray(m[8], this.n),
    };
    this.mark = [
      this.ids.length,
      this.words.words.length,
      this.names.lists.length,
      this.strings.length,
      this.texts.length,
      this.units.length,
      this.events,
      this.t,
      this.n,
    ];
    return d;
  }

  /**
   * The batch so far (its typed arrays are views of buffers that now belong to the caller); the packer starts afresh.
   * `key` names the batch for good (its journal segment): the rows written from it get the same ids when it is
   * processed again after a crash, so that a replay stores nothing twice.
   */
  finish(key?: string): PackedBatch {
    const batch: PackedBatch = {
      meta: JSON.stringify({
        ids: this.ids,
        words: this.words.words,
        names: this.names.lists,
        strings: this.strings,
        texts: this.texts,
        units: this.units,
        ...(key !== undefined ? { key } : {}),
      }),
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
    this.units = [];
    this.strings = [];
    this.stringIds = new Map();
    this.texts = [];
    this.n = 0;
    this.t = 0;
    this.events = 0;
    this.stored = new Map();
    this.mark = [0, 0, 0, 0, 0, 0, 0, 0, 0];
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
export function pack(events: PackedEvent[], buffer: BufferSource = allocate, key?: string): PackedBatch {
  const p = new BatchPacker(buffer);
  for (const { e, disposition } of events) p.add(e, disposition);
  return p.finish(key);
}
