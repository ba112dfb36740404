/**
 * One Ferry replica as a real process (`node bin/ferry.js server --json`, the built dist/) for the scale-out tests:
 * its own data dir, the cluster's store and shared artifact folder, and a fixed port, so a restart answers where
 * the load balancer already looks. It can be stopped with SIGTERM (a rolling restart) or SIGKILL (a crash) and
 * started again, as often as a test likes.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../support/ferry-process.js';

const BIN = join(ROOT, 'bin', 'ferry.js');

export interface ReplicaOptions {
  /** The name the load balancer gives it (r1, r2, ...). */
  name: string;
  port: number;
  storeUrl: string;
  /** One folder every replica shares (a shared volume in a real deployment). */
  artifactsDir: string;
  /** Its own data dir (kept across restarts). */
  dataDir: string;
  adminToken: string;
  secretKey: string;
  env?: Record<string, string>;
}

/** How one run of the process ended. */
export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** From the signal sent to the exit. */
  ms: number;
}

export class Replica {
  readonly url: string;
  private child: ChildProcess | null = null;
  private exited: Promise<Exit> = Promise.resolve({ code: null, signal: null, ms: 0 });
  private log = '';
  private signalledAt = 0;
  /** Every start of this replica so far (1 after the first). */
  starts = 0;

  constructor(readonly opts: ReplicaOptions) {
    this.url = `http://127.0.0.1:${opts.port}`;
    mkdirSync(opts.dataDir, { recursive: true });
  }

  get name(): string {
    return this.opts.name;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Everything every run of it printed (for failure messages). */
  output(): string {
    return this.log;
  }

  /** Starts the process and resolves once it listens (its `--json` line), with the URL it printed. */
  async start(timeoutMs = 60_000): Promise<void> {
    if (this.running()) throw new Error(`${this.name} is already running`);
    const o = this.opts;
    // Nothing of the developer's FERRY_ settings leaks in: the replica runs on exactly what the test gives it.
    const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('FERRY_') && k !== 'FORCE_COLOR'));
    const args = [
      'server',
      '--host',
      '127.0.0.1',
      '--port',
      String(o.port),
      '--data-dir',
      o.dataDir,
      '--store',
      o.storeUrl,
      '--artifacts-dir',
      o.artifactsDir,
      '--json',
    ];
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: { ...env, NO_COLOR: '1', FERRY_ADMIN_TOKEN: o.adminToken, FERRY_SECRET_KEY: o.secretKey, FERRY_LOG_LEVEL: 'warn', ...o.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.starts++;
    const tag = `[${this.name}#${this.starts}] `;
    let stdout = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      this.log += tag + d;
    });
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (this.log += tag + d));
    this.exited = new Promise<Exit>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal, ms: this.signalledAt ? Date.now() - this.signalledAt : 0 })),
    );
    this.signalledAt = 0;
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => fail(`did not print its --json line within ${timeoutMs} ms`), timeoutMs);
      const onData = () => {
        const nl = stdout.indexOf('\n');
        if (nl < 0) return;
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        try {
          resolve((JSON.parse(stdout.slice(0, nl)) as { url: string }).url);
        } catch {
          fail(`printed ${JSON.stringify(stdout.slice(0, nl))} instead of its --json line`);
        }
      };
      const fail = (why: string) => {
        clearTimeout(timer);
        child.kill('SIGKILL');
        reject(new Error(`replica ${this.name} ${why}\n${this.log}`));
      };
      child.stdout!.on('data', onData);
      void this.exited.then((e) => fail(`exited (code ${e.code}, signal ${e.signal}) before listening`));
    });
    if (url !== this.url) throw new Error(`replica ${this.name} listens on ${url}, not ${this.url}`);
  }

  /**
   * Sends `signal` and resolves with how the process ended. SIGTERM is given `graceMs` to finish (a drain, then
   * in-flight requests, then the log flush) before a SIGKILL ends it — which the answer then shows.
   */
  async stop(signal: 'SIGTERM' | 'SIGKILL', graceMs = 30_000): Promise<Exit> {
    if (!this.running()) return this.exited;
    this.signalledAt = Date.now();
    this.child!.kill(signal);
    const timer = signal === 'SIGTERM' ? setTimeout(() => this.child?.kill('SIGKILL'), graceMs) : undefined;
    const exit = await this.exited;
    clearTimeout(timer);
    return exit;
  }

  /** Resolves once GET /ready answers 200 on this replica directly; throws after timeoutMs. */
  async waitReady(timeoutMs = 60_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    let last = '';
    for (;;) {
      try {
        const res = await fetch(`${this.url}/ready`);
        last = `${res.status} ${await res.text()}`;
        if (res.status === 200) return;
      } catch (err) {
        last = String(err);
      }
      if (!this.running()) throw new Error(`replica ${this.name} exited while waiting for /ready\n${this.log}`);
      if (Date.now() > end) throw new Error(`replica ${this.name} not ready within ${timeoutMs} ms (last: ${last})`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
