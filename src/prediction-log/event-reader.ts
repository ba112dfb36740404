/** Reading a packed batch back on the monitoring thread, column by column (see event-codec.ts). */
import type { FlatInputs, FlatOutputs, PredictionEvent } from '../serving/index.js';
import {
  ROUTES,
  STATUSES,
  type Disposition,
  DISPOSITIONS,
  type PackedEvent,
  type PackedBatch,
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
  TAG_NUM,
  TAG_STR,
  TAG_TRUE,
  TAG_FALSE,
  COL_NUM,
  COL_STR,
  COLUMNS,
  sumOf,
} from './event-format.js';

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
  readonly units: string[];
  readonly tags: Uint8Array;
  readonly nums: Float64Array;
  private widthLists = new Map<string, number[]>();
  /** Read cursors (tags, numbers, texts). */
  private t = 0;
  private n = 0;
  private s = 0;

  /** The batch's lasting name (see BatchPacker.finish), if it has one. */
  readonly key: string | undefined;

  constructor(batch: PackedBatch) {
    const meta = JSON.parse(batch.meta) as {
      ids: string[];
      words: string[];
      names: string[][];
      strings: string[];
      texts: string[];
      units?: string[];
      key?: string;
    };
    this.key = meta.key;
    this.ids = meta.ids;
    this.words = meta.words;
    this.names = meta.names;
    this.strings = meta.strings;
    this.texts = meta.texts;
    this.units = meta.units ?? [];
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
      deployment: words[heads[h + H_DEPLOYMENT]!]!,
      revision: heads[h + H_REVISION]!,
      model: words[heads[h + H_MODEL]!]!,
      modelVersion: words[heads[h + H_VERSION]!]!,
      route: ROUTES[heads[h + H_ROUTE]!]!,
      requestId: this.ids[k]!,
      ts: heads[h + H_TS]!,
      latencyUs: heads[h + H_LATENCY]!,
      status: STATUSES[heads[h + H_STATUS]!]!,
      rows: heads[h + H_ROWS]!,
      inputFlat: noInputs,
      outputFlat: noOutputs,
    };
    const error = heads[h + H_ERROR]!;
    if (error >= 0) e.error = words[error]!;
    const unit = heads[h + H_UNIT]!;
    if (unit >= 0) {
      e.unit = this.units[unit]!;
      e.abtest = words[heads[h + H_ABTEST]!]!;
      const field = heads[h + H_UNIT_FIELD]!;
      if (field >= 0) e.unitField = words[field]!;
    }
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
    return {
      inputs: { names: ins.names, values: this.rowMajor(ins, rows) },
      outputs: { names: outs.names, widths: outs.widths, values: this.rowMajor(outs, rows) },
    };
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
