/**
 * The ArtifactStore conformance suite: every implementation runs these cases (today the local file
 * system; an S3 store later joins the list below).
 */
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ArtifactStore } from './artifact-store.js';
import { LocalArtifactStore } from './local-artifact-store.js';

async function readAll(s: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of s) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

interface Impl {
  name: string;
  make(): { store: ArtifactStore; root: string; cleanup(): void };
}

const IMPLS: Impl[] = [
  {
    name: 'local',
    make() {
      const root = mkdtempSync(join(tmpdir(), 'ferry-art-'));
      return { store: new LocalArtifactStore(join(root, 'store')), root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
    },
  },
];

for (const impl of IMPLS) {
  describe(`ArtifactStore conformance [${impl.name}]`, () => {
    let h: ReturnType<Impl['make']>;
    beforeEach(() => {
      h = impl.make();
    });
    afterEach(() => h.cleanup());

    it('round-trips bytes, lists children sorted with sizes, deletes files and folders', async () => {
      const bytes = Buffer.from([0, 1, 2, 255, 10, 13]);
      expect(await h.store.put('run/artifacts/model/model.onnx', Readable.from([bytes]), 1024)).toEqual({ size: 6 });
      await h.store.put('run/artifacts/b.txt', Readable.from(['hello']), 1024);
      const got = await h.store.get('run/artifacts/model/model.onnx');
      expect(got.size).toBe(6);
      expect(await readAll(got.stream)).toEqual(bytes);
      expect(await h.store.list('run/artifacts')).toEqual([
        { path: 'run/artifacts/b.txt', is_dir: false, file_size: 5 },
        { path: 'run/artifacts/model', is_dir: true },
      ]);
      expect(await h.store.list('absent/folder')).toEqual([]);
      await h.store.delete('run/artifacts/model');
      expect(await h.store.list('run/artifacts')).toEqual([{ path: 'run/artifacts/b.txt', is_dir: false, file_size: 5 }]);
      await expect(h.store.get('run/artifacts/model/model.onnx')).rejects.toMatchObject({ code: 'RESOURCE_DOES_NOT_EXIST' });
      await expect(h.store.delete('nothing')).rejects.toMatchObject({ code: 'RESOURCE_DOES_NOT_EXIST' });
    });

    it('overwrites a file atomically', async () => {
      await h.store.put('a.txt', Readable.from(['one']), 100);
      await h.store.put('a.txt', Readable.from(['second']), 100);
      expect((await readAll((await h.store.get('a.txt')).stream)).toString()).toBe('second');
    });

    it('refuses uploads over the limit and leaves nothing behind', async () => {
      const big = Readable.from([Buffer.alloc(600), Buffer.alloc(600)]);
      await expect(h.store.put('big.bin', big, 1000)).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
      expect(await h.store.list('')).toEqual([]);
    });

    it.each(['../escape.txt', 'a/../../escape.txt', '/etc/passwd', 'a\\..\\b', 'a/\0b', '..'])('refuses the path %j', async (p) => {
      await expect(h.store.put(p, Readable.from(['x']), 10)).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
      await expect(h.store.get(p)).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
      await expect(h.store.list(p)).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
      await expect(h.store.delete(p)).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
    });

    it('does not follow a symlink that leads outside the root', async () => {
      if (impl.name !== 'local') return; // only a file system has symlinks
      const outside = join(h.root, 'outside');
      mkdirSync(outside);
      writeFileSync(join(outside, 'secret.txt'), 'secret');
      await h.store.put('keep.txt', Readable.from(['x']), 10);
      symlinkSync(outside, join(h.root, 'store', 'link'));
      await expect(h.store.get('link/secret.txt')).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
      await expect(h.store.list('link')).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
      await expect(h.store.put('link/new.txt', Readable.from(['x']), 10)).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
    });
  });
}
