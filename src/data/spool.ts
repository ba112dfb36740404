/**
 * A pushed file lands in a temp file first: its sha256 (the version's identity) is known only at the end,
 * Parquet needs random access, and profiling may need a second pass. Memory stays bounded by the stream's chunks.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DataFileError, PayloadTooLargeError } from '../errors.js';

export interface Spooled {
  path: string;
  /** sha256 of the bytes, hex. */
  digest: string;
  size: number;
  /** The first bytes (format detection). */
  head: Uint8Array;
  cleanup(): Promise<void>;
}

const HEAD_BYTES = 4096;

export async function spool(body: Readable, dir: string, maxBytes: number): Promise<Spooled> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, `push-${randomBytes(8).toString('hex')}`);
  const hash = createHash('sha256');
  const head = Buffer.alloc(HEAD_BYTES);
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      if (size < HEAD_BYTES) chunk.copy(head, size, 0, Math.min(chunk.length, HEAD_BYTES - size));
      size += chunk.length;
      if (size > maxBytes) return cb(new PayloadTooLargeError(`The data file exceeds the upload limit of ${maxBytes} bytes (--max-artifact-bytes).`));
      hash.update(chunk);
      cb(null, chunk);
    },
  });
  const cleanup = () => unlink(path).catch(() => {});
  try {
    await pipeline(body, meter, createWriteStream(path, { mode: 0o600 }));
  } catch (err) {
    await cleanup();
    throw err;
  }
  if (size === 0) {
    await cleanup();
    throw new DataFileError('The file is empty (0 bytes).');
  }
  return { path, digest: hash.digest('hex'), size, head: head.subarray(0, Math.min(size, HEAD_BYTES)), cleanup };
}
