// One load point against a running server, shared by bench.mjs and compare.mjs: a fresh load.mjs (or wrk) process
// (on the load cores when `a.plan` pins), the server's CPU sampled at the measured window's edges (whole and per
// thread), and for Ferry its batching and logging counters.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './common.mjs';
import * as S from './servers.mjs';
import { wrkPoint } from './wrk.mjs';
import { cpuDelta, cpuPerRequest, cpuSnapshot, pinned } from '../lib/index.mjs';

const HERE = join(REPO, 'bench', 'serving');
export const DEPLOYMENT = 'credit';

export const log = (msg) => process.stderr.write(`[bench ${new Date().toTimeString().slice(0, 8)}] ${msg}\n`);

/** Runs a child to completion; `onLine` sees each stdout line; resolves with the last line parsed as JSON. */
export function child(cmd, args, { onLine = () => {}, env = process.env } = {}) {
  return new Promise((resolvePromise, reject) => {
    const p = spawn(cmd, args, { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let partial = '';
    p.stdout.on('data', (d) => {
      out += d;
      const lines = (partial + d).split('\n');
      partial = lines.pop();
      lines.forEach(onLine);
    });
    p.stderr.on('data', (d) => (err += d));
    p.on('exit', (code) => {
      const last = out.trim().split('\n').pop();
      if (code !== 0) return reject(new Error(`${cmd} ${args.join(' ')} failed (${code}):\n${err.slice(-3000)}`));
      resolvePromise(JSON.parse(last));
    });
  });
}

/**
 * One load point: a fresh load.mjs process against `srv`; server CPU is sampled at the window's edges. `a` holds
 * warmup, duration, load ('node' or 'wrk') and optionally plan (bench/lib cpuPlan: the load generator's cores).
 * Adds server_cores (all its processes and threads), server_main_cores (the leader's main thread), cpu_us_per_req
 * and cpu_threads ([{label, count, us_per_req}], busiest first) to the load generator's figures.
 */
export async function point(tmp, srv, a, { path, method = 'POST', bodies, concurrency, duration = a.duration }) {
  const spec = { url: `${srv.url}${path}`, method, headers: srv.headers, bodies, concurrency, warmup_s: a.warmup, duration_s: duration };
  let cpuStart = null;
  let cpuEnd = null;
  const edge = (at) => (at === 'start' ? (cpuStart = cpuSnapshot(srv.proc.pid)) : (cpuEnd = cpuSnapshot(srv.proc.pid)));
  let res;
  if (a.load === 'wrk' && method === 'POST' && bodies.every((b) => typeof b === 'string')) {
    res = await wrkPoint(tmp, spec, edge);
    res.client = 'wrk';
  } else {
    const file = join(tmp, 'load-spec.json');
    writeFileSync(file, JSON.stringify(spec));
    const [cmd, args] = pinned(a.plan, a.plan?.load, process.execPath, [join(HERE, 'load.mjs'), file]);
    res = await child(cmd, args, {
      onLine: (line) => {
        if (line.includes('"mark":"start"')) edge('start');
        else if (line.includes('"mark":"end"')) edge('end');
      },
    });
    res.client = 'load.mjs';
  }
  const d = cpuDelta(cpuStart, cpuEnd);
  if (d) {
    res.server_cores = d.total_s / duration;
    res.server_main_cores = d.main_s === null ? null : d.main_s / duration;
    const per = cpuPerRequest(d, res.ok);
    res.cpu_us_per_req = per?.cpu_us_per_req ?? null;
    res.cpu_threads = per?.threads ?? [];
  }
  res.client_cores = res.client_cpu_s / duration;
  if (res.errors) log(`  ${srv.name} ${path} c=${concurrency}: ${res.errors} errors, first: ${res.first_error}`);
  return res;
}

/** Ferry's batching counters for the deployment: rows per run (sum/count) and runs by placement. */
async function batchStats(srv) {
  const text = await S.getText(srv, '/metrics');
  const val = (re) => Number(re.exec(text)?.[1] ?? 0);
  const hist = (suffix) => val(new RegExp(`^ferry_batch_rows_${suffix}\\{[^}]*deployment="${DEPLOYMENT}"[^}]*\\} (\\S+)$`, 'm'));
  const runs = (placement) =>
    val(new RegExp(`^ferry_inference_runs_total\\{[^}]*deployment="${DEPLOYMENT}"[^}]*placement="${placement}"[^}]*\\} (\\S+)$`, 'm'));
  const logged = (outcome) =>
    val(new RegExp(`^ferry_prediction_log_rows_total\\{[^}]*deployment="${DEPLOYMENT}"[^}]*outcome="${outcome}"[^}]*\\} (\\S+)$`, 'm'));
  return { sum: hist('sum'), count: hist('count'), inline: runs('inline'), worker: runs('worker'), dropped: logged('dropped') };
}

/** Runs one load point between two batchStats readings: rows per run and the share of inline runs. */
export async function measured(tmp, srv, a, spec) {
  const before = await batchStats(srv);
  const r = await point(tmp, srv, a, spec);
  const after = await batchStats(srv);
  r.rows_per_run = (after.sum - before.sum) / (after.count - before.count);
  const inline = after.inline - before.inline;
  const worker = after.worker - before.worker;
  r.inline_share = inline + worker > 0 ? inline / (inline + worker) : null;
  // Rows the prediction log had to drop (its queue full): logging was then not complete.
  r.log_dropped = after.dropped - before.dropped;
  if (r.log_dropped > 0) log(`  the prediction log dropped ${r.log_dropped} rows during this point`);
  return r;
}

/** Throws unless every label matches; returns the line for the report. */
export function check(what, got, want) {
  const same = got.filter((v, i) => Number(v) === want[i]).length;
  if (same !== want.length) throw new Error(`${what}: ${same}/${want.length} labels match (got ${JSON.stringify(got)}, want ${JSON.stringify(want)})`);
  return `${what}: ${same}/${want.length} labels match`;
}
