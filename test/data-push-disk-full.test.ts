/**
 * The data folder full while a dataset push is spooled, for real: a real `ferry server` whose <data-dir>/tmp (where
 * a pushed file lands before it is profiled) is a 1 MiB tmpfs. A bigger push answers 507 INSUFFICIENT_STORAGE — not
 * a reset connection — leaves no spooled file behind, and the dataset takes a push that fits afterwards.
 */
import { mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { alive, rawCall, type SmallDisk, smallDisk } from './chaos/fault-support.js';
import { type FerryProcess, startFerry } from './support/ferry-process.js';
import { forEachStore, freshStore, type StoreHandle } from './support/stores.js';

const MiB = 1024 * 1024;

/** A CSV of about `bytes` bytes, different every call. */
function csv(bytes: number): Buffer {
  const lines = ['id,x'];
  for (let i = 0, size = 5; size < bytes; i++) {
    const line = `${i},${Math.random().toFixed(6)}`;
    lines.push(line);
    size += line.length + 1;
  }
  return Buffer.from(lines.join('\n') + '\n');
}

/**
 * POSTs `body` in 64 KiB writes, each after the last drained (a client uploading at network speed: it is still
 * sending when the disk fills). Answers the status and body, or throws what the connection did (a reset).
 */
function streamPost(s: { url: string; adminToken: string }, path: string, body: Buffer): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = request(`${s.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${s.adminToken}`, 'content-type': 'text/csv' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    const write = async () => {
      for (let at = 0; at < body.length && !req.destroyed; at += 64 * 1024) {
        if (!req.write(body.subarray(at, at + 64 * 1024))) await new Promise((r) => req.once('drain', r));
      }
      req.end();
    };
    write().catch(reject);
  });
}

forEachStore('data folder full during a dataset push', (kind) => {
  let disk: SmallDisk | null = null;
  let skipped = '';
  let handle: StoreHandle | undefined;
  let server: FerryProcess | undefined;
  let dataDir = '';

  beforeAll(async () => {
    const got = smallDisk('1m');
    if ('skip' in got) {
      skipped = got.skip;
      console.warn(`\n*** SKIPPED: the dataset-push ENOSPC test needs a real small disk: ${skipped} ***\n`);
      return;
    }
    disk = got;
    dataDir = mkdtempSync(join(tmpdir(), 'ferry-spool-full-'));
    // Only the spool's folder is small: the artifact store and everything else stay on the ordinary disk.
    symlinkSync(disk.dir, join(dataDir, 'tmp'));
    handle = await freshStore(kind);
    server = await startFerry({ timeoutMs: 60_000, dataDir, env: { FERRY_STORE: handle.url } });
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
    await handle?.cleanup();
    disk?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers 507 for a push bigger than the spool folder, keeps nothing of it, and takes a push that fits', async (ctx) => {
    if (skipped) return ctx.skip();
    const s = server!;
    const v1 = await rawCall(s, 'POST', '/api/v1/datasets/spooled/versions?filename=v1.csv', csv(64 * 1024), 'text/csv');
    expect(v1.status, JSON.stringify(v1.body)).toBe(201);

    const big = await streamPost(s, '/api/v1/datasets/spooled/versions?filename=big.csv', csv(8 * MiB));
    expect(big.status, JSON.stringify(big.body)).toBe(507);
    expect(big.body).toMatchObject({ code: 'INSUFFICIENT_STORAGE', status: 507 });
    expect(big.body.detail).toMatch(/data folder is full/);
    expect(readdirSync(join(disk!.dir, 'data-push'))).toEqual([]);

    const versions = await rawCall(s, 'GET', '/api/v1/datasets/spooled/versions');
    expect((versions.body.versions as { version: number }[]).map((v) => v.version)).toEqual([1]);
    const v2 = await rawCall(s, 'POST', '/api/v1/datasets/spooled/versions?filename=v2.csv', csv(64 * 1024), 'text/csv');
    expect(v2.status, JSON.stringify(v2.body)).toBe(201);
    expect(v2.body.version.version).toBe(2);
    expect(alive(s.pid)).toBe(true);
  }, 120_000);
});
