// A CSV file as a stream of tokenized batches: reads the file in large chunks into one reusable buffer, strips a
// BOM, sniffs the delimiter, reads the header, then hands out batches of field offsets into that buffer. Memory
// is the buffer (grown only for a row longer than it) plus one batch of offsets, whatever the file size.
import { DataFileError } from '../../errors.js';
import { CsvTokenizer, F_ESCAPED, F_QUOTED } from './csv-tokenizer.js';
import { checkAbort, FileChunks, Progress } from './file-chunks.js';
import type { ScanOptions } from './types.js';
import { firstInvalidUtf8, validUtf8 } from './utf8.js';

const CHUNK_BYTES = 8 << 20;
/** A single row (a quoted field, usually) may not exceed this: it has to fit one buffer and one string. */
export const MAX_ROW_BYTES = 256 << 20;
const DELIMITERS = [0x2c, 0x3b, 0x09, 0x7c]; // , ; \t |
const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

// Node's Buffer#utf8Slice (what toString('utf8', s, e) calls after argument checks): no view Buffer per field.
type SliceBuffer = Buffer & { utf8Slice(start: number, end: number): string };

/** Decodes bytes [s, e) of a Buffer as UTF-8. */
export function utf8(buf: Uint8Array, s: number, e: number): string {
  return (buf as SliceBuffer).utf8Slice(s, e);
}

/** Decodes one field. */
export function fieldText(buf: Buffer, s: number, e: number, flag: number): string {
  const t = (buf as SliceBuffer).utf8Slice(s, e);
  return flag & F_ESCAPED ? t.replaceAll('""', '"') : t;
}

/** A batch of rows: offsets into `buf`, valid only until the next batch is requested. */
export interface RawCsvBatch {
  buf: Buffer;
  tok: CsvTokenizer;
  /** 1-based data row number of the batch's first row. */
  firstRow: number;
}

/**
 * The delimiter that splits the header line most, counting outside quotes (',' when none appears), and how many
 * times it occurs there.
 */
export function sniffDelimiter(buf: Uint8Array, s: number, e: number, given?: number): { delimiter: number; count: number } {
  const counts = new Map<number, number>((given !== undefined ? [given] : DELIMITERS).map((d) => [d, 0]));
  let quoted = false;
  for (let i = s; i < e; i++) {
    const c = buf[i];
    if (c === QUOTE) quoted = !quoted;
    else if (!quoted && (c === LF || c === CR)) break;
    else if (!quoted && counts.has(c)) counts.set(c, counts.get(c)! + 1);
  }
  let best = given ?? DELIMITERS[0];
  for (const d of counts.keys()) if (counts.get(d)! > counts.get(best)!) best = d;
  return { delimiter: best, count: counts.get(best)! };
}

export class CsvSource {
  names: string[] = [];
  delimiter = 0x2c;
  private buf: Buffer;
  /** File offset of buf[0]. */
  private base = 0;
  private start = 0;
  private end = 0;
  private line = 1;
  private readonly progress: Progress;
  private readonly stop: number;

  private constructor(
    private readonly file: FileChunks,
    private readonly o: Pick<ScanOptions, 'batchRows' | 'signal' | 'onProgress' | 'delimiter' | 'chunkBytes' | 'range' | 'rangeInfo'>,
  ) {
    const start = o.range?.start ?? 0;
    this.stop = o.range?.stop ?? file.size;
    this.progress = new Progress(start, this.stop, o.onProgress);
    this.buf = Buffer.allocUnsafe(Math.max(4, Math.min(o.chunkBytes ?? CHUNK_BYTES, file.size - start)));
    this.base = start;
    file.seek(start);
  }

  /** Opens the file and reads its header; a range that starts past the header takes `names` instead. */
  static async open(path: string, o: CsvSource['o'], names?: readonly string[]): Promise<CsvSource> {
    const src = new CsvSource(await FileChunks.open(path), o);
    try {
      if ((o.range?.start ?? 0) > 0 && names) {
        src.names = [...names];
        src.delimiter = (o.delimiter ?? ',').charCodeAt(0);
      } else await src.readHeader();
      return src;
    } catch (err) {
      await src.close();
      throw err;
    }
  }

  get size(): number {
    return this.file.size;
  }

  /** File offset of the next unread row (after open: the first data row). */
  get offset(): number {
    return this.base + this.start;
  }

  /** Moves unread bytes to the front and reads more after them; grows the buffer when one row fills it. */
  private async refill(): Promise<void> {
    checkAbort(this.o.signal);
    if (this.start > 0) {
      this.buf.copyWithin(0, this.start, this.end);
      this.end -= this.start;
      this.base += this.start;
      this.start = 0;
    }
    if (this.end === this.buf.length) {
      if (this.buf.length >= MAX_ROW_BYTES) {
        throw new DataFileError(`a row longer than ${MAX_ROW_BYTES >> 20} MB; is a quote left open?`, { line: this.line });
      }
      const bigger = Buffer.allocUnsafe(Math.min(this.buf.length * 2, MAX_ROW_BYTES));
      this.buf.copy(bigger, 0, 0, this.end);
      this.buf = bigger;
    }
    this.end += await this.file.read(this.buf, this.end, this.buf.length - this.end);
    this.progress.tick(this.base + this.start);
  }

  private get eof(): boolean {
    return this.file.done;
  }

  private async readHeader(): Promise<void> {
    if (this.file.size === 0) throw new DataFileError('the file is empty');
    await this.refill();
    if (this.buf[0] === 0xef && this.buf[1] === 0xbb && this.buf[2] === 0xbf) this.start = 3; // UTF-8 BOM
    for (;;) {
      const { buf } = this; // refill may swap in a bigger buffer
      while (this.start < this.end && (buf[this.start] === LF || buf[this.start] === CR)) {
        if (buf[this.start] === CR && buf[this.start + 1] === LF) this.start++;
        this.start++;
        this.line++;
      }
      if (this.start < this.end || this.eof) break;
      await this.refill();
    }
    if (this.start >= this.end) throw new DataFileError('the file has no header line (it holds only blank lines)');
    for (;;) {
      const sniffed = sniffDelimiter(this.buf, this.start, this.end, this.o.delimiter?.charCodeAt(0));
      const { delimiter, count } = sniffed;
      this.delimiter = delimiter;
      const tok = new CsvTokenizer(delimiter, count + 1, 1, this.line, null);
      const next = tok.fill(this.buf, this.start, this.end, this.eof);
      if (tok.rows === 1) {
        this.checkUtf8(tok, this.start, next, 0);
        this.names = this.headerNames(tok);
        this.start = next;
        this.line = tok.line;
        return;
      }
      await this.refill(); // the header line is longer than what was read so far
    }
  }

  private headerNames(tok: CsvTokenizer): string[] {
    const names: string[] = [];
    const seen = new Map<string, number>();
    for (let j = 0; j < tok.lastFields; j++) {
      const name = fieldText(this.buf, tok.starts[j], tok.ends[j], tok.flags[j]);
      if (name.trim() === '') throw new DataFileError(`the header's column ${j + 1} has no name; every column needs one`, { line: tok.lines[0] });
      const before = seen.get(name);
      if (before !== undefined) {
        throw new DataFileError(`the header names column '${name}' twice (columns ${before + 1} and ${j + 1}); names must be unique`, {
          line: tok.lines[0],
          column: name,
        });
      }
      seen.set(name, j);
      names.push(name);
    }
    return names;
  }

  /** Tokenized batches of data rows; each one is valid only until the next is requested. */
  async *batches(): AsyncGenerator<RawCsvBatch> {
    const tok = new CsvTokenizer(this.delimiter, this.names.length, this.o.batchRows, this.line, this.names);
    let firstRow = 1;
    for (;;) {
      tok.reset();
      // Rows that start at or after `stop` belong to the next range.
      const next = tok.fill(this.buf, this.start, this.end, this.eof, this.stop - this.base);
      if (tok.rows > 0) {
        this.checkUtf8(tok, this.start, next, firstRow);
        this.start = next;
        yield { buf: this.buf, tok, firstRow };
        firstRow += tok.rows;
        continue;
      }
      this.start = next;
      if (this.eof || this.base + this.start >= this.stop) break;
      await this.refill();
    }
    if (this.o.rangeInfo) {
      this.o.rangeInfo.endOffset = this.base + this.start;
      this.o.rangeInfo.endLine = tok.line;
    }
    this.progress.tick(this.stop, true);
  }

  /** Rows are whole, so the region starts and ends on character boundaries and one native check covers it. */
  private checkUtf8(tok: CsvTokenizer, s: number, e: number, firstRow: number): void {
    if (validUtf8(this.buf, s, e)) return;
    const bad = firstInvalidUtf8(this.buf, s, e);
    const { ncols } = tok;
    const rowStart = (r: number): number => tok.starts[r * ncols] - (tok.flags[r * ncols] & F_QUOTED);
    let r = tok.rows - 1;
    while (r > 0 && rowStart(r) > bad) r--;
    let line = tok.lines[r];
    let lineStart = Math.max(s, rowStart(r));
    for (let i = lineStart; i < bad; i++) {
      if (this.buf[i] === LF || (this.buf[i] === CR && this.buf[i + 1] !== LF)) {
        line++;
        lineStart = i + 1;
      }
    }
    const fields = firstRow > 0 ? ncols : Math.min(ncols, tok.lastFields);
    let j = 0;
    while (j + 1 < fields && tok.starts[r * ncols + j + 1] <= bad) j++;
    const column = firstRow > 0 ? this.names[j] : undefined;
    const hex = this.buf[bad].toString(16).toUpperCase().padStart(2, '0');
    throw new DataFileError(
      `bytes that are not UTF-8 (byte 0x${hex} at byte ${bad - lineStart + 1} of the line); save the file as UTF-8`,
      column !== undefined ? { line, column } : { line },
    );
  }

  async close(): Promise<void> {
    await this.file.close();
  }
}
