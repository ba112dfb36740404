// Sequential reads of a (possibly multi-GB) file into a caller's buffer, with throttled progress and abort.
// Positions are plain numbers (exact to 2^53), so files over 2 GB / 4 GB need nothing special.
import { open, type FileHandle } from 'node:fs/promises';

const PROGRESS_INTERVAL_MS = 250;

/** Throttled progress over the byte range [start, stop): reports bytes done in it and its length. */
export class Progress {
  private last = 0;
  constructor(
    private readonly start: number,
    private readonly stop: number,
    private readonly cb?: (bytesDone: number, bytesTotal: number) => void,
  ) {}

  /** Reports at most every PROGRESS_INTERVAL_MS; `final` always reports (the whole range). */
  tick(position: number, final = false): void {
    if (!this.cb) return;
    const now = Date.now();
    if (!final && now - this.last < PROGRESS_INTERVAL_MS) return;
    this.last = now;
    const total = this.stop - this.start;
    this.cb(final ? total : Math.min(total, Math.max(0, position - this.start)), total);
  }
}

export function checkAbort(signal?: AbortSignal): void {
  if (signal?.aborted) throw signal.reason ?? new DOMException('The operation was aborted', 'AbortError');
}

export class FileChunks {
  private pos = 0;
  private constructor(
    private readonly fh: FileHandle,
    readonly size: number,
  ) {}

  static async open(path: string): Promise<FileChunks> {
    const fh = await open(path, 'r');
    try {
      const { size } = await fh.stat();
      return new FileChunks(fh, size);
    } catch (err) {
      await fh.close();
      throw err;
    }
  }

  get position(): number {
    return this.pos;
  }

  seek(pos: number): void {
    this.pos = pos;
  }

  get done(): boolean {
    return this.pos >= this.size;
  }

  /** Fills buf[off, off+len) from the current position; returns the bytes read (less only at the end). */
  async read(buf: Uint8Array, off: number, len: number): Promise<number> {
    let got = 0;
    while (got < len) {
      const { bytesRead } = await this.fh.read(buf, off + got, len - got, this.pos);
      if (bytesRead === 0) break;
      got += bytesRead;
      this.pos += bytesRead;
    }
    return got;
  }

  async close(): Promise<void> {
    await this.fh.close();
  }
}
