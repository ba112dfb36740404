/**
 * Chaos by SIGKILL: a real `ferry server` process on a store (a SQLite file or a PostgreSQL database) and a data
 * dir that both outlive it, killed at a seeded point of a workload and started again on the same store, data dir
 * and port; and the ledger of acknowledged writes that every check after the restart is made against.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FerryProcess, startFerry } from '../support/ferry-process.js';
import { killJobs, serverSetup, type ServerSetup } from '../support/ferry-servers.js';
import { freshStore, type StoreHandle, type StoreKind } from '../support/stores.js';

/**
 * The seed of every chaos test's "when to kill" (FERRY_CHAOS_SEED overrides it, to replay or vary a run); each
 * test mixes in its own name, so the tests do not all kill at the same count.
 */
export const CHAOS_SEED = Number(process.env['FERRY_CHAOS_SEED'] ?? 20261207);

/** A small deterministic generator (mulberry32) seeded from CHAOS_SEED and a name: numbers in [0, 1). */
export function seeded(name: string): () => number {
  let a = CHAOS_SEED >>> 0;
  for (const ch of name) a = (Math.imul(a ^ ch.charCodeAt(0), 0x9e3779b1) + 0x7f4a7c15) >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A whole number in [lo, hi] from a seeded generator. */
export function seededInt(rand: () => number, lo: number, hi: number): number {
  return lo + Math.floor(rand() * (hi - lo + 1));
}

/**
 * The writes a workload made, by id: every one attempted (sent) with what it carried, and those the server
 * acknowledged (answered with a success). After the fault every acknowledged write must be there whole; an
 * attempted one that was not acknowledged may be there or not, but whole or not at all.
 */
export class AckLedger<T> {
  readonly attempted = new Map<string, T>();
  readonly acked = new Set<string>();
  private waiters: { n: number; resolve: () => void }[] = [];

  attempt(id: string, value: T): void {
    if (this.attempted.has(id)) throw new Error(`write ${id} attempted twice: the workload must give each write its own id`);
    this.attempted.set(id, value);
  }

  ack(id: string): void {
    if (!this.attempted.has(id)) throw new Error(`write ${id} acknowledged but never attempted`);
    this.acked.add(id);
    for (const w of this.waiters.filter((w) => this.acked.size >= w.n)) w.resolve();
    this.waiters = this.waiters.filter((w) => this.acked.size < w.n);
  }

  /** Attempted, not acknowledged: in flight when the server died (or refused; the workload says which). */
  unacked(): string[] {
    return [...this.attempted.keys()].filter((id) => !this.acked.has(id));
  }

  /** Resolves once `n` writes are acknowledged; rejects after `timeoutMs` saying how far it got. */
  untilAcked(n: number, timeoutMs: number): Promise<void> {
    if (this.acked.size >= n) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`only ${this.acked.size} of the ${n} acknowledged writes awaited came within ${timeoutMs} ms (${this.attempted.size} sent)`)),
        timeoutMs,
      );
      this.waiters.push({
        n,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }
}

/** One server at a time on a store and data dir that outlive it; the same admin token, secret key and port. */
export interface ChaosRig {
  kind: StoreKind;
  dataDir: string;
  setup: ServerSetup;
  server: FerryProcess;
  /** SIGKILLs the server and waits for the process to be gone. */
  kill(): Promise<void>;
  /** Starts the server again, as it was built, on the same store, data dir and port (jobs call back to that URL). */
  restart(): Promise<FerryProcess>;
  /** Stops the server, ends local jobs left on the data dir, drops the store and removes the data dir. */
  close(): Promise<void>;
}

export async function chaosRig(kind: StoreKind, env: Record<string, string> = {}): Promise<ChaosRig> {
  const handle: StoreHandle = await freshStore(kind);
  const dataDir = mkdtempSync(join(tmpdir(), 'ferry-chaos-'));
  const setup = serverSetup(handle.url, env);
  const start = (port?: number, asBuilt = false) =>
    startFerry({
      adminToken: setup.adminToken,
      timeoutMs: 60_000,
      dataDir,
      asBuilt,
      ...(port !== undefined ? { port } : {}),
      env: { FERRY_STORE: setup.storeUrl, FERRY_SECRET_KEY: setup.secretKey, ...setup.env },
    });
  let server: FerryProcess;
  try {
    server = await start();
  } catch (err) {
    await handle.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  const port = Number(new URL(server.url).port);
  const rig: ChaosRig = {
    kind,
    dataDir,
    setup,
    server,
    async kill() {
      await rig.server.signal('SIGKILL');
      if (rig.server.endedBy() !== 'SIGKILL') throw new Error(`the server ended by ${rig.server.endedBy()}, not by the SIGKILL sent:\n${rig.server.output()}`);
    },
    async restart() {
      rig.server = await start(port, true);
      return rig.server;
    },
    async close() {
      killJobs(dataDir);
      await rig.server.stop();
      await handle.cleanup();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return rig;
}

/** A call as the admin that answers the status and the parsed body, or throws when the connection fails. */
export async function adminCall(
  server: { url: string; adminToken: string },
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${server.adminToken}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** `adminCall` that must answer 200: its body (otherwise it throws with the status and body). */
export async function ok200(server: { url: string; adminToken: string }, method: string, path: string, body?: unknown): Promise<any> {
  const res = await adminCall(server, method, path, body);
  if (res.status !== 200)
    throw new Error(
      `${method} ${path} answered ${res.status}: ${JSON.stringify(res.body)}${'output' in server ? `\n${(server as { output(): string }).output()}` : ''}`,
    );
  return res.body;
}
