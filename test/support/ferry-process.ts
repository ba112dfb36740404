/**
 * Runs the real `ferry` binary for SDK and CLI tests, which may not import server code: a server as a
 * child process (`ferry server --port 0` on a temp data dir), and one-shot CLI invocations against it.
 * Builds dist/ first when it is missing or older than src/ (once, under a lock, for parallel test files).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { FerryApiError } from '../../src/sdk/index.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = join(ROOT, 'bin', 'ferry.js');
const BUILT_MAIN = join(ROOT, 'dist', 'cli', 'main.js');

/** Server settings from the developer's shell must not leak into tests. */
const CLEARED_ENV = [
  'FERRY_URL',
  'FERRY_TOKEN',
  'FERRY_HOST',
  'FERRY_PORT',
  'FERRY_DATA_DIR',
  'FERRY_STORE',
  'FERRY_ARTIFACTS',
  'FERRY_ARTIFACTS_DIR',
  'FERRY_INSECURE_NO_AUTH',
  'FERRY_ADMIN_TOKEN',
  'FERRY_ALLOWED_HOSTS',
  'FERRY_TLS_CERT',
  'FERRY_TLS_KEY',
];

/** `isolated`: every FERRY_ variable of the test process is cleared, not only the server settings above. */
function baseEnv(extra: Record<string, string>, isolated = false): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  for (const k of isolated ? Object.keys(env).filter((k) => k.startsWith('FERRY_')) : CLEARED_ENV) delete env[k];
  delete env['FORCE_COLOR'];
  return { ...env, ...extra };
}

function newestSourceMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSourceMtime(p));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

function isStale(): boolean {
  return !existsSync(BUILT_MAIN) || statSync(BUILT_MAIN).mtimeMs < newestSourceMtime(join(ROOT, 'src'));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs `build` when `stale()` says so, once across parallel test files: they wait on a lock directory under
 * dist/ (named `lockName`) and skip the build when the holder already did it.
 */
export async function buildOnce(lockName: string, stale: () => boolean, build: () => void): Promise<void> {
  if (!stale()) return;
  const lock = join(ROOT, 'dist', lockName);
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Someone else builds; a lock older than 5 minutes is left over from a killed run.
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 300_000) rmSync(lock, { recursive: true, force: true });
      await sleep(250);
      if (!existsSync(lock) && !stale()) return;
    }
  }
  try {
    if (stale()) build();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** `npm run build` when dist/ is missing or stale. */
export async function ensureBuilt(): Promise<void> {
  await buildOnce('.build-lock', isStale, () => {
    const res = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8' });
    // tsc emits even with type errors (someone else's file mid-edit); fail only when nothing came out.
    if (res.status !== 0 && !existsSync(BUILT_MAIN)) throw new Error(`npm run build failed:\n${res.stdout}\n${res.stderr}`);
  });
}

export interface FerryServer {
  url: string;
  adminToken: string;
  dataDir: string;
  pid: number;
  /** What the server printed so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
  /** Sends a signal and waits for the process to end (the data dir stays). */
  signal(sig: NodeJS.Signals): Promise<void>;
}

/** A server started by startFerry, with how its process stands. */
export interface FerryProcess extends FerryServer {
  /** The signal that ended the process (null while it runs, or when it exited by itself). */
  endedBy(): NodeJS.Signals | null;
  running(): boolean;
}

export interface FerryOptions {
  timeoutMs?: number;
  dataDir?: string;
  adminToken?: string;
  env?: Record<string, string>;
  /** Listen here (a restart where the dead server listened) instead of on a free port. */
  port?: number;
  /** Run dist/ as it is, without ensureBuilt() (the caller built once; a restart must run the same code). */
  asBuilt?: boolean;
  /** Clear every FERRY_ variable of the test process from the server's environment. */
  isolated?: boolean;
}

/** Starts `ferry server --port 0` on a fresh temp data dir with a known admin token. */
export async function startFerry(opts: FerryOptions = {}): Promise<FerryProcess> {
  if (!opts.asBuilt) await ensureBuilt();
  // A given data dir belongs to the caller (a restart test): it is kept on stop.
  const ownDir = opts.dataDir === undefined;
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'ferry-test-'));
  const adminToken = opts.adminToken ?? `ferry-test-${randomBytes(16).toString('hex')}`;
  const child: ChildProcess = spawn(process.execPath, [BIN, 'server', '--port', String(opts.port ?? 0), '--host', '127.0.0.1', '--data-dir', dataDir], {
    cwd: ROOT,
    env: baseEnv({ FERRY_ADMIN_TOKEN: adminToken, FERRY_LOG_LEVEL: 'warn', ...opts.env }, opts.isolated),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));

  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => fail(new Error(`ferry server did not start within ${opts.timeoutMs ?? 20000} ms`)), opts.timeoutMs ?? 20_000);
    const onData = () => {
      const m = /Ferry listening on (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        child.off('exit', onExit);
        resolveUrl(m[1]!);
      }
    };
    const onExit = (code: number | null) => fail(new Error(`ferry server exited (code ${code}) before listening`));
    function fail(err: Error) {
      clearTimeout(timer);
      child.kill('SIGKILL');
      if (ownDir) rmSync(dataDir, { recursive: true, force: true });
      reject(new Error(`${err.message}\n${out}`));
    }
    child.stdout!.on('data', onData);
    child.once('exit', onExit);
  });

  let stopped = false;
  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    url,
    adminToken,
    dataDir,
    pid: child.pid!,
    output: () => out,
    endedBy: () => child.signalCode,
    running,
    async stop() {
      if (stopped) return;
      stopped = true;
      if (running()) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      if (ownDir) rmSync(dataDir, { recursive: true, force: true });
    },
    async signal(sig) {
      if (running()) child.kill(sig);
      await exited;
    },
  };
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `ferry <args>` with the given environment (FERRY_URL / FERRY_TOKEN, say); never throws on exit codes. */
export async function runCli(args: readonly string[], env: Record<string, string> = {}, opts: { timeoutMs?: number } = {}): Promise<CliResult> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: baseEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 20_000);
  const code = await new Promise<number | null>((r) => child.once('close', (c) => r(c)));
  clearTimeout(timer);
  return { code, stdout, stderr };
}

/** A loopback port nothing listens on (bound, then released), for "server unreachable" tests. */
export function unusedPort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolvePort(port));
    });
  });
}

/** A CLI run that must succeed: its stdout (on failure the assertion shows stderr too). */
export function ok(res: CliResult): string {
  expect({ code: res.code, error: res.code === 0 ? '' : res.stderr }).toEqual({ code: 0, error: '' });
  return res.stdout;
}

/** A CLI run that must fail with exit 1 and nothing on stdout: its stderr. */
export function failed(res: CliResult): string {
  expect(res.code).toBe(1);
  expect(res.stdout).toBe('');
  return res.stderr;
}

/** The FerryApiError a promise must reject with. */
export async function apiError(p: Promise<unknown>): Promise<FerryApiError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(FerryApiError);
  return err as FerryApiError;
}
