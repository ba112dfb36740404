// RFC 4180 tokenizer over bytes: finds each field's byte range in a buffer without decoding anything. Rows are
// written into flat typed arrays (row-major, ncols per row) so the converters can then walk one column at a time.
// Line numbers count every LF, CRLF or lone CR, inside quoted fields too, so errors and mismatches point at the
// real line of the file.
import { DataFileError } from '../../errors.js';

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/** Field flags: quoted, and holding a doubled quote ("") to unescape when decoded. */
export const F_QUOTED = 1;
export const F_ESCAPED = 2;

/** Signals that the buffer ended inside a row (read more and call again). */
const INCOMPLETE = -1;

export class CsvTokenizer {
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  readonly flags: Uint8Array;
  /** 1-based line on which each row starts. */
  readonly lines: Uint32Array;
  rows = 0;
  /** Line number at the current position. */
  line: number;
  /** Fields in the last row (used for the header, tokenized with exact = false). */
  lastFields = 0;

  constructor(
    readonly delimiter: number,
    readonly ncols: number,
    readonly capRows: number,
    firstLine: number,
    /** Column names for messages; a row must have exactly ncols fields when set. */
    readonly names: readonly string[] | null,
  ) {
    this.starts = new Int32Array(ncols * capRows);
    this.ends = new Int32Array(ncols * capRows);
    this.flags = new Uint8Array(ncols * capRows);
    this.lines = new Uint32Array(capRows);
    this.line = firstLine;
  }

  /**
   * Tokenizes complete rows from buf[pos, end) until the batch is full or a row would start at `limit`; returns
   * the position after the last complete row. Blank lines are skipped (as pandas does). At `eof` the last row
   * needs no line terminator.
   */
  fill(buf: Uint8Array, pos: number, end: number, eof: boolean, limit = Infinity): number {
    while (this.rows < this.capRows && pos < end && pos < limit) {
      const c = buf[pos];
      if (c === LF || c === CR) {
        if (c === CR && pos + 1 >= end && !eof) return pos; // a CRLF may be split across reads
        pos += c === CR && buf[pos + 1] === LF ? 2 : 1;
        this.line++;
        continue;
      }
      const rowLine = this.line;
      const next = this.row(buf, pos, end, eof);
      if (next === INCOMPLETE) {
        this.line = rowLine;
        return pos;
      }
      this.lines[this.rows++] = rowLine;
      pos = next;
    }
    return pos;
  }

  /** One row starting at pos; returns the position after its terminator, or INCOMPLETE. */
  private row(buf: Uint8Array, p: number, end: number, eof: boolean): number {
    const { delimiter, ncols } = this;
    const base = this.rows * ncols;
    const rowLine = this.line;
    let nf = 0;
    for (;;) {
      let fs: number;
      let fe: number;
      let flag = 0;
      if (p < end && buf[p] === QUOTE) {
        const quoteLine = this.line;
        flag = F_QUOTED;
        fs = ++p;
        for (;;) {
          while (p < end) {
            const c = buf[p];
            if (c === QUOTE) break;
            if (c === LF) this.line++;
            else if (c === CR) {
              if (p + 1 >= end && !eof) return INCOMPLETE;
              if (buf[p + 1] !== LF) this.line++;
            }
            p++;
          }
          if (p >= end) {
            if (!eof) return INCOMPLETE;
            throw new DataFileError('a quoted field is never closed (unterminated quote); the quote opens here', this.at(quoteLine, nf));
          }
          if (p + 1 >= end && !eof) return INCOMPLETE; // cannot tell "" from a closing quote yet
          if (buf[p + 1] === QUOTE) {
            flag = F_QUOTED | F_ESCAPED;
            p += 2;
            continue;
          }
          fe = p++;
          break;
        }
        if (p < end) {
          const c = buf[p];
          if (c !== delimiter && c !== LF && c !== CR) {
            throw new DataFileError(
              `text after a closing quote (character ${this.charColumn(buf, p)} of the line); a quote inside a quoted field must be doubled ("")`,
              this.at(this.line, nf),
            );
          }
        }
      } else {
        fs = p;
        while (p < end) {
          const c = buf[p];
          if (c === delimiter || c === LF || c === CR) break;
          p++;
        }
        fe = p;
        if (p >= end && !eof) return INCOMPLETE;
      }
      if (nf < ncols) {
        const k = base + nf;
        this.starts[k] = fs;
        this.ends[k] = fe;
        this.flags[k] = flag;
      }
      nf++;
      if (p >= end) break; // end of file
      const c = buf[p];
      if (c === delimiter) {
        p++;
        continue;
      }
      if (c === CR) {
        if (p + 1 >= end && !eof) return INCOMPLETE;
        p += buf[p + 1] === LF ? 2 : 1;
      } else p++;
      this.line++;
      break;
    }
    this.lastFields = nf;
    if (this.names !== null && nf !== ncols) this.ragged(nf, rowLine);
    return p;
  }

  private ragged(nf: number, line: number): never {
    if (nf > this.ncols) {
      throw new DataFileError(
        `${nf} fields, but the header has ${this.ncols} columns (too many fields: a stray delimiter, or a value that should be quoted?)`,
        { line },
      );
    }
    throw new DataFileError(`${nf} field${nf === 1 ? '' : 's'}, but the header has ${this.ncols} columns (too few fields)`, {
      line,
      column: this.names![nf],
    });
  }

  private at(line: number, field: number): { line: number; column?: string } {
    const name = this.names?.[field];
    return name !== undefined ? { line, column: name } : { line };
  }

  /** 1-based byte position of p within its line (error messages only). */
  private charColumn(buf: Uint8Array, p: number): number {
    let q = p;
    while (q > 0 && buf[q - 1] !== LF && buf[q - 1] !== CR) q--;
    return p - q + 1;
  }

  reset(): void {
    this.rows = 0;
  }
}
