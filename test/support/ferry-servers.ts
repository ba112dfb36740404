/**
 * Real `ferry server` processes for the queue's multi-server and restart tests: several on one store (same
 * admin token, same secret key), JSON calls to any of them, and the local jobs they leave behind (detached
 * process groups that outlive a killed server) ended by their recorded pids.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type FerryServer, startFerry } from './ferry-process.js';

export interface ServerSetup {
  storeUrl: string;
  adminToken: string;
  secretKey: string;
  env: Record<string, string>;
}

export function serverSetup(storeUrl: string, env: Record<string, string>): ServerSetup {
  return { storeUrl, adminToken: `ferry-test-${randomBytes(16).toString('hex')}`, secretKey: randomBytes(32).toString('hex'), env };
}

/** Starts one server of the setup; `dataDir` given = a restart on the same data dir (kept on stop). */
export function startServer(s: ServerSetup, dataDir?: string): Promise<FerryServer> {
  return startFerry({
    adminToken: s.adminToken,
    timeoutMs: 60_000,
    ...(dataDir ? { dataDir } : {}),
    env: { FERRY_STORE: s.storeUrl, FERRY_SECRET_KEY: s.secretKey, ...s.env },
  });
}

/** A JSON call as the admin; the body parsed. */
export async function call(server: FerryServer, method: string, path: string, body?: object): Promise<{ status: number; body: any }> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${server.adminToken}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** The files at the top of a project folder (no subfolders: caches stay out), as the CLI sends them. */
export function folderFiles(dir: string): Record<string, Buffer> {
  const files: Record<string, Buffer> = {};
  for (const name of readdirSync(dir)) {
    if (statSync(join(dir, name)).isFile()) files[name] = readFileSync(join(dir, name));
  }
  return files;
}

export async function uploadZip(server: FerryServer, zip: Buffer): Promise<string> {
  const res = await fetch(`${server.url}/api/v1/jobs/projects`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.adminToken}`, 'content-type': 'application/zip' },
    body: new Uint8Array(zip),
  });
  const body = (await res.json()) as { project?: { digest: string } };
  if (!body.project) throw new Error(`project upload failed (${res.status}): ${JSON.stringify(body)}`);
  return body.project.digest;
}

/** The pids of the local jobs a data dir's executor started (their process records). */
export function jobPids(dataDir: string): number[] {
  const work = join(dataDir, 'jobs', 'work');
  if (!existsSync(work)) return [];
  const pids: number[] = [];
  for (const d of readdirSync(work)) {
    try {
      pids.push((JSON.parse(readFileSync(join(work, d, 'process.json'), 'utf8')) as { pid: number }).pid);
    } catch {
      /* not started yet, or cleaned up */
    }
  }
  return pids;
}

/** Ends every local job process group a data dir still has (a test that failed midway leaves them). */
export function killJobs(dataDir: string): void {
  for (const pid of jobPids(dataDir)) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
}

/**
 * Ends what a test of real servers set up, in order (each part may be missing when setup failed midway): the local
 * jobs left in `jobDirs`, the servers, the store, its database, then the folders `dirs`.
 */
export async function tearDown(o: {
  jobDirs: (string | undefined)[];
  servers: (FerryServer | undefined)[];
  store: { close(): Promise<void> } | undefined;
  handle: { cleanup(): Promise<void> } | undefined;
  dirs: (string | undefined)[];
}): Promise<void> {
  for (const d of o.jobDirs) if (d) killJobs(d);
  await Promise.all(o.servers.map((s) => s?.stop()));
  await o.store?.close();
  await o.handle?.cleanup();
  for (const d of o.dirs) if (d) rmSync(d, { recursive: true, force: true });
}

/** Polls `get` until `done` holds for it or `timeoutMs` passes; answers the last value either way. */
export async function waitFor<T>(get: () => Promise<T>, done: (v: T) => boolean, timeoutMs: number, intervalMs = 100): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await get();
    if (done(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
