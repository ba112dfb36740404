/**
 * Project zips: read with the same confinement as artifacts (no absolute paths, no `..`, no links, bounded
 * file count and unpacked size, so a zip bomb is refused before it is inflated), and rewritten in one
 * canonical form — sorted entries under one top folder, fixed times — whose digest names the files, not the
 * zip: the same folder zipped twice, by any tool, is the same project.
 */
import { createHash } from 'node:crypto';
import { mkdir, writeFile, chmod } from 'node:fs/promises';
import { dirname } from 'node:path';
import yauzl from 'yauzl';
import yazl from 'yazl';
import { InvalidParameterError, PayloadTooLargeError } from '../errors.js';
import { normaliseArtifactPath, resolveUnder } from '../artifacts/index.js';

export interface ArchiveLimits {
  maxFiles: number;
  maxUnpackedBytes: number;
}

export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = { maxFiles: 20_000, maxUnpackedBytes: 1024 ** 3 };

/** The top folder every canonical zip holds its files under (Ray wants a remote working_dir zip to have one). */
export const TOP_FOLDER = 'project';

export interface ProjectFile {
  path: string;
  data: Buffer;
  executable: boolean;
}

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const S_IFDIR = 0o040000;

function openZip(buf: Buffer): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.fromBuffer(buf, { lazyEntries: true, decodeStrings: true, validateEntrySizes: true, strictFileNames: true }, (err, zip) =>
      err || !zip ? reject(new InvalidParameterError('body', `Not a readable zip file: ${err?.message ?? 'unknown error'}.`)) : resolve(zip),
    ),
  );
}

function readEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, budget: { left: number }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (err, stream) => {
      if (err || !stream) return reject(new InvalidParameterError('body', `Entry '${entry.fileName}' cannot be read: ${err?.message ?? 'unknown error'}.`));
      const parts: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => {
        budget.left -= chunk.length;
        // Declared sizes are checked before inflating; this guards a zip that lies about them.
        if (budget.left < 0) {
          stream.destroy();
          reject(new PayloadTooLargeError('The project unpacks to more than the allowed size.'));
          return;
        }
        parts.push(chunk);
      });
      stream.on('error', (e: Error) => reject(new InvalidParameterError('body', `Entry '${entry.fileName}' is corrupt: ${e.message}.`)));
      stream.on('end', () => resolve(Buffer.concat(parts)));
    });
  });
}

/** Reads every file of a zip, refusing anything unsafe; folders are implied by paths. */
export async function readZip(buf: Buffer, limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS): Promise<ProjectFile[]> {
  const zip = await openZip(buf);
  if (zip.entryCount > limits.maxFiles + 10_000)
    throw new PayloadTooLargeError(`The zip has ${zip.entryCount} entries; a project may have at most ${limits.maxFiles} files.`);
  const files: ProjectFile[] = [];
  const seen = new Set<string>();
  const budget = { left: limits.maxUnpackedBytes };
  let declared = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('error', (e: Error) => reject(new InvalidParameterError('body', `Not a valid zip file: ${e.message}.`)));
      zip.on('end', () => resolve());
      zip.on('entry', (entry: yauzl.Entry) => {
        void (async () => {
          const name = entry.fileName;
          const mode = (entry.externalFileAttributes >>> 16) & 0xffff;
          const isDir = name.endsWith('/') || (mode & S_IFMT) === S_IFDIR;
          if ((mode & S_IFMT) === S_IFLNK)
            throw new InvalidParameterError('body', `The zip entry '${name}' is a symbolic link; projects may not contain links.`);
          const path = normaliseArtifactPath(name.replace(/\/$/, ''), 'body');
          if (path !== name.replace(/\/$/, '').replace(/^\.\//, '')) throw new InvalidParameterError('body', `The zip entry '${name}' has an unsafe path.`);
          if (!isDir) {
            if (files.length >= limits.maxFiles) throw new PayloadTooLargeError(`The project has more than ${limits.maxFiles} files.`);
            declared += entry.uncompressedSize;
            if (declared > limits.maxUnpackedBytes)
              throw new PayloadTooLargeError(`The project unpacks to more than ${Math.round(limits.maxUnpackedBytes / 1024 ** 2)} MiB.`);
            if (seen.has(path)) throw new InvalidParameterError('body', `The zip has '${path}' twice.`);
            seen.add(path);
            const data = await readEntry(zip, entry, budget);
            files.push({ path, data, executable: (mode & 0o111) !== 0 });
          }
          zip.readEntry();
        })().catch(reject);
      });
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
  refuseFileFolderClash(files);
  return files;
}

/** A path that is a file and also a folder of another file cannot be unpacked; refused here, not when a job starts. */
function refuseFileFolderClash(files: ProjectFile[]): void {
  const paths = new Set(files.map((f) => f.path));
  for (const f of files) {
    for (let i = f.path.indexOf('/'); i > 0; i = f.path.indexOf('/', i + 1)) {
      const folder = f.path.slice(0, i);
      if (paths.has(folder)) throw new InvalidParameterError('body', `The zip has '${folder}' as both a file and a folder (of '${f.path}').`);
    }
  }
}

/**
 * The project's root: where MLproject is, at the top or in the zip's one top folder (a zipped folder).
 * Files outside it are refused rather than dropped, so what runs is what was sent.
 */
export function projectRoot(files: ProjectFile[]): ProjectFile[] {
  if (files.some((f) => f.path === 'MLproject')) return files;
  const tops = new Set(files.map((f) => f.path.split('/')[0]!));
  if (tops.size === 1) {
    const top = [...tops][0]!;
    if (files.some((f) => f.path === `${top}/MLproject`)) return files.map((f) => ({ ...f, path: f.path.slice(top.length + 1) }));
  }
  throw new InvalidParameterError('body', 'The project has no MLproject file (at the top of the zip, or in its one top folder).');
}

/** The digest of a file tree: paths, executable bits and contents, in path order. */
export function treeDigest(files: ProjectFile[]): string {
  const h = createHash('sha256');
  for (const f of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    h.update(`${f.path}\0${f.executable ? 'x' : '-'}\0${createHash('sha256').update(f.data).digest('hex')}\n`);
  }
  return `sha256:${h.digest('hex')}`;
}

const FIXED_TIME = new Date(Date.UTC(1980, 0, 2));

/** The canonical zip of a file tree: sorted, under TOP_FOLDER, fixed times and modes. */
export function canonicalZip(files: ProjectFile[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const f of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    zip.addBuffer(f.data, `${TOP_FOLDER}/${f.path}`, { mtime: FIXED_TIME, mode: f.executable ? 0o100755 : 0o100644, compress: true });
  }
  zip.end();
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => parts.push(c));
    zip.outputStream.on('error', reject);
    zip.outputStream.on('end', () => resolve(Buffer.concat(parts)));
  });
}

/** Writes a project's files under `dir` (confined: every path was checked when read). */
export async function writeTree(dir: string, files: ProjectFile[]): Promise<void> {
  for (const f of files) {
    const abs = resolveUnder(dir, normaliseArtifactPath(f.path));
    await mkdir(dirname(abs), { recursive: true });
    await writeFile(abs, f.data);
    if (f.executable) await chmod(abs, 0o755);
  }
}

/** Reads a canonical zip back into its files (its top folder removed). */
export async function readCanonical(buf: Buffer): Promise<ProjectFile[]> {
  const files = await readZip(buf);
  const prefix = `${TOP_FOLDER}/`;
  return files.filter((f) => f.path.startsWith(prefix)).map((f) => ({ ...f, path: f.path.slice(prefix.length) }));
}
