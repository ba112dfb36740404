/**
 * A real haproxy (the Debian package) in front of Ferry replicas, for the scale-out tests: a config written to a temp
 * dir, haproxy run in the foreground (`-db`) as a child process and ended by its PID, and its stats socket read for
 * which replicas it thinks are up and what it retried.
 *
 * The backend list is fixed: replicas keep their ports across restarts, so no reload is ever needed. Health checks
 * ask GET /ready every 250 ms; one failure takes a replica out (a draining replica answers 503 there), two successes
 * bring it back.
 *
 * Retries (haproxy 2.6 `retry-on`, docs: configuration.txt, "retry-on") are split by what is safe to replay:
 * - every request is retried on a connection failure (`conn-failure`: the request never reached a replica), on
 *   another replica (`option redispatch 1`) — what covers a replica that closed its listener or died between two
 *   health checks. Writes get a fresh server connection each (`option http-server-close`), so that this is how a
 *   dead replica shows to them;
 * - reads (GET, HEAD) and predictions (whose only effect is a log row) are also retried when the replica closed the
 *   connection without answering (`empty-response`: a SIGKILL mid-request). Writes (tracking, dataset pushes, deployment
 *   changes) are not: replaying one the dead replica may already have committed would write it twice, so their
 *   failures reach the client — what the SIGKILL test counts.
 * A 503 from a replica is never retried: a replica that says it is ready and then refuses is a bug to see, not hide.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const probe = spawnSync('haproxy', ['-v'], { encoding: 'utf8' });
export const HAVE_HAPROXY = probe.status === 0;
/** Why haproxy tests are skipped, to print. */
export const NO_HAPROXY_REASON = HAVE_HAPROXY ? '' : 'haproxy is not installed: apt-get install -y --no-install-recommends haproxy';

export interface Backend {
  /** haproxy's name for the server (what X-Ferry-Replica answers and the stats show). */
  name: string;
  port: number;
}

/** One replica as haproxy sees it (a row of `show stat`). */
export interface ServerStat {
  name: string;
  /** UP, DOWN, "UP 1/2" while rising, MAINT, ... */
  status: string;
  /** Requests in flight on it now (scur), over both backends. */
  current: number;
  /** Requests sent to it (stot), over both backends. */
  total: number;
  /** Retries (wretr) and redispatches (wredis) haproxy did from it, over both backends. */
  retries: number;
  redispatches: number;
}

export interface Haproxy {
  /** http://127.0.0.1:PORT, the frontend. */
  url: string;
  pid: number;
  /** The servers as haproxy sees them now. */
  stats(): Promise<ServerStat[]>;
  /** Resolves once haproxy sees each named server as `up` (true: UP; false: DOWN or MAINT); throws after timeoutMs. */
  waitFor(names: string[], up: boolean, timeoutMs?: number): Promise<void>;
  /** What haproxy printed (alerts, warnings). */
  output(): string;
  stop(): Promise<void>;
}

/** Response header naming the replica that answered (haproxy's server name). */
export const SERVED_BY = 'x-ferry-replica';

export function haproxyConfig(frontendPort: number, backends: readonly Backend[], socket: string): string {
  const servers = (check: (name: string) => string) => backends.map((b) => `  server ${b.name} 127.0.0.1:${b.port} ${check(b.name)}`).join('\n');
  return `global
  maxconn 4096
  stats socket ${socket} mode 600 level admin

defaults
  mode http
  option httplog
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
  bind 127.0.0.1:${frontendPort}
  acl replay_safe method GET HEAD
  acl replay_safe path_end /predict
  use_backend ferry_replay_safe if replay_safe
  default_backend ferry_writes

backend ferry_replay_safe
  balance roundrobin
  option httpchk GET /ready
  http-check expect status 200
  retry-on conn-failure empty-response
  http-response set-header X-Ferry-Replica %s
${servers(() => 'check inter 250ms fall 1 rise 2')}

backend ferry_writes
  balance roundrobin
  # A new server connection per write: a replica that closed its listener or died refuses the connection, which is
  # safe to retry elsewhere. On a reused idle connection the same failure shows only once the write was sent, and
  # haproxy then closes the client's connection for the client to retry (http-reuse safe) — which no client does for
  # a POST.
  option http-server-close
  retry-on conn-failure
  http-response set-header X-Ferry-Replica %s
${servers((name) => `track ferry_replay_safe/${name}`)}
`;
}

/** Asks the stats socket one command; the answer's text. */
function ask(socket: string, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const c = connect(socket);
    let out = '';
    c.setEncoding('utf8');
    c.on('data', (d: string) => (out += d));
    c.once('error', reject);
    c.once('end', () => resolve(out));
    c.write(`${command}\n`);
  });
}

/** Parses `show stat` CSV into per-server sums over both backends (the writes backend's status tracks the checked one). */
function parseStats(csv: string): ServerStat[] {
  const lines = csv.trim().split('\n');
  const header = lines[0]!.replace(/^# /, '').split(',');
  const col = (row: string[], name: string) => row[header.indexOf(name)] ?? '';
  const byName = new Map<string, ServerStat>();
  for (const line of lines.slice(1)) {
    const row = line.split(',');
    const sv = col(row, 'svname');
    if (sv === 'FRONTEND' || sv === 'BACKEND' || !sv) continue;
    const s = byName.get(sv) ?? { name: sv, status: '', current: 0, total: 0, retries: 0, redispatches: 0 };
    if (col(row, 'pxname') === 'ferry_replay_safe') s.status = col(row, 'status');
    s.current += Number(col(row, 'scur') || 0);
    s.total += Number(col(row, 'stot') || 0);
    s.retries += Number(col(row, 'wretr') || 0);
    s.redispatches += Number(col(row, 'wredis') || 0);
    byName.set(sv, s);
  }
  return [...byName.values()];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts haproxy in front of `backends` on `frontendPort` (a free port the caller picked). */
export async function startHaproxy(frontendPort: number, backends: readonly Backend[]): Promise<Haproxy> {
  if (!HAVE_HAPROXY) throw new Error(NO_HAPROXY_REASON);
  const dir = mkdtempSync(join(tmpdir(), 'ferry-haproxy-'));
  const socket = join(dir, 'admin.sock');
  const cfg = join(dir, 'haproxy.cfg');
  writeFileSync(cfg, haproxyConfig(frontendPort, backends, socket));
  const check = spawnSync('haproxy', ['-c', '-f', cfg], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`haproxy refused its config:\n${check.stdout}${check.stderr}`);
  // -db: foreground, no daemon; the child is haproxy itself, so its PID is the one to end.
  const child: ChildProcess = spawn('haproxy', ['-db', '-f', cfg], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const running = () => child.exitCode === null && child.signalCode === null;

  const stats = async () => parseStats(await ask(socket, 'show stat'));
  // Up once the stats socket answers.
  for (let i = 0; ; i++) {
    if (!running()) throw new Error(`haproxy exited at start:\n${out}`);
    try {
      await stats();
      break;
    } catch (err) {
      if (i > 100) throw new Error(`haproxy's stats socket did not answer: ${String(err)}\n${out}`);
      await sleep(50);
    }
  }
  return {
    url: `http://127.0.0.1:${frontendPort}`,
    pid: child.pid!,
    stats,
    async waitFor(names, up, timeoutMs = 30_000) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const now = await stats();
        const ok = names.every((n) => {
          const s = now.find((x) => x.name === n);
          return s !== undefined && (up ? s.status === 'UP' : s.status.startsWith('DOWN') || s.status.startsWith('MAINT'));
        });
        if (ok) return;
        if (Date.now() > end) throw new Error(`haproxy did not see ${names.join(', ')} ${up ? 'up' : 'down'} within ${timeoutMs} ms: ${JSON.stringify(now)}`);
        await sleep(50);
      }
    },
    output: () => out,
    async stop() {
      if (running()) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
