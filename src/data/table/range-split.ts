// Cuts a CSV / JSON Lines file into byte ranges that start at line starts, for one worker each. A cut is only a
// guess for CSV (a quoted field may hold the newline it lands after); readers check it: the range before must end
// exactly where the next begins, or the file is read in one piece.
import { open } from 'node:fs/promises';

/**
 * Range sizes: one range per thread (each range costs a worker's sketch warm-up and a merge, so no more than needed),
 * but none under MIN_RANGE_BYTES (not worth a thread) and none over MAX_RANGE_BYTES (so threads that run at
 * different speeds still finish together, and progress moves).
 */
export const MIN_RANGE_BYTES = 16 << 20;
export const MAX_RANGE_BYTES = 256 << 20;

export function rangeBytesFor(size: number, threads: number): number {
  return Math.min(MAX_RANGE_BYTES, Math.max(MIN_RANGE_BYTES, Math.ceil(size / threads)));
}
const WINDOW = 64 << 10;
const MAX_SEARCH = 4 << 20;

/** Ranges [start, stop) covering [0, size); the first holds the header (if any) and data from `dataStart`. */
export async function splitRanges(file: string, dataStart: number, size: number, rangeBytes: number): Promise<{ start: number; stop: number }[]> {
  const cuts: number[] = [];
  if (size - dataStart > rangeBytes) {
    const fh = await open(file, 'r');
    try {
      const buf = Buffer.allocUnsafe(WINDOW);
      for (let at = dataStart + rangeBytes; at < size - rangeBytes / 2; at += rangeBytes) {
        const cut = await nextLineStart(fh, buf, Math.max(at, (cuts[cuts.length - 1] ?? dataStart) + 1), size);
        if (cut !== null && cut < size) cuts.push(cut);
      }
    } finally {
      await fh.close();
    }
  }
  const bounds = [0, ...cuts, size];
  return bounds.slice(0, -1).map((start, i) => ({ start, stop: bounds[i + 1] }));
}

/** The offset after the first LF at or after `from` (searching at most MAX_SEARCH bytes), or null. */
async function nextLineStart(fh: import('node:fs/promises').FileHandle, buf: Buffer, from: number, size: number): Promise<number | null> {
  for (let pos = from - 1; pos < size && pos < from + MAX_SEARCH; pos += buf.length) {
    const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
    if (bytesRead === 0) return null;
    const i = buf.subarray(0, bytesRead).indexOf(0x0a);
    if (i >= 0) return pos + i + 1;
  }
  return null;
}
