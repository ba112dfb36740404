/**
 * The prediction log's journal: so that no answered prediction is lost when the server is killed. Before the
 * answer to a logged request is sent, its event, packed on its own, is appended to the current segment file with
 * one synchronous write. A SIGKILL does not lose what write() returned from (it is in the kernel's page cache);
 * a machine crash or power loss can (nothing is fsynced: that would cost a disk flush per request), and is out of
 * scope. Each hand-over of the log (one batch) seals the segment that holds its events; once the batch is
 * processed (its rows committed in the store) the segment is deleted. On start, segments that a dead server left
 * are processed again before serving, as batches named after their segment, so that rows stored before the kill
 * get the same ids and are not stored twice (see BatchBuilder).
 *
 * Each server writes in a folder of its own (`<pid>-<random>`); on start, the folders of servers no longer
 * running are replayed, so replicas that share a data dir never replay each other's live journal.
 */
import { randomUUID } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { PredictionEvent } from '../serving/index.js';
import { BatchPacker, BufferPool, type PackedBatch, pack, unpack } from './event-codec.js';

/** The journal's default size cap: segments not yet committed, in bytes. */
export const DEFAULT_JOURNAL_BYTES = 256 * 1024 * 1024;

/** A record's head: its body's bytes, then the meta's bytes and the numbers of heads, numbers and tags. */
const RECORD_HEAD = 20;

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
  /** Packs one event at a time; its buffers come back to the pool after each record. */
  private readonly pool = new BufferPool();
  private readonly packer = new BatchPacker(this.pool);

  constructor(
    private readonly dir: string,
    private readonly maxBytes = DEFAULT_JOURNAL_BYTES,
  ) {
    mkdirSync(dir, { recursive: true });
    this.own = join(dir, `${process.pid}-${randomUUID().slice(0, 8)}`);
    mkdirSync(this.own);
  }

  /** The name the current segment's batch gets (sealed with it). */
  private get key(): string {
    return `${this.own.slice(this.own.lastIndexOf('/') + 1)}.${this.seq}`;
  }

  /**
   * Appends a logged event; false when the journal is full (the caller drops the request, counted), true once
   * it is written. A failure to write (a full or failing disk) throws: the caller decides.
   */
  append(e: PredictionEvent): boolean {
    try {
      this.packer.add(e, 'store');
    } catch {
      // Values that cannot be read: the log cannot pack them either, and counts the request as write_failed.
      this.packer.finish();
      return true;
    }
    const b = this.packer.finish();
    const meta = Buffer.from(b.meta);
    const body = meta.length + b.heads.byteLength + b.nums.byteLength + b.tags.byteLength;
    const ok = this.liveBytes + RECORD_HEAD + body <= this.maxBytes;
    if (ok) {
      const rec = Buffer.allocUnsafe(RECORD_HEAD + body);
      rec.writeUInt32LE(body, 0);
      rec.writeUInt32LE(meta.length, 4);
      rec.writeUInt32LE(b.heads.length, 8);
      rec.writeUInt32LE(b.nums.length, 12);
      rec.writeUInt32LE(b.tags.length, 16);
      let at = RECORD_HEAD + meta.copy(rec, RECORD_HEAD);
      for (const a of [b.heads, b.nums, b.tags]) {
        rec.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at);
        at += a.byteLength;
      }
      if (this.fd === null) {
        this.path = join(this.own, `${String(this.seq).padStart(10, '0')}.seg`);
        this.fd = openSync(this.path, 'a');
      }
      writeSync(this.fd, rec);
      this.bytes += rec.length;
      this.liveBytes += rec.length;
    }
    for (const buf of new Set([b.heads.buffer, b.nums.buffer, b.tags.buffer] as ArrayBuffer[])) this.pool.give(buf);
    return ok;
  }

  /**
   * Ends the current segment (its events are the batch being handed over) and starts the next; its key names that
   * batch. Null when no event was written since the last seal (the batch then gets no key).
   */
  seal(): Segment | null {
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

  /** After a graceful close (everything committed): this server's folder goes. */
  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    rmSync(this.own, { recursive: true, force: true });
  }

  /**
   * Segments left by servers that are no longer running, oldest first, each as the batch it was (named by its
   * segment), processed by `process`; a segment is deleted once processed, and a folder once empty.
   */
  async replay(process: (batch: PackedBatch, stored: Map<string, number>) => Promise<void>): Promise<number> {
    let events = 0;
    for (const folder of readdirSync(this.dir).sort()) {
      const path = join(this.dir, folder);
      if (path === this.own || !statSync(path).isDirectory() || isRunning(folder)) continue;
      for (const name of readdirSync(path).sort()) {
        if (!name.endsWith('.seg')) continue;
        const file = join(path, name);
        const read = readSegment(file);
        if (read.length > 0) {
          const stored = new Map<string, number>();
          for (const { e } of read) stored.set(e.deployment, (stored.get(e.deployment) ?? 0) + Math.max(1, e.rows));
          await process(pack(read, undefined, `${folder}.${Number(name.slice(0, -4))}`), stored);
          events += read.length;
        }
        unlinkSync(file);
      }
      rmSync(path, { recursive: true, force: true });
    }
    return events;
  }
}

/** Whether the server that wrote folder `<pid>-<random>` still runs (this process is not it: its folder is new). */
function isRunning(folder: string): boolean {
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

/** A segment's events, in order; a record cut short at the end (a write that never finished) is left out. */
export function readSegment(file: string): ReturnType<typeof unpack> {
  const buf = readFileSync(file);
  const out: ReturnType<typeof unpack> = [];
  for (let at = 0; at + RECORD_HEAD <= buf.length;) {
    const body = buf.readUInt32LE(at);
    if (at + RECORD_HEAD + body > buf.length) break;
    const metaLen = buf.readUInt32LE(at + 4);
    const heads = new Float64Array(buf.readUInt32LE(at + 8));
    const nums = new Float64Array(buf.readUInt32LE(at + 12));
    const tags = new Uint8Array(buf.readUInt32LE(at + 16));
    let p = at + RECORD_HEAD;
    const meta = buf.toString('utf8', p, (p += metaLen));
    for (const a of [heads, nums, tags]) {
      new Uint8Array(a.buffer).set(buf.subarray(p, p + a.byteLength));
      p += a.byteLength;
    }
    out.push(...unpack({ meta, heads, nums, tags }));
    at += RECORD_HEAD + body;
  }
  return out;
}
