// The same load point as load.mjs, driven by wrk (Debian's `wrk` package; the issue names it): a C client
// that spends several times less CPU per request than a Node one, leaving more of a shared machine to the
// server. JSON bodies only. Resolves with load.mjs's fields; `onWindow(edge)` fires at the measured window's
// start and end (the caller samples the server's CPU there).
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './common.mjs';

export function haveWrk() {
  return spawnSync('wrk', ['--version']).error === undefined;
}

function run(args) {
  return new Promise((resolve, reject) => {
    // `times` prints the shell's and then its children's user/system CPU: wrk's own use.
    const p = spawn('bash', ['-c', 'wrk "$@" && times', 'wrk', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`wrk failed (${code}): ${err.slice(-2000)}`))));
  });
}

const cpuOf = (line) =>
  line
    .trim()
    .split(/\s+/)
    .reduce((s, t) => {
      const m = /^(\d+)m([\d.]+)s$/.exec(t);
      return s + (m ? Number(m[1]) * 60 + Number(m[2]) : 0);
    }, 0);

export async function wrkPoint(tmp, spec, onWindow) {
  const file = join(tmp, 'wrk-bodies.txt');
  writeFileSync(file, `${spec.bodies.join('\n')}\n`);
  const headers = Object.entries(spec.headers ?? {}).flatMap(([k, v]) => ['-H', `${k}: ${v}`]);
  const base = ['-t', '1', '-c', String(spec.concurrency), ...headers, '-s', join(REPO, 'bench', 'serving', 'wrk.lua'), spec.url, '--', file];
  if (spec.warmup_s > 0) await run(['-d', `${spec.warmup_s}s`, ...base]);
  onWindow('start');
  const out = await run(['-d', `${spec.duration_s}s`, ...base]);
  onWindow('end');
  const lines = out.trim().split('\n');
  const res = JSON.parse(lines.find((l) => l.startsWith('{')));
  const secs = res.duration_us / 1e6;
  return {
    concurrency: spec.concurrency,
    duration_s: spec.duration_s,
    ok: res.requests - res.non2xx,
    errors: res.errors + res.non2xx,
    reconnects: 0,
    first_error: res.non2xx ? `${res.non2xx} non-2xx answers` : null,
    rps: (res.requests - res.non2xx) / secs,
    p50_us: res.p50_us,
    p99_us: res.p99_us,
    mean_us: res.mean_us,
    client_cpu_s: cpuOf(lines.at(-1)),
  };
}
