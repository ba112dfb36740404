import { createReadStream, createWriteStream } from 'node:fs';
import { copyFile, constants, link, mkdir, readdir, realpath, rename, rm, stat, unlink } from 'node:fs/promises';
import { dirname, posix } from 'node:path';
import { finished, PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { randomBytes } from 'node:crypto';
import { InsufficientStorageError, InvalidParameterError, NotFoundError } from '../errors.js';
import type { ArtifactFileInfo, ArtifactRangeRead, ArtifactRead, ArtifactStore } from './artifact-store.js';
import { ByteLimit } from './byte-limit.js';
import { checkRange, rangePastEnd } from './byte-range.js';
import { assertNoSymlinkEscape, normaliseArtifactPath, resolveUnder } from './safe-path.js';

const IN_FLIGHT = /\.upload-[0-9a-f]{12}$/;

/** A full disk (or quota) as the typed 507, naming the artifact; any other error as it is. */
function fullDisk(err: unknown, rel: string): unknown {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code !== 'ENOSPC' && code !== 'EDQUOT') return err;
  return new InsufficientStorageError(`The artifact storage is full: '${rel}' was not stored (nothing of it was kept); free space and upload it again.`);
}

/** Artifacts as files under one root folder on the local file system. */
export class LocalArtifactStore implements ArtifactStore {
  private realRoot: Promise<string> | null = null;

  constructor(private readonly root: string) {}

  private async locate(raw: string): Promise<{ rel: string; abs: string }> {
    const rel = normaliseArtifactPath(raw);
    // Created on first use, so constructing a store touches nothing on disk.
    this.realRoot ??= mkdir(this.root, { recursive: true }).then(() => realpath(this.root));
    const realRoot = await this.realRoot;
    const abs = resolveUnder(realRoot, rel);
    await assertNoSymlinkEscape(realRoot, abs);
    return { rel, abs };
  }

  /** Streams `body` into a temporary sibling of the file (readers never see a half-written file); returns its path. */
  private async receive(path: string, body: Readable, maxBytes: number): Promise<{ rel: string; abs: string; tmp: string; size: number }> {
    // The body may fail (a client going away) before the pipeline below is attached: its error is kept by the
    // stream (pipeline then rejects with it) instead of being thrown with no listener.
    const early = () => {};
    body.on('error', early);
    try {
      return await this.receiveGuarded(path, body, maxBytes);
    } finally {
      body.off('error', early);
    }
  }

  private async receiveGuarded(path: string, body: Readable, maxBytes: number): Promise<{ rel: string; abs: string; tmp: string; size: number }> {
    const { rel, abs } = await this.locate(path);
    if (rel === '') throw new NotFoundError('An artifact upload needs a file path.');
    const existing = await stat(abs).catch(() => null);
    if (existing?.isDirectory()) throw new InvalidParameterError('path', `Artifact path '${rel}' is a folder; upload to a file path inside it.`);
    await mkdir(dirname(abs), { recursive: true }).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'EEXIST' || err.code === 'ENOTDIR') throw new InvalidParameterError('path', `Artifact path '${rel}' runs through an existing file.`);
      throw fullDisk(err, rel);
    });
    const tmp = `${abs}.upload-${randomBytes(6).toString('hex')}`;
    const limit = new ByteLimit(maxBytes);
    // The body is piped in, not put in the pipeline: a failed write (a full disk, the size limit) must not destroy
    // the request, or the client would read a reset connection instead of the answer. Node's server discards the
    // rest of an unread body once the response is sent.
    const source = new PassThrough();
    // A body that fails or is cut off — even before this point, while the path was checked — fails the upload.
    const stopWatching = finished(body, (err) => {
      if (err) source.destroy(err);
    });
    body.pipe(source);
    try {
      await pipeline(source, limit, createWriteStream(tmp, { mode: 0o640 }));
    } catch (err) {
      body.unpipe(source);
      if (!body.destroyed) body.resume();
      // The temp name is all that was written: removing it leaves no trace of the upload.
      await unlink(tmp).catch(() => {});
      throw fullDisk(err, rel);
    } finally {
      stopWatching();
    }
    return { rel, abs, tmp, size: limit.bytes };
  }

  async put(path: string, body: Readable, maxBytes: number): Promise<{ size: number }> {
    const { abs, tmp, size } = await this.receive(path, body, maxBytes);
    try {
      await rename(tmp, abs);
    } catch (err) {
      await unlink(tmp).catch(() => {});
      throw err;
    }
    return { size };
  }

  async create(path: string, body: Readable, maxBytes: number): Promise<{ size: number; created: boolean }> {
    const { rel, abs, tmp, size } = await this.receive(path, body, maxBytes);
    try {
      // link() fails with EEXIST when the name is taken, atomically, where rename() would replace the file.
      await link(tmp, abs).catch(async (err: NodeJS.ErrnoException) => {
        // File systems without hard links: an exclusive copy is still never-replace (though not atomic to readers).
        if (err.code !== 'EPERM' && err.code !== 'ENOTSUP' && err.code !== 'EOPNOTSUPP') throw err;
        await copyFile(tmp, abs, constants.COPYFILE_EXCL).catch(async (copyErr: NodeJS.ErrnoException) => {
          // A copy cut short (a full disk) must not stay behind as the artifact; a name already taken is not ours.
          if (copyErr.code !== 'EEXIST') await unlink(abs).catch(() => {});
          throw copyErr;
        });
      });
      return { size, created: true };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw fullDisk(err, rel);
      const there = await stat(abs).catch(() => null);
      if (there?.isDirectory()) throw new InvalidParameterError('path', `Artifact path '${rel}' is a folder; upload to a file path inside it.`);
      return { size, created: false };
    } finally {
      await unlink(tmp).catch(() => {});
    }
  }

  /** An existing file's location and size (RESOURCE_DOES_NOT_EXIST if absent or a folder). */
  private async file(path: string): Promise<{ abs: string; size: number }> {
    const { rel, abs } = await this.locate(path);
    const info = await stat(abs).catch(() => null);
    if (!info || !info.isFile()) throw new NotFoundError(`Artifact '${rel}' does not exist.`);
    return { abs, size: info.size };
  }

  async get(path: string): Promise<ArtifactRead> {
    const { abs, size } = await this.file(path);
    return { stream: createReadStream(abs), size };
  }

  async getRange(path: string, start: number, end?: number): Promise<ArtifactRangeRead> {
    checkRange(start, end);
    const { abs, size: total } = await this.file(path);
    if (start > total) throw rangePastEnd(start, total);
    const last = Math.min(end ?? total - 1, total - 1);
    if (last < start) return { stream: Readable.from([]), size: 0, start, total };
    return { stream: createReadStream(abs, { start, end: last }), size: last - start + 1, start, total };
  }

  async list(path: string): Promise<ArtifactFileInfo[]> {
    const { rel, abs } = await this.locate(path);
    const info = await stat(abs).catch(() => null);
    if (!info) return [];
    if (info.isFile()) return [];
    const entries = await readdir(abs, { withFileTypes: true });
    const out: ArtifactFileInfo[] = [];
    for (const e of entries) {
      if (IN_FLIGHT.test(e.name)) continue; // in-flight uploads are not artifacts yet
      const childRel = rel === '' ? e.name : posix.join(rel, e.name);
      if (e.isDirectory()) out.push({ path: childRel, is_dir: true });
      else if (e.isFile()) out.push({ path: childRel, is_dir: false, file_size: (await stat(resolveUnder(abs, e.name))).size });
    }
    out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return out;
  }

  async delete(path: string): Promise<void> {
    const { rel, abs } = await this.locate(path);
    if (rel === '') throw new NotFoundError('Refusing to delete the artifact root.');
    const info = await stat(abs).catch(() => null);
    if (!info) throw new NotFoundError(`Artifact '${rel}' does not exist.`);
    await rm(abs, { recursive: true, force: true });
  }

  /** A folder has no URL of its own: downloads go through the server. */
  async presignGet(path: string): Promise<string | null> {
    await this.file(path);
    return null;
  }
}
