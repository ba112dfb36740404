import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, realpath, rename, rm, stat, unlink } from 'node:fs/promises';
import { dirname, posix } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { randomBytes } from 'node:crypto';
import { InvalidParameterError, NotFoundError, PayloadTooLargeError } from '../errors.js';
import type { ArtifactFileInfo, ArtifactRead, ArtifactStore } from './artifact-store.js';
import { assertNoSymlinkEscape, normaliseArtifactPath, resolveUnder } from './safe-path.js';

const IN_FLIGHT = /\.upload-[0-9a-f]{12}$/;

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

  async put(path: string, body: Readable, maxBytes: number): Promise<{ size: number }> {
    const { rel, abs } = await this.locate(path);
    if (rel === '') throw new NotFoundError('An artifact upload needs a file path.');
    const existing = await stat(abs).catch(() => null);
    if (existing?.isDirectory()) throw new InvalidParameterError('path', `Artifact path '${rel}' is a folder; upload to a file path inside it.`);
    await mkdir(dirname(abs), { recursive: true }).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'EEXIST' || err.code === 'ENOTDIR') throw new InvalidParameterError('path', `Artifact path '${rel}' runs through an existing file.`);
      throw err;
    });
    // Write to a temporary sibling and rename, so readers never see a half-written file.
    const tmp = `${abs}.upload-${randomBytes(6).toString('hex')}`;
    let size = 0;
    const limiter = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        size += chunk.length;
        if (size > maxBytes) cb(new PayloadTooLargeError(`Artifact exceeds the upload limit of ${maxBytes} bytes.`));
        else cb(null, chunk);
      },
    });
    try {
      await pipeline(body, limiter, createWriteStream(tmp, { mode: 0o640 }));
      await rename(tmp, abs);
    } catch (err) {
      await unlink(tmp).catch(() => {});
      throw err;
    }
    return { size };
  }

  async get(path: string): Promise<ArtifactRead> {
    const { rel, abs } = await this.locate(path);
    const info = await stat(abs).catch(() => null);
    if (!info || !info.isFile()) throw new NotFoundError(`Artifact '${rel}' does not exist.`);
    return { stream: createReadStream(abs), size: info.size };
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
}
