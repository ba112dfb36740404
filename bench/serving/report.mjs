// The serving benchmark's printed tables, ratios and the issue's targets. Every figure is the median of the run's
// rounds, with its spread (min–max) where it moves; every target is judged on the median of per-round values
// (bench/lib judge): [MET] only when at least 5 rounds' median meets it.
import { judge, withSpread } from '../lib/index.mjs';

const TARGET_PEER_RPS = 5; // Ferry req/s over MLServer's and BentoML's at concurrency 64 (at least)
const TARGET_PEER_P99 = 1 / 3; // Ferry p99 over theirs at concurrency 64 (at most)
const TARGET_MLFLOW_RATIO = 20; // Ferry req/s over mlflow models serve req/s at concurrency 64 (wave 1)
const TARGET_OWN_US = 100; // Ferry's own work at c=1, p50: Ferry - GET /health floor - raw onnxruntime batch 1
const TARGET_BATCH_PCT = 50; // Ferry rows/s with batching, as % of raw onnxruntime batch-256 rows/s (32-row requests and up)
const TARGET_BATCH_MIN_ROWS = 32;
const TARGET_LOGGING_COST_PCT = 10; // prediction logging: extra server CPU per request, and throughput lost (medians)

const nil = (v) => v === null || v === undefined || Number.isNaN(v);
const int = (v) => (nil(v) ? '-' : Math.round(v).toLocaleString('en-US'));
const f1 = (v) => (nil(v) ? '-' : v.toFixed(1));
const f2 = (v) => (nil(v) ? '-' : v.toFixed(2));
const pad = (s, n) => String(s).padStart(n);
const spread = (r, k, fmt = int) => (r?.spread?.[k] && r.spread[k][0] !== r.spread[k][1] ? ` (${fmt(r.spread[k][0])}–${fmt(r.spread[k][1])})` : '');

const PEERS = {
  mlflow: 'mlflow models serve',
  mlserver: 'MLServer (V2, sklearn)',
  bentoml: 'BentoML (batchable API)',
};
// The Ferry protocol each peer is judged against: the same kind of request body.
const PEER_PROTOCOL = { mlflow: 'records', mlserver: 'v2', bentoml: 'records' };

function loadRow(label, r) {
  if (!r) return `  ${label.padEnd(30)}${pad('-', 9)}`;
  const err = r.errors ? `  (${int(r.errors)} errors)` : '';
  return (
    `  ${label.padEnd(30)}${pad(int(r.rps), 9)}${pad(spread(r, 'rps'), 18)}${pad(int(r.p50_us), 11)}${pad(int(r.p99_us), 11)}` +
    `${pad(f1(r.cpu_us_per_req), 11)}${pad(f2(r.server_cores), 7)}${pad(f2(r.client_cores), 7)}${err}`
  );
}

/** "main 40.1, node ×3 12.0, …": CPU µs per request by thread (bench/lib cpu labels), the busiest `n`. */
function threads(r, n = 6) {
  const ts = (r?.cpu_threads ?? []).filter((t) => t.us_per_req >= 0.05).sort((x, y) => y.us_per_req - x.us_per_req);
  if (ts.length === 0) return '-';
  const shown = ts.slice(0, n).map((t) => `${t.label}${t.count > 1 ? ` ×${t.count}` : ''} ${f1(t.us_per_req)}`);
  return shown.join(', ') + (ts.length > n ? `, ${ts.length - n} more` : '');
}

/** Per-round values of f(round index), for the rounds both sides have. */
function paired(xs, ys, f) {
  const n = Math.min(xs?.length ?? 0, ys?.length ?? 0);
  return Array.from({ length: n }, (_, i) => f(xs[i], ys[i]));
}

export function printReport(out, a) {
  const { raw, plan } = out;
  const b1 = raw.batch1;
  const bN = raw.batchN;
  const cs = a.concurrency;
  const cHigh = cs.includes(64) ? 64 : Math.max(...cs);
  const peers = Object.keys(PEERS).filter((k) => out[k]?.records);
  console.log('');
  console.log(`Serving benchmark: credit_gbdt.onnx (scikit-learn pipeline + GradientBoostingClassifier, 60 trees, 7 per-column inputs)`);
  console.log(
    `  ${plan.cores} cores; ${plan.why}${plan.pinned ? ' (taskset)' : ''}; Node ${process.version}; onnxruntime-node ${raw.ort_version}; Ferry FERRY_INFERENCE_WORKERS=${a.workers}, ` +
      `FERRY_LOG_LEVEL=${a['ferry-log-level']}, batching max_batch_size=${a.batching.max_batch_size} max_queue_delay_ms=${a.batching.max_queue_delay_ms}` +
      `${a.batching.max_queue_rows ? ` max_queue_rows=${a.batching.max_queue_rows}` : ''}`,
  );
  const ml = out.peer_config?.mlserver;
  if (ml) {
    console.log(
      `  MLServer: parallel_workers=${ml.settings.parallel_workers}, adaptive batching max_batch_size=${ml.model_settings.max_batch_size} ` +
        `max_batch_time=${ml.model_settings.max_batch_time * 1000} ms, mlserver_sklearn.SKLearnModel on the joblib pipeline, V2 REST (pandas codec)`,
    );
  }
  const bm = out.peer_config?.bentoml;
  if (bm) {
    console.log(
      `  BentoML: @bentoml.service(workers=${bm.workers}), @bentoml.api(batchable=True, max_batch_size=${bm.max_batch_size}, max_latency_ms=${bm.max_latency_ms}) on the joblib pipeline`,
    );
  }
  for (const [peer, why] of Object.entries(out.left_out ?? {})) console.log(`  ${PEERS[peer]}: ${why}`);
  console.log(
    `  load: bench/serving/load.mjs (closed loop, keep-alive, one request in flight per connection), ${a.warmup} s warm-up + ${a.duration} s measured ` +
      `per point, ${a.rounds} alternated round(s); figures are medians over the rounds, (min–max) their spread`,
  );
  if (out.idle_cores) {
    const idle = Object.entries(out.idle_cores).map(([k, v]) => `${k === 'ferry' ? 'Ferry' : PEERS[k]} ${f2(v)}`);
    console.log(`  idle servers' CPU (cores, before the load; they share the server cores): ${idle.join(', ')}`);
  }
  for (const c of out.checks) console.log(`  check: ${c}`);

  console.log(`\nRaw onnxruntime-node in-process (1 session, intra-op threads ${raw.threads}, one call at a time, on the server cores)`);
  console.log(`  batch 1     p50 ${f1(b1.p50_us)}${spread(b1, 'p50_us', f1)} µs   p99 ${f1(b1.p99_us)} µs   ${int(b1.rows_per_s)} rows/s`);
  console.log(
    `  batch ${String(bN.batch).padEnd(5)} p50 ${f1(bN.p50_us)} µs  p99 ${f1(bN.p99_us)} µs  ${int(bN.rows_per_s)}${spread(bN, 'rows_per_s')} rows/s`,
  );
  const w = raw.worker_batch1;
  if (w) console.log(`  batch 1 via a worker thread (Ferry's worker source, postMessage round trip, no HTTP): p50 ${f1(w.p50_us)} µs   p99 ${f1(w.p99_us)} µs`);

  console.log(`\nOver HTTP, 1-row requests (bodies cycle through the 20 recorded rows)`);
  console.log(
    `  ${''.padEnd(30)}${pad('req/s', 9)}${pad('(min–max)', 18)}${pad('p50 µs', 11)}${pad('p99 µs', 11)}${pad('CPU µs/req', 11)}${pad('server', 7)}${pad('client', 7)}  (cores busy)`,
  );
  console.log(loadRow('Ferry GET /health, c=1', out.ferry.health));
  for (const c of cs) {
    console.log(`  concurrency ${c}:`);
    for (const proto of a.protocols) {
      const r = out.ferry[proto]?.[c];
      const inline = nil(r?.inline_share) ? '' : `, inline ${Math.round(100 * r.inline_share)}%`;
      console.log(loadRow(`  Ferry ${proto}`, r) + `   rows/run ${f1(r?.rows_per_run)}${inline}`);
    }
    for (const p of peers) console.log(loadRow(`  ${PEERS[p]}`, out[p].records[c]));
    for (const p of peers) {
      const m = out[p].records[c];
      if (!m?.rps) continue;
      // CPU per request moves less than req/s when other jobs share the cores: the peer's over Ferry's.
      const cpu = a.protocols.map((pr) => `${pr} ${f1(m.cpu_us_per_req / out.ferry[pr][c].cpu_us_per_req)}x`).join(', ');
      console.log(
        `    Ferry / ${PEERS[p]} req/s: ${a.protocols.map((pr) => `${pr} ${f1(out.ferry[pr][c].rps / m.rps)}x`).join(', ')}; its server CPU per request / Ferry's: ${cpu}`,
      );
    }
  }
  console.log(`\nServer CPU per request by thread at c=${cHigh} (µs; process/thread name, "main" a process's main thread, ×N threads of one name)`);
  for (const proto of a.protocols) console.log(`  Ferry ${proto.padEnd(22)} ${threads(out.ferry[proto]?.[cHigh])}`);
  for (const p of peers) console.log(`  ${PEERS[p].padEnd(28)} ${threads(out[p].records[cHigh])}`);

  console.log(`\nBatching: C connections, each sending N-row requests (Ferry's batcher coalesces them)`);
  console.log(
    `  ${'(monitoring: the prediction log on or off)'.padEnd(40)}${pad('req/s', 9)}${pad('p50 µs', 11)}${pad('p99 µs', 11)}${pad('rows/s', 12)}${pad('rows/run', 10)}${pad('% raw', 8)}${pad('CPU µs/req', 12)}`,
  );
  for (const proto of a.protocols) {
    for (const [key, r] of Object.entries(out.ferry[`${proto}_batching`] ?? {})) {
      if (!r) continue;
      const n = key.split(':')[0];
      console.log(
        `  ${`Ferry ${proto}, ${r.concurrency} x ${n}-row, monitoring ${r.monitoring}`.padEnd(40)}${pad(int(r.rps), 9)}${pad(int(r.p50_us), 11)}${pad(int(r.p99_us), 11)}` +
          `${pad(int(r.rows_per_s), 12)}${pad(f1(r.rows_per_run), 10)}${pad(f1((100 * r.rows_per_s) / bN.rows_per_s), 8)}${pad(f1(r.cpu_us_per_req), 12)}` +
          `${r.log_dropped ? `; log DROPPED ${int(r.log_dropped)} rows` : ''}`,
      );
    }
  }

  const lg = out.ferry.logging;
  const cpuReq = (x) => (1e6 * x.server_cores) / x.rps;
  if (lg?.on?.length) {
    console.log(
      `\nPrediction logging (monitoring on: every request logged and profiled) vs off, records, 1-row requests, c=${lg.concurrency}, one on/off pair per round`,
    );
    for (const [label, xs] of [
      ['monitoring on', lg.on],
      ['monitoring off', lg.off],
    ]) {
      const dropped = xs.reduce((n, x) => n + (x.log_dropped ?? 0), 0);
      console.log(
        `  ${label.padEnd(16)} req/s ${withSpread(
          xs.map((x) => x.rps),
          int,
        )}   p50 ${int(xs.map((x) => x.p50_us).sort((p, q) => p - q)[xs.length >> 1])} µs   server CPU µs/request ${withSpread(xs.map(cpuReq), f1)}` +
          `${dropped ? `; log DROPPED ${int(dropped)} rows` : ''}`,
      );
      console.log(`  ${''.padEnd(16)} by thread: ${threads({ cpu_threads: medianThreads(xs) })}`);
    }
  }

  console.log(`\nTargets (from the issue), judged on the median of per-round values; [MET] only with >= 5 rounds`);
  const targets = [];
  const say = (j, text) => {
    targets.push({ target: j.target, value: j.value, met: j.met, claimed: j.claimed, rounds: j.summary.n, peer: j.peer });
    console.log(`  ${j.verdict} ${text}${j.note}`);
  };
  for (const p of peers) {
    const proto = PEER_PROTOCOL[p];
    const f = out.ferry[proto]?.[cHigh];
    const m = out[p].records[cHigh];
    const rps = paired(f?.rounds, m?.rounds, (x, y) => x.rps / y.rps);
    if (p === 'mlflow') {
      const j = { ...judge(`ferry_vs_mlflow_${proto}`, rps, { atLeast: TARGET_MLFLOW_RATIO }), peer: p };
      say(j, `Ferry ${proto} >= ${TARGET_MLFLOW_RATIO}x ${PEERS[p]} req/s at c=${cHigh}: ${withSpread(rps, (v) => `${f1(v)}x`)}`);
      continue;
    }
    const jr = { ...judge(`ferry_vs_${p}_${proto}_rps`, rps, { atLeast: TARGET_PEER_RPS }), peer: p };
    say(
      jr,
      `Ferry ${proto} >= ${TARGET_PEER_RPS}x ${PEERS[p]} req/s at c=${cHigh}: ${withSpread(rps, (v) => `${f1(v)}x`)} (${int(f?.rps)} vs ${int(m?.rps)} req/s)`,
    );
    const p99 = paired(f?.rounds, m?.rounds, (x, y) => x.p99_us / y.p99_us);
    const jp = { ...judge(`ferry_vs_${p}_${proto}_p99`, p99, { atMost: TARGET_PEER_P99 }), peer: p };
    say(jp, `Ferry ${proto} p99 <= 1/3 of ${PEERS[p]}'s at c=${cHigh}: ${withSpread(p99, f2)} of it (${int(f?.p99_us)} vs ${int(m?.p99_us)} µs)`);
  }
  for (const proto of a.protocols) {
    const f = out.ferry[proto]?.[1];
    const h = out.ferry.health;
    // Per round: Ferry's c=1 p50 less that round's /health floor and raw onnxruntime batch-1 p50.
    const own = f
      ? paired(
          paired(f.rounds, h?.rounds, (x, y) => x.p50_us - y.p50_us),
          raw.rounds,
          (d, r) => d - r.batch1.p50_us,
        )
      : [];
    const j = judge(`own_work_${proto}_us`, own, { atMost: TARGET_OWN_US });
    say(
      j,
      `Ferry's own work at c=1, ${proto}, p50 <= ${TARGET_OWN_US} µs (Ferry - GET /health - raw batch 1): ` +
        (f ? `${withSpread(own, int)} µs (Ferry ${int(f.p50_us)}, /health ${int(h?.p50_us)}, raw ${f1(b1.p50_us)})` : 'not measured (needs concurrency 1)'),
    );
  }
  for (const proto of a.protocols) {
    for (const [key, r] of Object.entries(out.ferry[`${proto}_batching`] ?? {})) {
      const n = Number(key.split(':')[0]);
      if (!r || n < TARGET_BATCH_MIN_ROWS) continue;
      const pct = paired(r.rounds, raw.rounds, (x, y) => (100 * x.rows_per_s) / y.batchN.rows_per_s);
      const j = judge(`batching_${proto}_${n}rows_monitoring_${r.monitoring}_pct`, pct, { atLeast: TARGET_BATCH_PCT });
      say(
        j,
        `batching, ${proto}, ${r.concurrency} x ${n}-row requests, monitoring ${r.monitoring}: >= ${TARGET_BATCH_PCT}% of raw batch-${bN.batch} rows/s: ` +
          `${withSpread(pct, f1)}% (${int(r.rows_per_s)} vs ${int(bN.rows_per_s)} rows/s)`,
      );
    }
  }
  if (lg?.on?.length) {
    // Each round's on/off pair ran back to back: per-pair ratios, then their median.
    const cpu = paired(lg.on, lg.off, (on, off) => 100 * (cpuReq(on) / cpuReq(off) - 1));
    say(
      judge('logging_cpu_pct', cpu, { atMost: TARGET_LOGGING_COST_PCT }),
      `prediction logging adds <= ${TARGET_LOGGING_COST_PCT}% server CPU per request (on vs off, records, c=${lg.concurrency}): ${withSpread(cpu, f1)}%`,
    );
    const thr = paired(lg.on, lg.off, (on, off) => 100 * (1 - on.rps / off.rps));
    say(
      judge('logging_cost_pct', thr, { atMost: TARGET_LOGGING_COST_PCT }),
      `prediction logging costs <= ${TARGET_LOGGING_COST_PCT}% of throughput (records, c=${lg.concurrency}): ${withSpread(thr, f1)}%`,
    );
  }
  out.targets = targets;

  if (out.profile) {
    const p = out.profile;
    console.log(`\nFerry main thread, node --cpu-prof (${int(p.total_ms)} ms sampled over the whole run; ${p.file})`);
    console.log('  by area:');
    for (const x of p.areas.slice(0, 12)) console.log(`    ${f1(x.pct).padStart(5)}%  ${x.area}`);
    console.log('  by function (self time):');
    for (const x of p.functions) console.log(`    ${f1(x.pct).padStart(5)}%  ${x.name}`);
  }
  console.log('');
}

/** The per-thread figures of several rounds → one list, each label's median µs per request. */
function medianThreads(xs) {
  const labels = [...new Set(xs.flatMap((x) => (x.cpu_threads ?? []).map((t) => t.label)))];
  return labels.map((label) => {
    const vs = xs.map((x) => x.cpu_threads?.find((t) => t.label === label)?.us_per_req ?? 0).sort((p, q) => p - q);
    const count = Math.max(...xs.map((x) => x.cpu_threads?.find((t) => t.label === label)?.count ?? 0));
    return { label, count, us_per_req: vs[vs.length >> 1] };
  });
}
