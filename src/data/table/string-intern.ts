// Category columns repeat a few values millions of times. Decoding each cell makes a new string (allocation, GC, and
// a fresh hash for every Map lookup in the frequent-items sketch); looking the bytes up in a small table returns the
// one string already made. A column whose values keep missing (ids, free text) turns the table off.

const SLOTS = 4096; // power of two; at most SLOTS / 2 entries, so probes stay short
const MAX_ENTRY_BYTES = 64;
const ARENA_BYTES = (SLOTS / 2) * 24;
const TRIAL = 8192; // lookups before judging the hit rate

export class StringInterner {
  private readonly slots = new Int32Array(SLOTS).fill(-1);
  private readonly strings: string[] = [];
  private readonly offsets: number[] = [];
  private readonly lengths: number[] = [];
  private readonly arena = new Uint8Array(ARENA_BYTES);
  private used = 0;
  private lookups = 0;
  private hits = 0;
  /** False once the column proved not to repeat itself. */
  enabled = true;

  /** The string for bytes [s, e), from the table or made by `decode` (and remembered while there is room). */
  get(buf: Uint8Array, s: number, e: number, decode: (buf: Uint8Array, s: number, e: number) => string): string {
    const len = e - s;
    if (len > MAX_ENTRY_BYTES) return decode(buf, s, e);
    let h = 0x811c9dc5 ^ len;
    for (let i = s; i < e; i++) h = Math.imul(h ^ buf[i], 0x01000193);
    const mask = SLOTS - 1;
    let slot = (h ^ (h >>> 15)) & mask;
    const { slots, arena, lengths, offsets } = this;
    this.lookups++;
    for (;;) {
      const k = slots[slot];
      if (k < 0) break;
      if (lengths[k] === len) {
        const o = offsets[k];
        let i = 0;
        while (i < len && arena[o + i] === buf[s + i]) i++;
        if (i === len) {
          this.hits++;
          return this.strings[k];
        }
      }
      slot = (slot + 1) & mask;
    }
    const str = decode(buf, s, e);
    if (this.strings.length < SLOTS / 2 && this.used + len <= ARENA_BYTES) {
      slots[slot] = this.strings.length;
      this.strings.push(str);
      offsets.push(this.used);
      lengths.push(len);
      arena.set(buf.subarray(s, e), this.used);
      this.used += len;
    } else if (this.lookups >= TRIAL && this.hits < this.lookups / 2) {
      this.enabled = false;
    }
    return str;
  }
}
