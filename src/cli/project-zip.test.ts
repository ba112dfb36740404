/** A project folder as a zip: what is left out, links, the executable bit, and the upload body's progress. */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yauzl from 'yauzl';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listProject, MeteredBlob, ProjectFolderError, zipProject } from './project-zip.js';

let dir: string;
let outside: string;

function write(rel: string, text: string, mode = 0o644): void {
  mkdirSync(join(dir, rel, '..'), { recursive: true });
  writeFileSync(join(dir, rel), text);
  chmodSync(join(dir, rel), mode);
}

/** Every entry of a zip: name → { mode, text }. */
function unzip(buf: Buffer): Promise<Record<string, { mode: number; text: string }>> {
  return new Promise((resolve, reject) =>
    yauzl.fromBuffer(buf, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err);
      const out: Record<string, { mode: number; text: string }> = {};
      zip.on('entry', (e: yauzl.Entry) =>
        zip.openReadStream(e, (err2, stream) => {
          if (err2 || !stream) return reject(err2);
          const parts: Buffer[] = [];
          stream.on('data', (c: Buffer) => parts.push(c));
          stream.on('end', () => {
            out[e.fileName] = { mode: (e.externalFileAttributes >>> 16) & 0o777, text: Buffer.concat(parts).toString() };
            zip.readEntry();
          });
        }),
      );
      zip.on('end', () => resolve(out));
      zip.readEntry();
    }),
  );
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ferry-project-zip-'));
  outside = mkdtempSync(join(tmpdir(), 'ferry-project-outside-'));
  write('MLproject', 'name: p\nentry_points:\n  main:\n    command: "./run.sh"\n');
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

describe('a project folder as a zip', () => {
  it('keeps the files and their executable bit, leaves out caches, version control and environments', async () => {
    write('run.sh', '#!/bin/sh\necho hi\n', 0o755);
    write('src/train.py', 'print(1)\n');
    write('src/__pycache__/train.cpython-311.pyc', 'x');
    write('src/old.pyc', 'x');
    for (const d of ['.git', 'venv', '.venv', 'node_modules', 'mlruns', '.ipynb_checkpoints']) write(`${d}/f`, 'x');
    write('deep/.git', 'gitdir: ../.git/worktrees/x\n'); // a worktree's .git file
    symlinkSync(outside, join(dir, 'src', 'venv')); // a venv linked from elsewhere is skipped, not refused
    const listing = await listProject(dir);
    expect(listing.entries.map((e) => e.name)).toEqual(['MLproject', 'run.sh', 'src/train.py']);
    expect(listing.skipped).toEqual(
      expect.arrayContaining([
        '.git/',
        '.venv/',
        'venv/',
        'node_modules/',
        'mlruns/',
        '.ipynb_checkpoints/',
        'deep/.git',
        'src/__pycache__/',
        'src/old.pyc',
        'src/venv',
      ]),
    );
    const files = await unzip(await zipProject(listing));
    expect(Object.keys(files).sort()).toEqual(['MLproject', 'run.sh', 'src/train.py']);
    expect(files['run.sh']).toEqual({ mode: 0o755, text: '#!/bin/sh\necho hi\n' });
    expect(files['src/train.py']!.mode).toBe(0o644);
  });

  it('stores a link to a file inside the folder as a copy of that file', async () => {
    write('data/params.yaml', 'alpha: 1\n');
    symlinkSync('data/params.yaml', join(dir, 'params.yaml'));
    const files = await unzip(await zipProject(await listProject(dir)));
    expect(files['params.yaml']!.text).toBe('alpha: 1\n');
  });

  it('refuses a link that leads outside the folder, a broken link and a link to a folder, naming it', async () => {
    writeFileSync(join(outside, 'secret.txt'), 'no');
    symlinkSync(join(outside, 'secret.txt'), join(dir, 'notes.txt'));
    await expect(listProject(dir)).rejects.toThrow(/^notes\.txt is a symbolic link to .*secret\.txt, outside the project folder/);
    rmSync(join(dir, 'notes.txt'));
    symlinkSync('../../..', join(dir, 'up'));
    await expect(listProject(dir)).rejects.toThrow(/^up is a symbolic link to .*, outside the project folder/);
    rmSync(join(dir, 'up'));
    symlinkSync('missing.txt', join(dir, 'dangling'));
    await expect(listProject(dir)).rejects.toThrow(/^dangling is a symbolic link to nothing/);
    rmSync(join(dir, 'dangling'));
    mkdirSync(join(dir, 'data'));
    symlinkSync('data', join(dir, 'data2'));
    await expect(listProject(dir)).rejects.toThrow(/^data2 is a symbolic link to a folder/);
  });

  it('refuses a folder without an MLproject file, and says so when only the case is wrong', async () => {
    rmSync(join(dir, 'MLproject'));
    await expect(listProject(dir)).rejects.toThrow(ProjectFolderError);
    await expect(listProject(dir)).rejects.toThrow(/has no MLproject file at its top/);
    write('mlproject', 'name: p\n');
    await expect(listProject(dir)).rejects.toThrow(/has mlproject but no MLproject file \(the name is case-sensitive\)/);
    await expect(listProject(join(dir, 'nope'))).rejects.toThrow(/no such folder/);
    await expect(listProject(join(dir, 'mlproject'))).rejects.toThrow(/is not a folder/);
  });

  it('hands the upload body out in slices, reporting what was sent', async () => {
    const data = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));
    const seen: number[] = [];
    const blob = new MeteredBlob(data, (n) => seen.push(n), 300);
    expect(blob.size).toBe(1000);
    const back = Buffer.from(await new Response(blob.stream()).arrayBuffer());
    expect(back.equals(data)).toBe(true);
    expect(seen).toEqual([300, 600, 900, 1000]);
  });
});
