/**
 * A pushed file lands in a temp file first: its sha256 (the version's identity) is known only at the end,
 * Parquet needs random access, and profiling may need a second pass. Memory stays bounded by the stream's chunks.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { finished, PassThrough, Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DataFileError, InsufficientStorageError, PayloadTooLargeError } from '../errors.js';

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

/** A full disk (or quota) under the spool folder as the typed 507; any other error as it is. */
function fullDisk(err: unknown): unknown {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code !== 'ENOSPC' && code !== 'EDQUOT') return err;
  return new InsufficientStorageError(
    "The server's data folder is full: the pushed file was not stored (nothing of it was kept); free space and push it again.",
  );
}

export async function spool(body: Readable, dir: string, maxBytes: number): Promise<Spooled> {
  await mkdir(dir, { recursive: true, mode: 0o700 }).catch((err: unknown) => {
    throw fullDisk(err);
  });
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
  // The body is piped in, not put in the pipeline (as LocalArtifactStore does): a failed write (a full disk, the
  // size limit) must not destroy the request, or the client reads a reset connection instead of the 507 or 413.
  // Node's server discards the rest of an unread body once the response is sent.
  const source = new PassThrough();
  // A body that fails or is cut off fails the push.
  const stopWatching = finished(body, (err) => {
    if (err) source.destroy(err);
  });
  body.pipe(source);
  try {
    await pipeline(source, meter, createWriteStream(path, { mode: 0o600 }));
  } catch (err) {
    body.unpipe(source);
    if (!body.destroyed) body.resume();
    await cleanup();
    throw fullDisk(err);
  } finally {
    stopWatching();
  }
  if (size === 0) {
    await cleanup();
    throw new DataFileError('The file is empty (0 bytes).');
  }
  return { path, digest: hash.digest('hex'), size, head: head.subarray(0, Math.min(size, HEAD_BYTES)), cleanup };
}
