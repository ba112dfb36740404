// Exact-as-possible distinct and duplicate detection in bounded, compact memory: an open-addressing table
// (linear probing) of 64-bit value fingerprints held in typed arrays, not a Set of the values themselves
// (a Set<string> costs 50+ bytes per value plus the strings). Numbers, datetimes and booleans are stored
// as their own 64 bits, so for them the table is exact. Strings are stored as a 64-bit hash: two strings
// with the same hash count as one value, so a check may report a false duplicate (or undercount distinct
// values) with probability about n²/2^65 for n distinct strings — ~3e-6 for 10 million. It cannot miss a
// real duplicate.
//
// Memory: 9 bytes per slot (hash + state), 17 with first-occurrence rows and lines; the table doubles at
// 70% load, so 13–50 bytes per distinct value. `maxValues` bounds it; past it add() answers FULL.

export const ADDED = 0;
/** The value's second occurrence: lastFirstRow/lastFirstLine say where the first one was. */
export const REPEAT_FIRST = 1;
export const REPEAT = 2;
export const FULL = 3;
export type AddOutcome = typeof ADDED | typeof REPEAT_FIRST | typeof REPEAT | typeof FULL;

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
/** The fingerprint of the last hashed value (module scratch: no allocation per value). */
let HASH_HI = 0;
let HASH_LO = 0;

function hashNumber(x: number): void {
  f64[0] = x === 0 ? 0 : x; // -0 and 0 are one value
  HASH_LO = u32[0];
  HASH_HI = u32[1];
}

/** cyrb53's two multiplicative lanes, both kept (64 bits) instead of folded to 53. */
function hashString(s: string): void {
  let h1 = 0xdeadbeef ^ s.length;
  let h2 = 0x41c6ce57 ^ s.length;
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  HASH_HI = h1 >>> 0;
  HASH_LO = h2 >>> 0;
}

function hashScalar(v: number | string | boolean): void {
  if (typeof v === 'number') hashNumber(v);
  else if (typeof v === 'string') hashString(v);
  else hashNumber(v ? 1 : 0);
}

/** Slot index from a fingerprint: raw number bits are not uniform, so mix them (murmur3's fmix32). */
function mix(hi: number, lo: number): number {
  let h = lo ^ Math.imul(hi, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export class FingerprintSet {
  /** Distinct fingerprints held. */
  size = 0;
  /** Fingerprints seen exactly once so far. */
  singletons = 0;
  lastFirstRow = 0;
  lastFirstLine = 0;
  private cap = 1024;
  private hi = new Uint32Array(this.cap);
  private lo = new Uint32Array(this.cap);
  /** 0 empty, 1 seen once, 2 seen more than once. */
  private state = new Uint8Array(this.cap);
  private rows: Uint32Array | null;
  private lines: Uint32Array | null = null;

  constructor(
    readonly maxValues: number,
    private readonly trackRows = false,
  ) {
    this.rows = trackRows ? new Uint32Array(this.cap) : null;
  }

  /** Adds a value seen at `row` (and file `line`, 0 = unknown). */
  add(v: number | string | boolean, row = 0, line = 0): AddOutcome {
    hashScalar(v);
    const hi = HASH_HI;
    const lo = HASH_LO;
    const mask = this.cap - 1;
    let i = mix(hi, lo) & mask;
    for (;;) {
      const st = this.state[i];
      if (st === 0) break;
      if (this.hi[i] === hi && this.lo[i] === lo) {
        if (st === 2) return REPEAT;
        this.state[i] = 2;
        this.singletons--;
        this.lastFirstRow = this.rows ? this.rows[i] : 0;
        this.lastFirstLine = this.lines ? this.lines[i] : 0;
        return REPEAT_FIRST;
      }
      i = (i + 1) & mask;
    }
    if (this.size >= this.maxValues) return FULL;
    if (line !== 0 && this.trackRows && this.lines === null) this.lines = new Uint32Array(this.cap);
    this.put(i, hi, lo, 1, row, line);
    this.size++;
    this.singletons++;
    if (this.size * 10 > this.cap * 7) this.grow();
    return ADDED;
  }

  private put(i: number, hi: number, lo: number, st: number, row: number, line: number): void {
    this.hi[i] = hi;
    this.lo[i] = lo;
    this.state[i] = st;
    if (this.rows) this.rows[i] = row > 0xffffffff ? 0 : row;
    if (this.lines) this.lines[i] = line;
  }

  private grow(): void {
    const { hi, lo, state, rows, lines } = this;
    const old = this.cap;
    this.cap *= 2;
    this.hi = new Uint32Array(this.cap);
    this.lo = new Uint32Array(this.cap);
    this.state = new Uint8Array(this.cap);
    this.rows = rows ? new Uint32Array(this.cap) : null;
    this.lines = lines ? new Uint32Array(this.cap) : null;
    const mask = this.cap - 1;
    for (let j = 0; j < old; j++) {
      if (state[j] === 0) continue;
      let i = mix(hi[j], lo[j]) & mask;
      while (this.state[i] !== 0) i = (i + 1) & mask;
      this.put(i, hi[j], lo[j], state[j], rows ? rows[j] : 0, lines ? lines[j] : 0);
    }
  }
}

/** A value's 64-bit fingerprint as [hi, lo] (for tests and diagnostics). */
export function fingerprint(v: number | string | boolean): [number, number] {
  hashScalar(v);
  return [HASH_HI, HASH_LO];
}
