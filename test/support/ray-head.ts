/**
 * A real Ray head for a test file: `ray start --head --block` from the test venv, on free loopback ports and
 * its own temp dir, with the venv first on PATH (a job's `python` is the one `ray start` finds, and it needs
 * mlflow). Stopped by signalling exactly the processes it started (its process tree, found through /proc):
 * `ray stop` would stop every Ray process of the user, another test's or a benchmark's head included.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const VENV_BIN = resolve('.venv/bin');

function rayImportable(): { ok: boolean; why: string } {
  const python = join(VENV_BIN, 'python');
  if (!existsSync(python)) return { ok: false, why: `no test venv at ${python} (scripts/test.sh creates it from python/requirements-test.txt)` };
  const res = spawnSync(python, ['-c', 'import ray, ray.dashboard'], { encoding: 'utf8', timeout: 60_000 });
  if (res.status !== 0)
    return { ok: false, why: `ray cannot be imported from the test venv: ${(res.stderr || res.error?.message || '').trim().split('\n').pop()}` };
  return { ok: true, why: '' };
}

const probe = rayImportable();
/** Whether the test venv has ray (`ray[default]` in python/requirements-test.txt). */
export const HAVE_RAY = probe.ok;
/** Why Ray tests are skipped, to print. */
export const NO_RAY_REASON = probe.why;

export interface RayHead {
  /** The dashboard's URL (the Jobs REST API). */
  url: string;
  /** The bearer token the head requires, when started with token auth. */
  token: string | undefined;
  /**
   * A GET of the Jobs REST API with the head's token: status and parsed body (text when not JSON). Only GET: Node's
   * fetch sends Sec-Fetch-Mode, and Ray refuses other methods that carry it as browser traffic.
   */
  get(path: string): Promise<{ status: number; body: any }>;
  /** Every job the head knows (GET /api/jobs/). */
  jobs(): Promise<Array<{ submission_id: string | null; status: string; metadata: Record<string, string> | null }>>;
  stop(): Promise<void>;
}

/** `n` distinct free loopback ports (all held at once, then released). */
async function freePorts(n: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const srv = createServer();
      await new Promise<void>((res, rej) => {
        srv.once('error', rej);
        srv.listen(0, '127.0.0.1', () => res());
      });
      servers.push(srv);
    }
    return servers.map((s) => (s.address() as { port: number }).port);
  } finally {
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  }
}

/** The parent of every live process, read from /proc (field 4 of stat, after the command in parentheses). */
function parents(): Map<number, number> {
  const out = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      out.set(Number(name), ppid);
    } catch {
      /* gone meanwhile */
    }
  }
  return out;
}

/** `root` and everything below it. */
function tree(root: number): number[] {
  const byParent = new Map<number, number[]>();
  for (const [pid, ppid] of parents()) byParent.set(ppid, [...(byParent.get(ppid) ?? []), pid]);
  const out: number[] = [];
  const todo = [root];
  while (todo.length) {
    const pid = todo.pop()!;
    out.push(pid);
    todo.push(...(byParent.get(pid) ?? []));
  }
  return out;
}

function signalAll(pids: number[], sig: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, sig);
    } catch {
      /* already gone */
    }
  }
}

function alive(pid: number): boolean {
  try {
    // A zombie (state Z) is gone for our purposes: it holds no ports and runs nothing.
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts a head (token auth on when `token` is given, explicitly off otherwise) and waits for its Jobs API. */
export async function startRayHead(opts: { token?: string; timeoutMs?: number } = {}): Promise<RayHead> {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-ray-'));
  const [gcs, dash, agentHttp, agentGrpc, client, nodeManager, objectManager, metrics, runtimeEnv] = await freePorts(9);
  const logFile = join(dir, 'ray-start.log');
  const log = openSync(logFile, 'a');
  const args = [
    'start',
    '--head',
    '--block',
    `--port=${gcs}`,
    '--node-ip-address=127.0.0.1',
    '--dashboard-host=127.0.0.1',
    `--dashboard-port=${dash}`,
    `--dashboard-agent-listen-port=${agentHttp}`,
    `--dashboard-agent-grpc-port=${agentGrpc}`,
    `--ray-client-server-port=${client}`,
    `--node-manager-port=${nodeManager}`,
    `--object-manager-port=${objectManager}`,
    `--metrics-export-port=${metrics}`,
    `--runtime-env-agent-port=${runtimeEnv}`,
    `--temp-dir=${join(dir, 'ray')}`,
    '--num-cpus=2',
    // The smallest object store Ray allows: the machine is shared and the tests pass no objects.
    '--object-store-memory=80000000',
    '--disable-usage-stats',
  ];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${VENV_BIN}:${process.env['PATH'] ?? ''}`,
    RAY_USAGE_STATS_ENABLED: '0',
    RAY_AUTH_MODE: opts.token ? 'token' : 'disabled',
  };
  if (opts.token) env['RAY_AUTH_TOKEN'] = opts.token;
  else delete env['RAY_AUTH_TOKEN'];
  const child: ChildProcess = spawn(join(VENV_BIN, 'ray'), args, { cwd: dir, env, stdio: ['ignore', log, log], detached: true });
  closeSync(log);
  child.on('error', () => {});
  const root = child.pid!;
  let stopped = false;
  // If the test process dies without afterAll, take the head with it.
  const onExit = () => signalAll(tree(root), 'SIGKILL');
  process.once('exit', onExit);

  const url = `http://127.0.0.1:${dash}`;
  const headers: Record<string, string> = opts.token ? { authorization: `Bearer ${opts.token}` } : {};
  const get: RayHead['get'] = async (path) => {
    const res = await fetch(`${url}${path}`, { headers, signal: AbortSignal.timeout(15_000) });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* Ray answers errors as text */
    }
    return { status: res.status, body: parsed };
  };

  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    process.off('exit', onExit);
    // The tree first, then signals: a process whose parent died is re-parented and would be missed later.
    const pids = tree(root);
    signalAll(pids, 'SIGTERM');
    for (let i = 0; i < 30 && pids.some(alive); i++) await sleep(100);
    signalAll([...new Set([...pids, ...tree(root)])].filter(alive), 'SIGKILL');
    for (let i = 0; i < 50 && pids.some(alive); i++) await sleep(100);
    rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + (opts.timeoutMs ?? 120_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      const out = readFileSync(logFile, 'utf8');
      await stop();
      throw new Error(`ray start exited (${child.exitCode ?? child.signalCode}) before its dashboard answered:\n${out.slice(-3000)}`);
    }
    try {
      const res = await fetch(`${url}/api/version`, { headers, signal: AbortSignal.timeout(2000) });
      if (res.ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) {
      const out = readFileSync(logFile, 'utf8');
      await stop();
      throw new Error(`the Ray head's dashboard did not answer within ${(opts.timeoutMs ?? 120_000) / 1000} s:\n${out.slice(-3000)}`);
    }
    await sleep(500);
  }
  return {
    url,
    token: opts.token,
    get,
    jobs: async () => {
      const r = await get('/api/jobs/');
      if (r.status !== 200) throw new Error(`GET /api/jobs/ answered ${r.status}: ${String(r.body)}`);
      return r.body;
    },
    stop,
  };
}

/** A random token for a head started with token auth. */
export function rayToken(): string {
  return `ferry-test-${randomBytes(16).toString('hex')}`;
}
