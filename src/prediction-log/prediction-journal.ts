/**
 * The prediction log's journal: so that no answered prediction is lost when the server is killed. As the log packs
 * each request (before its answer is sent), what the packing added to the batch (a delta: the event's head, tags
 * and numbers, and the new entries of the batch's tables — usually just its id) is appended to the current segment
 * file with one synchronous write. A segment's deltas, concatenated, are the batch the log hands over, byte for
 * byte. A SIGKILL does not lose what write() returned from (it is in the kernel's page cache); a machine crash or
 * power loss can (nothing is fsynced: that would cost a disk flush per request), and is out of scope. Each
 * hand-over seals the segment of its batch; once the batch is processed (its rows committed in the store) the
 * segment is deleted. On start, segments that a dead server left are processed again before serving, as the same
 * batches named after their segment, so that rows stored before the kill get the same ids and are not stored twice
 * (see BatchBuilder).
 *
 * Each server writes in a folder of its own (`<pid>-<random>`); on start, the folders of servers no longer
 * running are replayed, so replicas that share a data dir never replay each other's live journal.
 */
import { randomUUID } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { BatchReader, type PackedBatch, type PackedDelta } from './event-codec.js';

/** The journal's default size cap: segments not yet committed, in bytes. */
export const DEFAULT_JOURNAL_BYTES = 256 * 1024 * 1024;

/** A record's head: its body's bytes, then the lists' JSON bytes and the numbers of heads, numbers and tags. */
const RECORD_HEAD = 20;
/** Staged records past this many bytes are written at once, without waiting for the tick's flush. */
const STAGE_FLUSH_BYTES = 1024 * 1024;

/** A sealed segment: what commit() deletes once its batch is stored. */
export interface Segment {
  path: string;
  bytes: number;
  /** The lasting name of the batch its events went into. */
  key: string;
}

export class PredictionJournal {
  /** This server's folder. */
  private readonly own: string;
  private seq = 0;
  private fd: number | null = null;
  private path = '';
  private bytes = 0;
  /** Bytes of segments written and not yet committed (the cap's measure). */
  private liveBytes = 0;
  /** Set when a write failed: the rest of the segment's batch is not journalled (its records would not follow on). */
  private broken = false;
  /** Records staged since the last flush: stage[0, staged). */
  private stage: Buffer = Buffer.allocUnsafe(64 * 1024);
  private staged = 0;

  constructor(
    private readonly dir: string,
    private readonly maxBytes = DEFAULT_JOURNAL_BYTES,
  ) {
    mkdirSync(dir, { recursive: true });
    this.own = join(dir, `${process.pid}-${randomUUID().slice(0, 8)}`);
    mkdirSync(this.own);
    OURS.add(this.own.slice(this.own.lastIndexOf('/') + 1));
  }

  /** The name the current segment's batch gets (sealed with it). */
  private get key(): string {
    return `${this.own.slice(this.own.lastIndexOf('/') + 1)}.${this.seq}`;
  }

  /** Past the cap: the log drops (counted) the requests it would store, until batches are committed. */
  get full(): boolean {
    return this.liveBytes + this.staged >= this.maxBytes;
  }

  /**
   * Stages what the log packed for one event (copied: the packer reuses its buffers); flush() writes what is staged
   * with one system call. The log flushes once per tick, before any of the tick's answers is sent (PredictionLog.durable).
   */
  append(d: PackedDelta): void {
    if (this.broken) return;
    const json = JSON.stringify(d.lists);
    const jsonBytes = Buffer.byteLength(json);
    const body = jsonBytes + d.heads.byteLength + d.nums.byteLength + d.tags.byteLength;
    const need = RECORD_HEAD + body;
    if (this.staged + need > this.stage.length) this.stage = grown(this.stage, this.staged, this.staged + need);
    const b = this.stage;
    let at = this.staged;
    b.writeUInt32LE(body, at);
    b.writeUInt32LE(jsonBytes, at + 4);
    b.writeUInt32LE(d.heads.length, at + 8);
    b.writeUInt32LE(d.nums.length, at + 12);
    b.writeUInt32LE(d.tags.length, at + 16);
    at += RECORD_HEAD;
    at += b.write(json, at);
    for (const part of [d.heads, d.nums, d.tags]) {
      b.set(new Uint8Array(part.buffer, part.byteOffset, part.byteLength), at);
      at += part.byteLength;
    }
    this.staged = at;
    if (this.staged >= STAGE_FLUSH_BYTES) this.flush();
  }

  /** Whether records are staged and not yet written. */
  get pending(): boolean {
    return this.staged > 0;
  }

  /**
   * Writes the staged records to the current segment with one system call. A failing write (a full or failing
   * disk) throws, and the rest of this segment's batch goes unjournalled (held in memory only, as without a journal).
   */
  flush(): void {
    if (this.staged === 0) return;
    const n = this.staged;
    this.staged = 0;
    if (this.broken) return;
    try {
      if (this.fd === null) {
        this.path = join(this.own, `${String(this.seq).padStart(10, '0')}.seg`);
        this.fd = openSync(this.path, 'a');
      }
      const wrote = writeSync(this.fd, this.stage, 0, n);
      if (wrote !== n) throw new Error(`The prediction journal wrote ${wrote} of ${n} bytes.`);
      this.bytes += n;
      this.liveBytes += n;
    } catch (err) {
      this.broken = true;
      throw err;
    }
  }

  /**
   * Ends the current segment (its events are the batch being handed over) and starts the next; its key names that
   * batch. Null when no event was written since the last seal (the batch then gets no key).
   */
  seal(): Segment | null {
    // What is staged belongs to the batch being handed over (a failing write leaves it in memory only).
    try {
      this.flush();
    } catch {
      // reported by the log when it flushed; the segment is sealed as far as it was written
    }
    this.broken = false;
    if (this.fd === null) {
      this.seq++;
      return null;
    }
    closeSync(this.fd);
    const seg = { path: this.path, bytes: this.bytes, key: this.key };
    this.fd = null;
    this.bytes = 0;
    this.seq++;
    return seg;
  }

  /** The segment's batch is stored: its records are no longer needed. */
  commit(seg: Segment): void {
    unlinkSync(seg.path);
    this.liveBytes -= seg.bytes;
  }

  /** Stops writing and leaves the folder to be replayed by the next journal opened on it (what a killed server leaves). */
  abandon(): void {
    try {
      this.flush();
    } catch {
      // a killed server would not have written it either
    }
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    OURS.delete(this.own.slice(this.own.lastIndexOf('/') + 1));
  }

  /** After a graceful close (everything committed): this server's folder goes. */
  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    rmSync(this.own, { recursive: true, force: true });
    OURS.delete(this.own.slice(this.own.lastIndexOf('/') + 1));
  }

  /**
   * Segments left by servers that are no longer running, oldest first, each as the batch it was (named by its
   * segment), processed by `process`; a segment is deleted once processed, and a folder once empty. Answers the
   * number of requests replayed.
   */
  async replay(process: (batch: PackedBatch, stored: Map<string, number>) => Promise<void>): Promise<number> {
    let events = 0;
    for (const folder of readdirSync(this.dir).sort()) {
      const path = join(this.dir, folder);
      if (path === this.own || !statSync(path).isDirectory() || isRunning(folder)) continue;
      for (const name of readdirSync(path).sort()) {
        if (!name.endsWith('.seg')) continue;
        const file = join(path, name);
        const batch = readSegment(file, `${folder}.${Number(name.slice(0, -4))}`);
        if (batch) {
          const reader = new BatchReader(batch);
          const stored = new Map<string, number>();
          for (let k = 0; k < reader.size; k++)
            if (reader.disposition(k) === 'store') {
              const d = reader.event(k).deployment;
              stored.set(d, (stored.get(d) ?? 0) + Math.max(1, reader.rows(k)));
            }
          await process(batch, stored);
          events += reader.size;
        }
        unlinkSync(file);
      }
      rmSync(path, { recursive: true, force: true });
    }
    return events;
  }
}

/** A larger staging buffer holding the first `used` bytes of `b`. */
function grown(b: Buffer, used: number, need: number): Buffer {
  const next = Buffer.allocUnsafe(Math.max(need, 2 * b.length));
  b.copy(next, 0, 0, used);
  return next;
}

/** Folders of journals open in this process (servers started in one process, as tests do, share its pid). */
const OURS = new Set<string>();

/**
 * Whether the server that wrote folder `<pid>-<random>` still runs. A folder with this process's pid that is not
 * one of its journals' was left by an earlier process that had the same pid (a container's pid 1, say).
 */
function isRunning(folder: string): boolean {
  if (OURS.has(folder)) return true;
  const pid = Number(folder.split('-')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: a process of another user has that id; left alone (replayed once that process is gone).
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A segment's batch, its records' deltas concatenated, named `key`; null when it holds no whole record. A record
 * cut short at the end (a write that never finished) is left out.
 */
export function readSegment(file: string, key?: string): PackedBatch | null {
  const buf = readFileSync(file);
  const lists: [string[], string[], string[][], string[], string[], string[]] = [[], [], [], [], [], []];
  const parts: { heads: Buffer[]; nums: Buffer[]; tags: Buffer[] } = { heads: [], nums: [], tags: [] };
  let records = 0;
  for (let at = 0; at + RECORD_HEAD <= buf.length; records++) {
    const body = buf.readUInt32LE(at);
    if (at + RECORD_HEAD + body > buf.length) break;
    const jsonBytes = buf.readUInt32LE(at + 4);
    let p = at + RECORD_HEAD;
    const add = JSON.parse(buf.toString('utf8', p, (p += jsonBytes))) as typeof lists;
    add.forEach((l, i) => (lists[i] as unknown[]).push(...l));
    for (const [part, bytes] of [
      ['heads', 8 * buf.readUInt32LE(at + 8)],
      ['nums', 8 * buf.readUInt32LE(at + 12)],
      ['tags', buf.readUInt32LE(at + 16)],
    ] as const) {
      parts[part].push(buf.subarray(p, p + bytes));
      p += bytes;
    }
    at += RECORD_HEAD + body;
  }
  if (records === 0) return null;
  const f64 = (bufs: Buffer[]) => {
    const all = Buffer.concat(bufs);
    const out = new Float64Array(all.length / 8);
    new Uint8Array(out.buffer).set(all);
    return out;
  };
  const [ids, words, names, strings, texts, units] = lists;
  return {
    meta: JSON.stringify({ ids, words, names, strings, texts, units, ...(key !== undefined ? { key } : {}) }),
    heads: f64(parts.heads),
    nums: f64(parts.nums),
    tags: new Uint8Array(Buffer.concat(parts.tags)),
  };
}
