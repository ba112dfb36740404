/** The layout of packed prediction events (see event-codec.ts): head slots, value tags, batch shape. */
import type { PredictionEvent } from '../serving/index.js';

export const ROUTES = ['main', 'shadow'] as const;
export const STATUSES = ['ok', 'client_error', 'error'] as const;

/** What the log decided for the event on the main thread. */
export type Disposition = 'store' | 'sample_out' | 'dropped';
export const DISPOSITIONS: Disposition[] = ['store', 'sample_out', 'dropped'];

export interface PackedEvent {
  e: PredictionEvent;
  disposition: Disposition;
}

export interface PackedBatch {
  /**
   * JSON: {ids (request ids), words (deployments, models, versions, widths, errors, A/B tests, unit fields), names
   * (lists), strings (distinct, of text columns), texts (of plain lists), units (A/B test units, in order)}.
   */
  meta: string;
  /** Per event, HEAD numbers (see H_*). */
  heads: Float64Array;
  /** A tag per column (tensor values) or per value (plain lists). */
  tags: Uint8Array;
  /** The numbers, in order of their tags. */
  nums: Float64Array;
}

/**
 * What a packer added since the last delta (or the batch's start): the new entries of the meta's lists (ids,
 * words, names, strings, texts, units) and the new heads, tags and numbers. A batch's deltas, concatenated, are
 * the batch (the prediction journal writes one per event).
 */
export interface PackedDelta {
  lists: [string[], string[], string[][], string[], string[], string[]];
  heads: Float64Array;
  tags: Uint8Array;
  nums: Float64Array;
}

// The numbers of an event's head.
export const H_ROWS = 0;
export const H_REVISION = 1;
export const H_ROUTE = 2;
export const H_TS = 3;
export const H_LATENCY = 4;
export const H_STATUS = 5;
export const H_DISPOSITION = 6;
export const H_IN_NAMES = 7;
export const H_OUT_NAMES = 8;
export const H_WIDTHS = 9; // a word: the output widths, comma-separated
export const H_IN_COUNT = 10; // values in a row-major list, or COLUMNS
export const H_OUT_COUNT = 11;
export const H_TAG_AT = 12; // where the event's tags, numbers and texts start
export const H_NUM_AT = 13;
export const H_TEXT_AT = 14;
export const H_DEPLOYMENT = 15; // words
export const H_MODEL = 16;
export const H_VERSION = 17;
export const H_ERROR = 18; // a word, or -1
export const H_UNIT = 19; // an index into the batch's units, or -1 (no A/B test)
export const H_ABTEST = 20; // a word, or -1
export const H_UNIT_FIELD = 21; // a word (the sticky key the unit is the value of), or -1 (the unit is the request id)
export const HEAD = 22;

// Value tags (plain lists, and columns of mixed values).
export const TAG_NULL = 0;
export const TAG_NUM = 1;
export const TAG_STR = 2;
export const TAG_TRUE = 3;
export const TAG_FALSE = 4;
// Column tags: what the column's `rows` values are.
export const COL_NUM = 5; // numbers in nums (NaN: missing)
export const COL_STR = 6; // indexes into the batch's strings, in nums (NaN: missing)
export const COL_ANY = 7; // a value tag each

/** A side (inputs or outputs) sent as columns rather than a row-major list. */
export const COLUMNS = -1;

/** Sum of a list of widths. */
export function sumOf(xs: number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}
