// A real Ray head for the benchmark: `ray start --head --block` from the repo's .venv on free loopback ports and
// its own temp dir (the approach of test/support/ray-head.ts, which the benchmark cannot import: it is
// TypeScript). Stopped by signalling exactly the processes it started (its tree, found through /proc): `ray stop`
// would stop every Ray process of the user, a test's head included.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { sleep } from './stats.mjs';

/** null when `python` can import ray and its dashboard; else why not. */
export function whyNoRay(python) {
  if (!existsSync(python)) return `no ${python}`;
  const r = spawnSync(python, ['-c', 'import ray, ray.dashboard'], { encoding: 'utf8', timeout: 120_000 });
  return r.status === 0 ? null : `ray cannot be imported by ${python}: ${(r.stderr || r.error?.message || '').trim().split('\n').pop()}`;
}

async function freePorts(n) {
  const servers = [];
  try {
    for (let i = 0; i < n; i++) {
      const s = createServer();
      await new Promise((res, rej) => s.once('error', rej).listen(0, '127.0.0.1', res));
      servers.push(s);
    }
    return servers.map((s) => s.address().port);
  } finally {
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  }
}

/** `root` and every process below it, from /proc. */
function tree(root) {
  const byParent = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      byParent.set(ppid, [...(byParent.get(ppid) ?? []), Number(name)]);
    } catch {
      /* gone meanwhile */
    }
  }
  const out = [];
  const todo = [root];
  while (todo.length) {
    const pid = todo.pop();
    out.push(pid);
    todo.push(...(byParent.get(pid) ?? []));
  }
  return out;
}

function alive(pid) {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

function signalAll(pids, sig) {
  for (const pid of pids) {
    try {
      process.kill(pid, sig);
    } catch {
      /* already gone */
    }
  }
}

/** Starts a head whose jobs' `python` is `venvBin`'s (no token auth); answers { url, stop() }. */
export async function startRayHead(tmp, venvBin, timeoutMs = 180_000) {
  const dir = mkdtempSync(join(tmp, 'ray-'));
  const [gcs, dash, agentHttp, agentGrpc, client, nodeManager, objectManager, metrics, runtimeEnv] = await freePorts(9);
  const logFile = join(dir, 'ray-start.log');
  const fd = openSync(logFile, 'a');
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
    // Ray's socket paths must stay short (107 bytes); mkdtemp under /tmp keeps them so.
    `--temp-dir=${join(dir, 'r')}`,
    '--num-cpus=2',
    '--object-store-memory=80000000',
    '--disable-usage-stats',
  ];
  const env = { ...process.env, PATH: `${venvBin}:${process.env.PATH ?? ''}`, RAY_USAGE_STATS_ENABLED: '0', RAY_AUTH_MODE: 'disabled' };
  delete env.RAY_AUTH_TOKEN;
  const child = spawn(join(venvBin, 'ray'), args, { cwd: dir, env, stdio: ['ignore', fd, fd], detached: true });
  closeSync(fd);
  child.on('error', () => {});
  const root = child.pid;
  const onExit = () => signalAll(tree(root), 'SIGKILL');
  process.once('exit', onExit);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.off('exit', onExit);
    const pids = tree(root);
    signalAll(pids, 'SIGTERM');
    for (let i = 0; i < 30 && pids.some(alive); i++) await sleep(100);
    signalAll([...new Set([...pids, ...tree(root)])].filter(alive), 'SIGKILL');
    for (let i = 0; i < 50 && pids.some(alive); i++) await sleep(100);
    rmSync(dir, { recursive: true, force: true });
  };
  const url = `http://127.0.0.1:${dash}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      const out = readFileSync(logFile, 'utf8');
      await stop();
      throw new Error(`ray start exited before its dashboard answered:\n${out.slice(-3000)}`);
    }
    const ok = await fetch(`${url}/api/version`, { signal: AbortSignal.timeout(2000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { url, stop };
    if (Date.now() > deadline) {
      const out = readFileSync(logFile, 'utf8');
      await stop();
      throw new Error(`the Ray head's dashboard did not answer within ${timeoutMs / 1000} s:\n${out.slice(-3000)}`);
    }
    await sleep(500);
  }
}
