/**
 * A local MLflow Project folder as a zip in memory, for `ferry jobs submit PATH`. What a project never needs
 * (version control, caches, virtual environments, local mlruns) is left out; links are never followed out of
 * the folder, since the zip is run on another machine and must hold only the project's own files.
 */
import { createReadStream } from 'node:fs';
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { Transform } from 'node:stream';
import yazl from 'yazl';

/** Folders skipped at any depth. */
export const SKIPPED_FOLDERS: ReadonlySet<string> = new Set(['.git', '__pycache__', '.venv', 'venv', 'node_modules', 'mlruns', '.ipynb_checkpoints']);
const SKIPPED_FILE = /\.pyc$/;

/** The server's own limit (a project has at most 20,000 files): a folder larger than that is refused before zipping. */
export const MAX_PROJECT_FILES = 20_000;

/** A refusal about the folder itself, worded for the person who ran the command. */
export class ProjectFolderError extends Error {}

export interface ProjectEntry {
  /** The path inside the zip, with '/' separators. */
  name: string;
  /** The file read (a link inside the folder is stored as a copy of what it points to). */
  source: string;
  size: number;
  executable: boolean;
}

export interface ProjectListing {
  entries: ProjectEntry[];
  totalBytes: number;
  /** What was left out on purpose (folders and *.pyc), for a note. */
  skipped: string[];
  /** Sockets, FIFOs and devices: not files a project can hold. */
  ignored: string[];
}

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !rel.startsWith(sep));
}

/** Every file of the project folder, sorted, with what was skipped; refuses a link that leads outside it. */
export async function listProject(folder: string): Promise<ProjectListing> {
  let root: string;
  try {
    root = await realpath(folder);
    if (!(await stat(root)).isDirectory()) throw new ProjectFolderError(`${folder} is not a folder`);
  } catch (err) {
    if (err instanceof ProjectFolderError) throw err;
    throw new ProjectFolderError(`cannot read ${folder}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such folder' : (err as Error).message}`);
  }
  const listing: ProjectListing = { entries: [], totalBytes: 0, skipped: [], ignored: [] };

  async function walk(dir: string): Promise<void> {
    const names = (await readdir(dir)).sort();
    for (const name of names) {
      const path = join(dir, name);
      const rel = relative(root, path).split(sep).join('/');
      // lstat: a link is looked at as a link, never walked through.
      const st = await lstat(path);
      // A skipped name is skipped whatever it is: a venv may be a link to one elsewhere, .git a worktree's file.
      if (SKIPPED_FOLDERS.has(name)) {
        listing.skipped.push(st.isDirectory() ? `${rel}/` : rel);
      } else if (st.isDirectory()) {
        await walk(path);
      } else if (SKIPPED_FILE.test(name)) {
        listing.skipped.push(rel);
      } else if (st.isSymbolicLink()) {
        add(rel, await linkTarget(path, rel));
      } else if (st.isFile()) {
        add(rel, { source: path, size: st.size, mode: st.mode });
      } else {
        listing.ignored.push(rel);
      }
    }
  }

  /** A link to a file inside the folder becomes a copy of that file (the server stores no links); anything else is refused. */
  async function linkTarget(path: string, rel: string): Promise<{ source: string; size: number; mode: number }> {
    let target: string;
    try {
      target = await realpath(path);
    } catch {
      throw new ProjectFolderError(`${rel} is a symbolic link to nothing (a broken link); remove it or the link's target is missing`);
    }
    if (!inside(root, target))
      throw new ProjectFolderError(
        `${rel} is a symbolic link to ${target}, outside the project folder; a project may hold only its own files (copy the file in, or remove the link)`,
      );
    const st = await stat(target);
    if (!st.isFile()) throw new ProjectFolderError(`${rel} is a symbolic link to a folder; a project may not hold links to folders (copy it in instead)`);
    return { source: target, size: st.size, mode: st.mode };
  }

  function add(name: string, f: { source: string; size: number; mode: number }): void {
    if (listing.entries.length >= MAX_PROJECT_FILES)
      throw new ProjectFolderError(`${folder} holds more than ${MAX_PROJECT_FILES} files (the most a project may have); is it the project's folder?`);
    listing.entries.push({ name, source: f.source, size: f.size, executable: (f.mode & 0o111) !== 0 });
    listing.totalBytes += f.size;
  }

  await walk(root);
  if (!listing.entries.some((e) => e.name === 'MLproject')) {
    const other = listing.entries.find((e) => e.name.toLowerCase() === 'mlproject');
    throw new ProjectFolderError(
      other
        ? `${folder} has ${other.name} but no MLproject file (the name is case-sensitive)`
        : `${folder} has no MLproject file at its top, so it is not an MLflow Project (see https://mlflow.org/docs/latest/projects.html)`,
    );
  }
  return listing;
}

/** The listed files as one zip (deflated; the executable bit kept); `onBytes` hears how many input bytes were read so far. */
export function zipProject(listing: ProjectListing, onBytes: (read: number) => void = () => {}): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  let read = 0;
  for (const e of listing.entries) {
    // Lazy: each file is opened when its turn comes, so a folder of many files never holds many descriptors.
    zip.addReadStreamLazy(e.name, { size: e.size, mode: e.executable ? 0o100755 : 0o100644 }, (cb) => {
      const meter = new Transform({
        transform(chunk: Buffer, _enc, done) {
          read += chunk.length;
          onBytes(read);
          done(null, chunk);
        },
      });
      const input = createReadStream(e.source);
      input.on('error', (err) => meter.destroy(err));
      cb(null, input.pipe(meter));
    });
  }
  zip.end();
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    zip.on('error', (err: Error) => reject(new ProjectFolderError(`cannot zip the project: ${err.message}`)));
    zip.outputStream.on('data', (c: Buffer) => parts.push(c));
    zip.outputStream.on('error', (err: Error) => reject(new ProjectFolderError(`cannot zip the project: ${err.message}`)));
    zip.outputStream.on('end', () => resolve(Buffer.concat(parts)));
  });
}

/**
 * The zip as a Blob whose stream hands it out in slices as the connection takes them, so an upload's progress
 * can be shown (Node's fetch reads a Blob body through stream()).
 */
export class MeteredBlob extends Blob {
  readonly #data: Uint8Array<ArrayBuffer>;
  readonly #onSent: (sent: number) => void;
  readonly #slice: number;

  constructor(data: Buffer, onSent: (sent: number) => void, slice = 256 * 1024) {
    // A Buffer from Buffer.concat sits on a plain ArrayBuffer, never a shared one.
    const bytes = data as Uint8Array as Uint8Array<ArrayBuffer>;
    super([bytes]);
    this.#data = bytes;
    this.#onSent = onSent;
    this.#slice = slice;
  }

  override stream(): ReadableStream<Uint8Array<ArrayBuffer>> {
    const data = this.#data;
    const onSent = this.#onSent;
    const slice = this.#slice;
    let sent = 0;
    return new ReadableStream<Uint8Array<ArrayBuffer>>(
      {
        pull(ctl) {
          if (sent >= data.length) return ctl.close();
          const piece = data.subarray(sent, sent + slice);
          sent += piece.length;
          onSent(sent);
          ctl.enqueue(piece);
        },
      },
      { highWaterMark: 0 },
    );
  }
}
