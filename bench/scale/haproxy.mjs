// A real haproxy (the Debian package) in front of a set of replicas, configured as test/helpers/haproxy.ts does for
// its replay-safe backend: round robin per request, `option httpchk GET /ready`, keep-alive to the client and to the
// replicas. No request log. One haproxy per pool size (1, 2, 3 replicas), so switching pools needs no reload.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { sleep, stopperOf } from './util.mjs';

/** Why haproxy cannot run here, or null. */
export function whyNoHaproxy() {
  const r = spawnSync('haproxy', ['-v'], { encoding: 'utf8' });
  return r.status === 0 ? null : 'haproxy is not installed: apt-get install -y --no-install-recommends haproxy';
}

/** The response header naming the replica that answered. */
export const SERVED_BY = 'x-ferry-replica';

function config(port, backends, socket) {
  return `global
  maxconn 4096
  stats socket ${socket} mode 600 level admin

defaults
  mode http
  timeout connect 1s
  timeout client 60s
  timeout server 60s
  timeout http-request 10s
  timeout http-keep-alive 10s
  timeout queue 10s
  timeout check 1s
  retries 3
  option redispatch 1

frontend ferry
  bind 127.0.0.1:${port}
  default_backend replicas

backend replicas
  balance roundrobin
  option httpchk GET /ready
  http-check expect status 200
  http-response set-header X-Ferry-Replica %s
${backends.map((b) => `  server ${b.name} 127.0.0.1:${b.port} check inter 1s fall 2 rise 1`).join('\n')}
`;
}

function ask(socket, command) {
  return new Promise((resolve, reject) => {
    const c = connect(socket);
    let out = '';
    c.setEncoding('utf8');
    c.on('data', (d) => (out += d));
    c.once('error', reject);
    c.once('end', () => resolve(out));
    c.write(`${command}\n`);
  });
}

/** name → status (UP, DOWN, ...) of the backend's servers. */
async function statuses(socket) {
  const lines = (await ask(socket, 'show stat')).trim().split('\n');
  const header = lines[0].replace(/^# /, '').split(',');
  const out = new Map();
  for (const line of lines.slice(1)) {
    const row = line.split(',');
    const sv = row[header.indexOf('svname')];
    if (row[header.indexOf('pxname')] === 'replicas' && sv !== 'BACKEND') out.set(sv, row[header.indexOf('status')]);
  }
  return out;
}

/** Starts haproxy on `port` before `backends` ({name, port}) and resolves once it sees them all UP. */
export async function startHaproxy(tmp, port, backends, timeoutMs = 60_000) {
  const dir = mkdtempSync(join(tmp, 'haproxy-'));
  const socket = join(dir, 'admin.sock');
  const cfg = join(dir, 'haproxy.cfg');
  writeFileSync(cfg, config(port, backends, socket));
  const check = spawnSync('haproxy', ['-c', '-f', cfg], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`haproxy refused its config:\n${check.stdout}${check.stderr}`);
  // -db: in the foreground, so the child is haproxy itself and its PID the one to read and end.
  const child = spawn('haproxy', ['-db', '-f', cfg], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d) => (out += d));
  const child_ = stopperOf(child);
  const stop = async () => {
    await child_.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  const end = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    if (child_.exited()) throw new Error(`haproxy exited at start:\n${out}`);
    try {
      const s = await statuses(socket);
      last = JSON.stringify([...s]);
      if (backends.every((b) => s.get(b.name) === 'UP')) break;
    } catch (e) {
      last = String(e);
    }
    if (Date.now() > end) {
      await stop();
      throw new Error(`haproxy did not see ${backends.map((b) => b.name).join(', ')} up within ${timeoutMs} ms (last: ${last})\n${out}`);
    }
    await sleep(100);
  }
  return { url: `http://127.0.0.1:${port}`, pid: child.pid, names: backends.map((b) => b.name), stop, output: () => out };
}
