// The serving benchmark's printed table, ratios and the issue's targets.
import { availableParallelism } from 'node:os';

const TARGET_MLFLOW_RATIO = 20; // Ferry req/s over mlflow models serve req/s at concurrency 64
const TARGET_OVERHEAD_US = 150; // Ferry p50 - raw onnxruntime batch-1 p50, at concurrency 1
const TARGET_BATCH_PCT = 50; // Ferry rows/s with batching, as % of raw onnxruntime batch-256 rows/s
const TARGET_LOGGING_COST_PCT = 10; // throughput lost to full prediction logging (monitoring on vs off)

const nil = (v) => v === null || v === undefined;
const int = (v) => (nil(v) || Number.isNaN(v) ? '-' : Math.round(v).toLocaleString('en-US'));
const f1 = (v) => (nil(v) || Number.isNaN(v) ? '-' : v.toFixed(1));
const f2 = (v) => (nil(v) || Number.isNaN(v) ? '-' : v.toFixed(2));
const pad = (s, n) => String(s).padStart(n);
const verdict = (ok) => (nil(ok) ? '[N/A]   ' : ok ? '[MET]   ' : '[MISSED]');

function cpu(r) {
  if (nil(r?.server_cores)) return '';
  const main = nil(r.server_main_cores) ? '' : `, main thread ${f2(r.server_main_cores)}`;
  return `server ${f2(r.server_cores)} cores${main}; client ${f2(r.client_cores)}`;
}

function loadRow(label, r) {
  if (!r) return `  ${label.padEnd(26)}${pad('-', 9)}`;
  const err = r.errors ? `  (${r.errors} errors)` : '';
  return `  ${label.padEnd(26)}${pad(int(r.rps), 9)}${pad(int(r.p50_us), 10)}${pad(int(r.p99_us), 10)}   ${cpu(r)}${err}`;
}

export function printReport(out, a) {
  const { raw } = out;
  const b1 = raw.batch1;
  const bN = raw.batchN;
  const cs = a.concurrency;
  const cHigh = cs.includes(64) ? 64 : Math.max(...cs);
  console.log('');
  console.log(`Serving benchmark: credit_gbdt.onnx (scikit-learn pipeline + GradientBoostingClassifier, 60 trees, 7 per-column inputs)`);
  console.log(
    `  ${availableParallelism()} cores; Node ${process.version}; onnxruntime-node ${raw.ort_version}; Ferry FERRY_INFERENCE_WORKERS=${a.workers}, ` +
      `FERRY_LOG_LEVEL=${a['ferry-log-level']}, batching max_batch_size=${a.batching.max_batch_size} max_queue_delay_ms=${a.batching.max_queue_delay_ms}` +
      `${a.batching.max_queue_rows ? ` max_queue_rows=${a.batching.max_queue_rows}` : ''}`,
  );
  console.log(
    `  load: bench/serving/load.mjs (closed loop, keep-alive, one request in flight per connection), ` +
      `${a.warmup} s warm-up + ${a.duration} s measured per point; client and servers share the cores`,
  );
  for (const c of out.checks) console.log(`  check: ${c}`);

  console.log(`\nRaw onnxruntime-node in-process (1 session, intra-op threads ${raw.threads}, one call at a time)`);
  console.log(`  batch 1     p50 ${f1(b1.p50_us)} µs   p99 ${f1(b1.p99_us)} µs   ${int(b1.rows_per_s)} rows/s`);
  console.log(`  batch ${String(bN.batch).padEnd(5)} p50 ${f1(bN.p50_us)} µs  p99 ${f1(bN.p99_us)} µs  ${int(bN.rows_per_s)} rows/s`);
  const w = raw.worker_batch1;
  if (w) console.log(`  batch 1 via a worker thread (Ferry's worker source, postMessage round trip, no HTTP): p50 ${f1(w.p50_us)} µs   p99 ${f1(w.p99_us)} µs`);

  console.log(`\nOver HTTP, 1-row requests (bodies cycle through the 20 recorded rows)`);
  console.log(`  ${''.padEnd(26)}${pad('req/s', 9)}${pad('p50 µs', 10)}${pad('p99 µs', 10)}   CPU during the window`);
  console.log(loadRow('Ferry GET /health, c=1', out.ferry.health));
  for (const c of cs) {
    console.log(`  concurrency ${c}:`);
    for (const proto of a.protocols) {
      const r = out.ferry[proto]?.[c];
      const inline = nil(r?.inline_share) ? '' : `, inline ${Math.round(100 * r.inline_share)}%`;
      console.log(loadRow(`  Ferry ${proto}`, r) + `   rows/run ${f1(r?.rows_per_run)}${inline}`);
    }
    if (out.mlflow.records) console.log(loadRow('  mlflow models serve', out.mlflow.records[c]));
    const m = out.mlflow.records?.[c]?.rps;
    if (m) console.log(`    Ferry / MLflow req/s: ${a.protocols.map((p) => `${p} ${f1(out.ferry[p][c].rps / m)}x`).join(', ')}`);
  }

  console.log(`\nBatching: C connections, each sending N-row requests (Ferry's batcher coalesces them)`);
  console.log(
    `  ${'(monitoring: the prediction log on or off)'.padEnd(40)}${pad('req/s', 9)}${pad('p50 µs', 10)}${pad('p99 µs', 10)}${pad('rows/s', 12)}${pad('rows/run', 10)}${pad('% raw', 8)}`,
  );
  for (const proto of a.protocols) {
    for (const [key, r] of Object.entries(out.ferry[`${proto}_batching`] ?? {})) {
      const n = key.split(':')[0];
      console.log(
        `  ${`Ferry ${proto}, ${r.concurrency} x ${n}-row, monitoring ${r.monitoring}`.padEnd(40)}${pad(int(r.rps), 9)}${pad(int(r.p50_us), 10)}${pad(int(r.p99_us), 10)}${pad(int(r.rows_per_s), 12)}${pad(f1(r.rows_per_run), 10)}${pad(f1((100 * r.rows_per_s) / bN.rows_per_s), 8)}   ${cpu(r)}${r.log_dropped ? `; log DROPPED ${int(r.log_dropped)} rows` : ''}`,
      );
    }
  }

  const lg = out.ferry.logging;
  const mean = (xs, k) => xs.reduce((acc, x) => acc + x[k], 0) / xs.length;
  if (lg?.on.length) {
    console.log(
      `\nPrediction logging (monitoring on: every request logged and profiled) vs off, records, 1-row requests, c=${lg.concurrency}, ${lg.on.length} alternated rounds`,
    );
    for (const [label, xs] of [
      ['monitoring on', lg.on],
      ['monitoring off', lg.off],
    ]) {
      const perReq = (k) => (1e6 * mean(xs, k)) / mean(xs, 'rps');
      console.log(
        `  ${label.padEnd(26)}${pad(int(mean(xs, 'rps')), 9)} req/s   p50 ${int(mean(xs, 'p50_us'))} µs   p99 ${int(mean(xs, 'p99_us'))} µs   rounds: ${xs.map((x) => int(x.rps)).join(', ')}${xs.some((x) => x.log_dropped) ? `; log DROPPED ${int(xs.reduce((n, x) => n + (x.log_dropped ?? 0), 0))} rows` : ''}`,
      );
      if (xs.every((x) => !nil(x.server_main_cores))) {
        console.log(
          `  ${''.padEnd(26)}CPU µs per request: server ${f1(perReq('server_cores'))}, main thread ${f1(perReq('server_main_cores'))}, client ${f1(perReq('client_cores'))}`,
        );
      }
    }
  }

  console.log('\nTargets (from the issue)');
  const targets = [];
  for (const proto of a.protocols) {
    const f = out.ferry[proto]?.[cHigh];
    const m = out.mlflow.records?.[cHigh];
    const ratio = f && m?.rps ? f.rps / m.rps : null;
    targets.push({ target: `ferry_vs_mlflow_${proto}`, value: ratio, met: nil(ratio) ? null : ratio >= TARGET_MLFLOW_RATIO });
    console.log(
      `  ${verdict(nil(ratio) ? null : ratio >= TARGET_MLFLOW_RATIO)} Ferry ${proto} >= ${TARGET_MLFLOW_RATIO}x mlflow models serve req/s at c=${cHigh}: ` +
        (nil(ratio) ? 'not measured' : `${f1(ratio)}x (${int(f.rps)} vs ${int(m.rps)} req/s)`),
    );
  }
  for (const proto of a.protocols) {
    const f = out.ferry[proto]?.[1];
    const over = f ? f.p50_us - b1.p50_us : null;
    targets.push({ target: `overhead_${proto}_us`, value: over, met: nil(over) ? null : over <= TARGET_OVERHEAD_US });
    console.log(
      `  ${verdict(nil(over) ? null : over <= TARGET_OVERHEAD_US)} server overhead over raw ORT, ${proto}, c=1, p50 <= ${TARGET_OVERHEAD_US} µs: ` +
        (nil(over) ? 'not measured (needs concurrency 1)' : `${int(over)} µs (Ferry ${int(f.p50_us)} - raw batch-1 ${f1(b1.p50_us)})`),
    );
    const floor = out.ferry.health?.p50_us;
    if (!nil(over) && !nil(floor) && w) {
      // Inline runs (the main-thread session) skip the worker hop; count it only for the share that took it.
      const hop = (w.p50_us - b1.p50_us) * (1 - (f.inline_share ?? 0));
      console.log(
        `             of which: HTTP + client floor (GET /health) ${int(floor)} µs, worker-thread hop ${int(hop)} µs ` +
          `(${Math.round(100 * (f.inline_share ?? 0))}% of runs inline), the rest (auth, deployment lookup, body parsing, batching, JSON answer, logging, metrics) ${int(over - floor - hop)} µs`,
      );
    }
  }
  for (const proto of a.protocols) {
    for (const [key, r] of Object.entries(out.ferry[`${proto}_batching`] ?? {})) {
      const n = key.split(':')[0];
      const pct = (100 * r.rows_per_s) / bN.rows_per_s;
      targets.push({ target: `batching_${proto}_${n}rows_monitoring_${r.monitoring}_pct`, value: pct, met: pct >= TARGET_BATCH_PCT });
      console.log(
        `  ${verdict(pct >= TARGET_BATCH_PCT)} batching, ${proto}, ${r.concurrency} x ${n}-row requests, monitoring ${r.monitoring}: >= ${TARGET_BATCH_PCT}% of raw batch-${bN.batch} rows/s: ` +
          `${f1(pct)}% (${int(r.rows_per_s)} vs ${int(bN.rows_per_s)} rows/s)`,
      );
    }
  }
  if (lg?.on.length) {
    const cost = 100 * (1 - mean(lg.on, 'rps') / mean(lg.off, 'rps'));
    targets.push({ target: 'logging_cost_pct', value: cost, met: cost <= TARGET_LOGGING_COST_PCT });
    // Each round's on/off pair ran back to back, so its ratio is less moved by the machine's drift than the means.
    const paired = lg.on.map((x, i) => 100 * (1 - x.rps / lg.off[i].rps)).sort((p, q) => p - q);
    const med = paired[paired.length >> 1];
    console.log(
      `  ${verdict(cost <= TARGET_LOGGING_COST_PCT)} prediction logging costs <= ${TARGET_LOGGING_COST_PCT}% of throughput (records, c=${lg.concurrency}): ${f1(cost)}% (${int(mean(lg.on, 'rps'))} vs ${int(mean(lg.off, 'rps'))} req/s); ` +
        `per round ${paired.map(f1).join(', ')}%, median ${f1(med)}%`,
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
