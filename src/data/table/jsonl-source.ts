// A JSON Lines file as batches of parsed objects, read in large chunks through one reusable buffer (a line
// longer than the buffer grows it, up to MAX_LINE_BYTES). Every error names the 1-based line.
import { DataFileError } from '../../errors.js';
import { checkAbort, FileChunks, Progress } from './file-chunks.js';
import type { ScanOptions } from './types.js';
import { firstInvalidUtf8, validUtf8 } from './utf8.js';

const CHUNK_BYTES = 8 << 20;
const MAX_LINE_BYTES = 256 << 20;
const LF = 0x0a;
const CR = 0x0d;

export type JsonRecord = Record<string, unknown>;

export interface RawJsonBatch {
  firstRow: number;
  records: JsonRecord[];
  lines: Uint32Array;
}

function isBlank(buf: Uint8Array, s: number, e: number): boolean {
  for (let i = s; i < e; i++) {
    const c = buf[i];
    if (c !== 0x20 && c !== 0x09 && c !== CR) return false;
  }
  return true;
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  return Array.isArray(v) ? 'an array' : `a ${typeof v}`;
}

export async function* jsonlBatches(
  path: string,
  o: Pick<ScanOptions, 'batchRows' | 'signal' | 'onProgress' | 'chunkBytes' | 'range' | 'rangeInfo'>,
): AsyncGenerator<RawJsonBatch> {
  const file = await FileChunks.open(path);
  try {
    if (file.size === 0) throw new DataFileError('the file is empty');
    const first = o.range?.start ?? 0;
    const stop = o.range?.stop ?? file.size;
    const progress = new Progress(first, stop, o.onProgress);
    let buf = Buffer.allocUnsafe(Math.max(4, Math.min(o.chunkBytes ?? CHUNK_BYTES, file.size - first)));
    file.seek(first);
    let base = first; // file offset of buf[0]
    let start = 0;
    let end = 0;
    let line = 1;
    let firstRow = 1;
    let records: JsonRecord[] = [];
    let lines: number[] = [];
    for (;;) {
      checkAbort(o.signal);
      if (start > 0) {
        buf.copyWithin(0, start, end);
        end -= start;
        base += start;
        start = 0;
      }
      if (end === buf.length) {
        if (buf.length >= MAX_LINE_BYTES) throw new DataFileError(`a line longer than ${MAX_LINE_BYTES >> 20} MB`, { line });
        const bigger = Buffer.allocUnsafe(Math.min(buf.length * 2, MAX_LINE_BYTES));
        buf.copy(bigger, 0, 0, end);
        buf = bigger;
      }
      end += await file.read(buf, end, buf.length - end);
      progress.tick(base);
      const eof = file.done;
      // Whole lines only, so the UTF-8 check and the decoding never split a character; none past the range's end.
      let last = eof ? end : buf.lastIndexOf(LF, end - 1) + 1;
      if (base + last > stop) {
        const nl = buf.indexOf(LF, Math.max(0, stop - base - 1));
        last = Math.min(last, nl < 0 ? end : nl + 1);
      }
      if (last > start && !validUtf8(buf, start, last)) {
        const bad = firstInvalidUtf8(buf, start, last);
        let l = line;
        let ls = start;
        for (let i = start; i < bad; i++) if (buf[i] === LF) [l, ls] = [l + 1, i + 1];
        throw new DataFileError(
          `bytes that are not UTF-8 (byte 0x${buf[bad].toString(16).toUpperCase()} at byte ${bad - ls + 1} of the line); save the file as UTF-8`,
          { line: l },
        );
      }
      while (start < last) {
        let nl = buf.indexOf(LF, start);
        if (nl < 0 || nl >= last) nl = last;
        const s = base + start === 0 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : start;
        if (!isBlank(buf, s, nl)) {
          const text = buf.toString('utf8', s, nl);
          let v: unknown;
          try {
            v = JSON.parse(text);
          } catch (err) {
            throw new DataFileError(`not valid JSON (${(err as Error).message})`, { line });
          }
          if (typeof v !== 'object' || v === null || Array.isArray(v)) {
            throw new DataFileError(`expected one JSON object per line, found ${kindOf(v)}`, { line });
          }
          records.push(v as JsonRecord);
          lines.push(line);
          if (records.length >= o.batchRows) {
            yield { firstRow, records, lines: Uint32Array.from(lines) };
            firstRow += records.length;
            records = [];
            lines = [];
          }
        }
        line++;
        start = Math.min(nl + 1, end);
      }
      if (eof || base + start >= stop) break;
    }
    if (records.length > 0) yield { firstRow, records, lines: Uint32Array.from(lines) };
    if (o.rangeInfo) {
      o.rangeInfo.endOffset = base + start;
      o.rangeInfo.endLine = line;
    }
    progress.tick(stop, true);
  } finally {
    await file.close();
  }
}
