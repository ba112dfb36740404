/**
 * The ArtifactStore conformance suite: every implementation runs these cases — the local file system, and S3 on a
 * real S3-compatible server (versitygw, skipped with the build command where it was never built).
 */
import { ListMultipartUploadsCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HAVE_S3, NO_S3_REASON, type S3TestServer, startS3Server } from '../../test/helpers/s3-server.js';
import type { ArtifactStore } from './artifact-store.js';
import { LocalArtifactStore } from './local-artifact-store.js';
import { S3ArtifactStore } from './s3-artifact-store.js';
import { makeS3Client } from './s3-client.js';

async function readAll(s: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of s) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

const MIB = 1024 * 1024;
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A stream of `total` pseudo-random bytes in 1 MiB chunks, and the bytes themselves. */
function bigBody(total: number): { body: Readable; bytes: Buffer } {
  const bytes = randomBytes(total);
  const chunks: Buffer[] = [];
  for (let i = 0; i < total; i += MIB) chunks.push(bytes.subarray(i, Math.min(total, i + MIB)));
  return { body: Readable.from(chunks), bytes };
}

interface Handle {
  store: ArtifactStore;
  /** The local folder, where there is one. */
  root?: string;
  /** Everything physically stored, in-flight uploads included: for "nothing left behind". */
  raw(): Promise<string[]>;
  cleanup(): Promise<void>;
}

interface Impl {
  name: string;
  skip?: string;
  setup?(): Promise<void>;
  teardown?(): Promise<void>;
  make(): Promise<Handle>;
}

function walk(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name), base) : [relative(base, join(dir, e.name))]));
}

let s3: S3TestServer | null = null;

const IMPLS: Impl[] = [
  {
    name: 'local',
    async make() {
      const root = mkdtempSync(join(tmpdir(), 'ferry-art-'));
      const storeDir = join(root, 'store');
      return {
        store: new LocalArtifactStore(storeDir),
        root,
        raw: async () => {
          try {
            return walk(storeDir);
          } catch {
            return [];
          }
        },
        cleanup: async () => rmSync(root, { recursive: true, force: true }),
      };
    },
  },
  {
    name: 's3 (versitygw)',
    ...(HAVE_S3 ? {} : { skip: NO_S3_REASON }),
    async setup() {
      s3 = await startS3Server();
    },
    async teardown() {
      await s3?.stop();
    },
    async make() {
      const server = s3!;
      // A fresh prefix per test: tests share the bucket, never keys.
      const prefix = `t-${randomBytes(6).toString('hex')}/artifacts`;
      const client = makeS3Client(
        { endpoint: server.endpoint, region: server.region, forcePathStyle: true },
        { accessKeyId: server.accessKey, secretAccessKey: server.secretKey },
      );
      // Small pages so paging is exercised without thousands of keys; S3's smallest part size.
      const store = new S3ArtifactStore(client, { bucket: server.bucket, prefix, partSize: 5 * MIB, listPageSize: 100 });
      return {
        store,
        raw: async () => {
          const objects = await client.send(new ListObjectsV2Command({ Bucket: server.bucket, Prefix: `${prefix}/` }));
          const uploads = await client.send(new ListMultipartUploadsCommand({ Bucket: server.bucket, Prefix: `${prefix}/` }));
          return [...(objects.Contents ?? []).map((o) => o.Key!), ...(uploads.Uploads ?? []).map((u) => `multipart upload of ${u.Key}`)];
        },
        cleanup: async () => client.destroy(),
      };
    },
  },
];

for (const impl of IMPLS) {
  if (impl.skip) console.warn(`\n!! SKIPPING the ArtifactStore conformance suite on ${impl.name}: ${impl.skip}\n`);

  describe.skipIf(impl.skip !== undefined)(`ArtifactStore conformance [${impl.name}]`, () => {
    let h: Handle;
    beforeAll(async () => impl.setup?.());
    afterAll(async () => impl.teardown?.());
    beforeEach(async () => {
      h = await impl.make();
    });
    afterEach(async () => h.cleanup());

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
      expect(await h.store.list('')).toEqual([{ path: 'run', is_dir: true }]);
      expect(await h.store.list('run/artifacts/b.txt')).toEqual([]);
      expect(await h.store.list('absent/folder')).toEqual([]);
      await h.store.delete('run/artifacts/model');
      expect(await h.store.list('run/artifacts')).toEqual([{ path: 'run/artifacts/b.txt', is_dir: false, file_size: 5 }]);
      await expect(h.store.get('run/artifacts/model/model.onnx')).rejects.toMatchObject({ code: 'RESOURCE_DOES_NOT_EXIST' });
      await expect(h.store.get('run/artifacts')).rejects.toMatchObject({ code: 'RESOURCE_DOES_NOT_EXIST' });
      await expect(h.store.delete('nothing')).rejects.toMatchObject({ code: 'RESOURCE_DOES_NOT_EXIST' });
      await h.store.delete('run/artifacts/b.txt');
      await expect(h.store.get('run/artifacts/b.txt')).rejects.toMatchObject({ code: 'RESOURCE_DOES_NOT_EXIST' });
    });

    it('normalises paths: empty and "." segments name the same file', async () => {
      await h.store.put('a//./b.txt', Readable.from(['x']), 10);
      expect((await readAll((await h.store.get('a/b.txt')).stream)).toString()).toBe('x');
      expect(await h.store.list('./a/')).toEqual([{ path: 'a/b.txt', is_dir: false, file_size: 1 }]);
    });

    it('keeps names with spaces, plus and percent signs, and non-ASCII letters', async () => {
      const names = ['odd names/a b+c%20d.txt', 'odd names/ünïcødé ✓.json', 'odd names/q?x=1&y#z.txt'];
      for (const n of names) await h.store.put(n, Readable.from([n]), 100);
      expect((await h.store.list('odd names')).map((f) => f.path)).toEqual([...names].sort());
      for (const n of names) expect((await readAll((await h.store.get(n)).stream)).toString()).toBe(n);
      const url = await h.store.presignGet(names[1]!, 60);
      if (url !== null) expect(await (await fetch(url)).text()).toBe(names[1]);
      await h.store.delete('odd names');
      expect(await h.raw()).toEqual([]);
    });

    it('stores an empty file', async () => {
      expect(await h.store.put('empty.txt', Readable.from([]), 10)).toEqual({ size: 0 });
      const got = await h.store.get('empty.txt');
      expect(got.size).toBe(0);
      expect((await readAll(got.stream)).length).toBe(0);
      expect(await h.store.list('')).toEqual([{ path: 'empty.txt', is_dir: false, file_size: 0 }]);
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
      expect(await h.raw()).toEqual([]);
    });

    it('streams a 12 MiB upload in parts, byte-exact', async () => {
      const { body, bytes } = bigBody(12 * MIB);
      expect(await h.store.put('big/model.bin', body, 64 * MIB)).toEqual({ size: 12 * MIB });
      const got = await h.store.get('big/model.bin');
      expect(got.size).toBe(12 * MIB);
      expect(sha256(await readAll(got.stream))).toBe(sha256(bytes));
      expect(await h.store.list('big')).toEqual([{ path: 'big/model.bin', is_dir: false, file_size: 12 * MIB }]);
    });

    it('refuses a multi-part upload that passes the limit midway and leaves no parts behind', async () => {
      const { body } = bigBody(12 * MIB);
      await expect(h.store.put('big/over.bin', body, 11 * MIB)).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
      await expect(h.store.get('big/over.bin')).rejects.toMatchObject({ code: 'RESOURCE_DOES_NOT_EXIST' });
      expect(await h.raw()).toEqual([]);
    });

    it('fails an upload whose body fails, leaving nothing behind', async () => {
      const body = new Readable({ read() {} });
      const pending = h.store.put('broken.bin', body, 10 * MIB);
      body.push(Buffer.alloc(1024));
      setImmediate(() => body.destroy(new Error('client went away')));
      await expect(pending).rejects.toThrow(/client went away/);
      expect(await h.raw()).toEqual([]);
    });

    it('creates a file once and never replaces it (write-once)', async () => {
      expect(await h.store.create('blobs/sha256-abc.bin', Readable.from(['first']), 100)).toEqual({ size: 5, created: true });
      expect(await h.store.create('blobs/sha256-abc.bin', Readable.from(['second!']), 100)).toEqual({ size: 7, created: false });
      expect((await readAll((await h.store.get('blobs/sha256-abc.bin')).stream)).toString()).toBe('first');
      await expect(h.store.create('blobs/big.bin', Readable.from([Buffer.alloc(200)]), 100)).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
      await expect(h.store.create('../x', Readable.from(['x']), 100)).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
      expect(await h.store.list('blobs')).toEqual([{ path: 'blobs/sha256-abc.bin', is_dir: false, file_size: 5 }]);
      expect((await h.raw()).length).toBe(1);
    });

    it('lets exactly one of several concurrent creators of a path win', async () => {
      const contents = ['alpha', 'bravo', 'charlie', 'delta'];
      const results = await Promise.all(contents.map((c) => h.store.create('race.txt', Readable.from([c]), 100)));
      expect(results.filter((r) => r.created)).toHaveLength(1);
      const winner = contents[results.findIndex((r) => r.created)];
      expect((await readAll((await h.store.get('race.txt')).stream)).toString()).toBe(winner);
      expect((await h.raw()).length).toBe(1);
    });

    it('creates a 12 MiB file in parts once, and keeps it against a second multi-part create', async () => {
      const first = bigBody(12 * MIB);
      expect(await h.store.create('big/once.bin', first.body, 64 * MIB)).toEqual({ size: 12 * MIB, created: true });
      const second = bigBody(11 * MIB);
      expect(await h.store.create('big/once.bin', second.body, 64 * MIB)).toEqual({ size: 11 * MIB, created: false });
      expect(sha256(await readAll((await h.store.get('big/once.bin')).stream))).toBe(sha256(first.bytes));
      expect(await h.raw()).toHaveLength(1);
    });

    it('reads byte ranges', async () => {
      await h.store.put('r.txt', Readable.from(['0123456789']), 100);
      const mid = await h.store.getRange('r.txt', 2, 5);
      expect({ size: mid.size, start: mid.start, total: mid.total }).toEqual({ size: 4, start: 2, total: 10 });
      expect((await readAll(mid.stream)).toString()).toBe('2345');
      const tail = await h.store.getRange('r.txt', 7);
      expect((await readAll(tail.stream)).toString()).toBe('789');
      expect(tail.size).toBe(3);
      const past = await h.store.getRange('r.txt', 8, 100);
      expect((await readAll(past.stream)).toString()).toBe('89');
      const atEnd = await h.store.getRange('r.txt', 10);
      expect({ size: atEnd.size, total: atEnd.total }).toEqual({ size: 0, total: 10 });
      expect((await readAll(atEnd.stream)).length).toBe(0);
      await expect(h.store.getRange('r.txt', 11)).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE', errors: [{ field: 'range' }] });
      await expect(h.store.getRange('r.txt', 5, 4)).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
      await expect(h.store.getRange('r.txt', -1)).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
      await expect(h.store.getRange('absent.txt', 0)).rejects.toMatchObject({ code: 'RESOURCE_DOES_NOT_EXIST' });
      await h.store.put('empty.txt', Readable.from([]), 10);
      const empty = await h.store.getRange('empty.txt', 0);
      expect({ size: empty.size, total: empty.total }).toEqual({ size: 0, total: 0 });
    });

    it('lists and deletes a folder of more than 1000 files (paged listing, batched deletes)', async () => {
      const names = Array.from({ length: 1005 }, (_, i) => `many/f${String(i).padStart(4, '0')}.txt`);
      for (let i = 0; i < names.length; i += 25) {
        await Promise.all(names.slice(i, i + 25).map((n) => h.store.put(n, Readable.from(['x']), 10)));
      }
      await h.store.put('many/sub/inner.txt', Readable.from(['y']), 10);
      await h.store.put('keep.txt', Readable.from(['z']), 10);
      const listed = await h.store.list('many');
      expect(listed).toHaveLength(1006);
      expect(listed[0]).toEqual({ path: 'many/f0000.txt', is_dir: false, file_size: 1 });
      expect(listed[1004]).toEqual({ path: 'many/f1004.txt', is_dir: false, file_size: 1 });
      expect(listed[1005]).toEqual({ path: 'many/sub', is_dir: true });
      await h.store.delete('many');
      expect(await h.store.list('many')).toEqual([]);
      expect(await h.store.list('')).toEqual([{ path: 'keep.txt', is_dir: false, file_size: 1 }]);
      expect(await h.raw()).toHaveLength(1);
    });

    it('gives a direct download URL where the storage has one', async () => {
      await h.store.put('dl/model.onnx', Readable.from([Buffer.from('onnx-bytes')]), 100);
      await expect(h.store.presignGet('dl/absent.onnx', 60)).rejects.toMatchObject({ code: 'RESOURCE_DOES_NOT_EXIST' });
      await expect(h.store.presignGet('../x', 60)).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
      const url = await h.store.presignGet('dl/model.onnx', 60);
      if (impl.name === 'local') {
        expect(url).toBeNull(); // a folder has no URL: downloads go through the server
        return;
      }
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/.*X-Amz-Signature=/);
      const res = await fetch(url!);
      expect(res.status).toBe(200);
      expect(Buffer.from(await res.arrayBuffer()).toString()).toBe('onnx-bytes');
      // The signature covers the key: another key with the same signature is refused.
      const forged = await fetch(url!.replace('model.onnx', 'other.onnx'));
      expect(forged.status).toBe(403);
      await expect(h.store.presignGet('dl/model.onnx', 0)).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
    });

    it.each(['../escape.txt', 'a/../../escape.txt', '/etc/passwd', 'a\\..\\b', 'a/\0b', '..'])('refuses the path %j', async (p) => {
      await expect(h.store.put(p, Readable.from(['x']), 10)).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
      await expect(h.store.create(p, Readable.from(['x']), 10)).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
      await expect(h.store.get(p)).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
      await expect(h.store.getRange(p, 0)).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
      await expect(h.store.list(p)).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
      await expect(h.store.delete(p)).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
      await expect(h.store.presignGet(p, 60)).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
    });

    it('refuses to delete the root', async () => {
      await h.store.put('a.txt', Readable.from(['x']), 10);
      await expect(h.store.delete('')).rejects.toMatchObject({ code: 'RESOURCE_DOES_NOT_EXIST' });
      expect(await h.store.list('')).toHaveLength(1);
    });

    it.skipIf(impl.name !== 'local')('does not follow a symlink that leads outside the root (a file system has symlinks)', async () => {
      const outside = join(h.root!, 'outside');
      mkdirSync(outside);
      writeFileSync(join(outside, 'secret.txt'), 'secret');
      await h.store.put('keep.txt', Readable.from(['x']), 10);
      symlinkSync(outside, join(h.root!, 'store', 'link'));
      await expect(h.store.get('link/secret.txt')).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
      await expect(h.store.list('link')).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
      await expect(h.store.put('link/new.txt', Readable.from(['x']), 10)).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
      await expect(h.store.create('link/new.txt', Readable.from(['x']), 10)).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
    });
  });
}
