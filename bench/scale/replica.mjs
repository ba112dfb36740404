// One Ferry server as a real process (`node bin/ferry.js server --json`, the built dist/), as the scale-out tests
// start theirs (test/helpers/replica.ts, which .mjs cannot import): its own data dir, the store and artifacts
// location it is given, a fixed port, token auth, request logging at warn, its output in a file.
import { spawn } from 'node:child_process';
import { mkdirSync, openSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sleep } from './util.mjs';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = join(REPO, 'bin', 'ferry.js');

const tail = (path, n = 20) => {
  try {
    return readFileSync(path, 'utf8').split('\n').slice(-n).join('\n');
  } catch {
    return '';
  }
};

/**
 * Starts `ferry server` and resolves once it listens (its --json line) and GET /ready answers 200.
 * o: { name, port, dir (data dir and log live here), token, secretKey, args (store / artifacts flags), env, cpus?, nodeArgs? }.
 * Answers { name, url, pid, logPath, stop() }.
 */
export async function startFerry(o, timeoutMs = 120_000) {
  mkdirSync(o.dir, { recursive: true });
  const logPath = join(o.dir, 'server.log');
  const err = openSync(logPath, 'w');
  // Nothing of the developer's FERRY_ settings leaks in: the server runs on exactly what the benchmark gives it.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('FERRY_') && k !== 'FORCE_COLOR'));
  // o.nodeArgs: Node's own flags (e.g. --cpu-prof, which NODE_OPTIONS does not take).
  const args = [...(o.nodeArgs ?? []), BIN, 'server', '--host', '127.0.0.1', '--port', String(o.port), '--data-dir', join(o.dir, 'data'), ...o.args, '--json'];
  // o.cpus ("1", "0-1"): the server pinned to those cores with taskset, away from the load generator's.
  const [cmd, argv] = o.cpus ? ['taskset', ['-c', o.cpus, process.execPath, ...args]] : [process.execPath, args];
  const child = spawn(cmd, argv, {
    cwd: REPO,
    env: {
      ...env,
      NO_COLOR: '1',
      FERRY_ADMIN_TOKEN: o.token,
      FERRY_SECRET_KEY: o.secretKey,
      FERRY_LOG_LEVEL: 'warn',
      // A stopping replica need not drain for a load balancer here: the benchmark stops them all at the end.
      FERRY_SHUTDOWN_DRAIN_MS: '0',
      ...o.env,
    },
    stdio: ['ignore', 'pipe', err],
  });
  let exited = null;
  const gone = new Promise((r) => child.once('exit', (code, signal) => r((exited = { code, signal }))));
  // If the benchmark dies first, the server goes with it.
  const killNow = () => child.kill('SIGKILL');
  process.once('exit', killNow);
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
  const url = `http://127.0.0.1:${o.port}`;
  const stop = async () => {
    process.off('exit', killNow);
    if (exited) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await gone;
    clearTimeout(timer);
  };
  const end = Date.now() + timeoutMs;
  try {
    while (!stdout.includes('\n')) {
      if (exited) throw new Error(`${o.name} exited (${JSON.stringify(exited)}) before listening:\n${tail(logPath)}`);
      if (Date.now() > end) throw new Error(`${o.name} did not print its --json line within ${timeoutMs} ms:\n${tail(logPath)}`);
      await sleep(50);
    }
    const printed = JSON.parse(stdout.slice(0, stdout.indexOf('\n'))).url;
    if (printed !== url) throw new Error(`${o.name} listens on ${printed}, not ${url}`);
    for (;;) {
      const ok = await fetch(`${url}/ready`).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ok) break;
      if (exited) throw new Error(`${o.name} exited while waiting for /ready:\n${tail(logPath)}`);
      if (Date.now() > end) throw new Error(`${o.name} not ready within ${timeoutMs} ms:\n${tail(logPath)}`);
      await sleep(100);
    }
  } catch (e) {
    await stop();
    throw e;
  }
  return { name: o.name, url, pid: child.pid, logPath, stop, running: () => exited === null };
}
