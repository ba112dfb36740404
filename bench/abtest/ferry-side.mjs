// Ferry's side: a real `ferry server` on the benchmark's store (a fresh process per round, so its peak memory is
// this report's), one GET /api/v1/abtests/{name}/report over HTTP, timed from the request to the last byte of
// the answer; the server's peak RSS is its VmHWM in /proc/<pid>/status (Linux).
import { spawn } from 'node:child_process';
import { mkdirSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const TOKEN = 'ferry-bench-admin-token-0123456789';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** VmHWM and VmRSS of a process, in bytes (null where /proc has none: not Linux). */
export function memoryOf(pid) {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(s)?.[1]) * 1024;
    return { hwm: kb('VmHWM'), rss: kb('VmRSS') };
  } catch {
    return { hwm: null, rss: null };
  }
}

async function startServer(repo, dir, storeUrl, nodeArgs) {
  mkdirSync(dir, { recursive: true });
  const logPath = join(dir, 'ferry.log');
  const fd = openSync(logPath, 'w');
  const env = { ...process.env, FERRY_ADMIN_TOKEN: TOKEN, FERRY_STORE: storeUrl, FERRY_JOBS_LOCAL: '0', FERRY_LOG_LEVEL: 'warn' };
  for (const k of ['FERRY_URL', 'FERRY_TOKEN', 'FERRY_HOST', 'FERRY_PORT', 'FERRY_DATA_DIR']) delete env[k];
  const args = [...nodeArgs, join(repo, 'bin', 'ferry.js'), 'server', '--host', '127.0.0.1', '--port', '0', '--data-dir', join(dir, 'data')];
  const proc = spawn(process.execPath, args, { cwd: dir, env, stdio: ['ignore', fd, fd], detached: true });
  let exited = null;
  proc.on('exit', (code, sig) => (exited = code ?? sig));
  const kill = () => {
    try {
      process.kill(-proc.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  };
  process.once('exit', kill);
  const stop = async () => {
    process.off('exit', kill);
    if (exited !== null) return;
    const done = new Promise((r) => proc.once('exit', r));
    process.kill(-proc.pid, 'SIGTERM');
    const t = setTimeout(kill, 15_000);
    await done;
    clearTimeout(t);
  };
  const deadline = Date.now() + 120_000;
  let url = null;
  while (!url) {
    const text = readFileSync(logPath, 'utf8');
    if (exited !== null || Date.now() > deadline) {
      await stop().catch(() => {});
      throw new Error(`ferry server did not start:\n${text.slice(-3000)}`);
    }
    url = /Ferry listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(text)?.[1] ?? null;
    if (!url) await sleep(100);
  }
  return { url, pid: proc.pid, stop };
}

/** One round: start a server, ask for the report once, read its peak memory, stop it. */
export async function ferryReport({ repo, dir, storeUrl, abtest, at, nodeArgs = [] }) {
  const srv = await startServer(repo, dir, storeUrl, nodeArgs);
  try {
    const before = memoryOf(srv.pid);
    const t0 = performance.now();
    const res = await fetch(`${srv.url}/api/v1/abtests/${encodeURIComponent(abtest)}/report?at=${encodeURIComponent(new Date(at).toISOString())}`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    const text = await res.text();
    const seconds = (performance.now() - t0) / 1000;
    const after = memoryOf(srv.pid);
    if (!res.ok) throw new Error(`report: HTTP ${res.status}: ${text.slice(0, 2000)}`);
    return { seconds, maxRssBytes: after.hwm, startupRssBytes: before.hwm, report: JSON.parse(text) };
  } finally {
    await srv.stop();
  }
}
