// Serving benchmark: raw onnxruntime-node in-process vs Ferry over HTTP (records and Open Inference
// Protocol) vs `mlflow models serve`, on the committed credit GBDT model, side by side in one run.
//
//   bench/serving/run.sh [options]        (every option also has a BENCH_* variable; see --help)
//
// Exit status 0 unless the benchmark itself breaks; a missed target is printed, not failed.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { REPO, fixture, mlflowBody, recordsBody, rowsFrom, v2BinaryBody, v2Body } from './common.mjs';
import { hottest } from './profile.mjs';
import { printReport } from './report.mjs';
import { haveWrk } from './wrk.mjs';
import * as S from './servers.mjs';
import { DEPLOYMENT, check, child, log, measured, point } from './points.mjs';
import { parseBenchOptions, smokeChecks } from '../options.mjs';

const HERE = join(REPO, 'bench', 'serving');
// name: [BENCH_* variable, default, help]
const OPTS = {
  duration: ['BENCH_DURATION', '5', 'seconds measured per load point'],
  warmup: ['BENCH_WARMUP', '1', 'seconds of load before each point is measured'],
  concurrency: ['BENCH_CONCURRENCY', '1,16,64', 'client connections per point, comma-separated'],
  'batch-rows': ['BENCH_BATCH_ROWS', '4,32,128', 'rows per request in the batching points, comma-separated'],
  protocols: [
    'BENCH_PROTOCOLS',
    'records,v2,v2-binary',
    "Ferry's protocols to load: records (MLflow scoring JSON), v2 (Open Inference Protocol, JSON tensors), v2-binary (its binary tensor extension)",
  ],
  'batch-monitoring': ['BENCH_BATCH_MONITORING', 'on,off', 'the batching points with the deployment monitoring on, off, or both (on,off)'],
  'batch-concurrency': [
    'BENCH_BATCH_CONCURRENCY',
    'auto',
    'connections in the batching points (auto: min(64, 2048 / rows), so at most 2,048 rows are in flight, half the default queue bound)',
  ],
  load: [
    'BENCH_LOAD',
    'node',
    "load generator: node (bench/serving/load.mjs) or wrk (Debian's wrk: less client CPU on a shared machine; JSON bodies only, binary ones stay on load.mjs)",
  ],
  workers: ['BENCH_FERRY_WORKERS', '2', "Ferry's FERRY_INFERENCE_WORKERS (its default is 2)"],
  'ferry-log-level': ['BENCH_FERRY_LOG_LEVEL', 'info', "Ferry's FERRY_LOG_LEVEL (info, its default, logs every request)"],
  'max-batch-size': ['BENCH_MAX_BATCH_SIZE', '256', "the deployment's batching.max_batch_size"],
  'max-queue-delay-ms': ['BENCH_MAX_QUEUE_DELAY_MS', '2', "the deployment's batching.max_queue_delay_ms"],
  'max-queue-rows': ['BENCH_MAX_QUEUE_ROWS', '', "the deployment's batching.max_queue_rows (empty: Ferry's default, 4096)"],
  'logging-rounds': ['BENCH_LOGGING_ROUNDS', '2', 'rounds of (monitoring on, monitoring off) at c=64, records, for the logging-cost row (0 leaves it out)'],
  'raw-seconds': ['BENCH_RAW_SECONDS', '3', 'seconds per raw onnxruntime measurement'],
  'raw-threads': ['BENCH_RAW_THREADS', '1', 'intra-op threads of the raw session (Ferry uses 1 per worker)'],
  'raw-batch': ['BENCH_RAW_BATCH', '256', 'rows per call in the raw large-batch measurement'],
  'mlflow-workers': ['BENCH_MLFLOW_WORKERS', '', 'mlflow models serve --workers (empty: its default, 1)'],
  python: ['BENCH_PYTHON', '.venv/bin/python', 'Python with mlflow + scikit-learn (for mlflow models serve)'],
  json: ['BENCH_JSON', '', 'also write every figure to this JSON file'],
};
const FLAGS = {
  'skip-mlflow': ['BENCH_SKIP_MLFLOW', 'leave mlflow models serve out'],
  profile: ['BENCH_PROFILE', "run Ferry under node --cpu-prof and print its main thread's hottest functions"],
  keep: ['BENCH_KEEP', 'keep the temporary folder (server logs, MLflow model, profiles)'],
};
// --smoke: every kind of point once, briefly (1-row at c=1 and 16, one batching point, one logging round).
// `mlflow models serve` is left out: training its model and starting it takes longer than the rest of the smoke
// run, and the tracking smoke run already drives a real MLflow server; --no-skip-mlflow or BENCH_SKIP_MLFLOW=0 adds it.
const SMOKE = {
  duration: '0.3',
  warmup: '0.1',
  concurrency: '1,16',
  'batch-rows': '32',
  'batch-monitoring': 'on',
  'logging-rounds': '1',
  'raw-seconds': '0.3',
  'skip-mlflow': true,
};

function parse() {
  const values = parseBenchOptions('bench/serving/run.sh', OPTS, FLAGS, SMOKE);
  const num = (k) => Number(values[k]);
  return {
    ...values,
    duration: num('duration'),
    warmup: num('warmup'),
    concurrency: values.concurrency
      .split(',')
      .map(Number)
      .filter((n) => n > 0),
    batchRows: values['batch-rows']
      .split(',')
      .map(Number)
      .filter((n) => n > 0),
    protocols: values.protocols.split(',').filter((p) => ['records', 'v2', 'v2-binary'].includes(p)),
    batchMonitoring: values['batch-monitoring'].split(',').filter((m) => m === 'on' || m === 'off'),
    batchConcurrency: values['batch-concurrency'] === 'auto' ? (n) => Math.max(1, Math.min(64, Math.floor(2048 / n))) : () => num('batch-concurrency'),
    workers: num('workers'),
    batching: {
      max_batch_size: num('max-batch-size'),
      max_queue_delay_ms: num('max-queue-delay-ms'),
      ...(values['max-queue-rows'] ? { max_queue_rows: num('max-queue-rows') } : {}),
    },
    python: resolve(REPO, values.python),
  };
}

async function main() {
  const a = parse();
  if (a.load === 'wrk' && !haveWrk()) throw new Error('--load wrk: no wrk on PATH (Debian: apt-get install wrk)');
  const fx = fixture();
  const want = fx.expected.label;
  const tmp = mkdtempSync(join(tmpdir(), 'ferry-bench-serving-'));
  const out = { options: a, checks: [], ferry: {}, mlflow: {}, tmp };
  let ferry = null;
  let ml = null;
  try {
    // Servers first, side by side; both idle while raw onnxruntime is measured.
    let mlflowInfo = null;
    if (a.smoke && a['skip-mlflow']) console.log('mlflow models serve left out (a smoke run; --no-skip-mlflow adds it)');
    if (!a['skip-mlflow'] && !existsSync(a.python)) {
      log(`no Python at ${a.python}: leaving mlflow models serve out (set BENCH_PYTHON, or --skip-mlflow to silence this)`);
      a['skip-mlflow'] = true;
    }
    if (!a['skip-mlflow']) {
      log('training the scikit-learn credit GBDT (python/fixtures/make_models.py) and saving it as an MLflow model');
      mlflowInfo = await child(a.python, [join(HERE, 'mlflow_model.py'), join(tmp, 'mlflow-model')]);
      out.checks.push(`scikit-learn model vs the ONNX fixture: ${mlflowInfo.agree_with_onnx}/${mlflowInfo.rows} labels agree`);
    }
    log(`starting Ferry (FERRY_INFERENCE_WORKERS=${a.workers})${a['skip-mlflow'] ? '' : ' and mlflow models serve'}`);
    const nodeArgs = a.profile ? ['--cpu-prof', '--cpu-prof-dir', join(tmp, 'prof')] : [];
    [ferry, ml] = await Promise.all([
      S.startFerry(tmp, { workers: a.workers, logLevel: a['ferry-log-level'], nodeArgs }),
      a['skip-mlflow'] ? null : S.startMlflowServe(tmp, { python: a.python, modelDir: join(tmp, 'mlflow-model'), workers: a['mlflow-workers'] }),
    ]);
    const dep = await S.deployOnFerry(ferry, { modelPath: fx.modelPath, model: 'credit_gbdt', deployment: DEPLOYMENT, batching: a.batching });
    out.ferry.deploy_ms = dep.loadMs;

    // Answers first: every recorded row through each server must give the recorded label.
    const recPath = `/api/v1/deployments/${DEPLOYMENT}/predict`;
    const v2Path = `/v2/models/${DEPLOYMENT}/infer`;
    const rec = await S.postJson(ferry, recPath, recordsBody(fx.records));
    out.checks.push(
      check(
        'Ferry records, 20 rows',
        rec.predictions.map((p) => p.label),
        want,
      ),
    );
    const v2 = await S.postJson(ferry, v2Path, v2Body(fx.records));
    out.checks.push(check('Ferry v2, 20 rows', v2.outputs.find((o) => o.name === 'label').data, want));
    const v2b = await S.postV2Binary(ferry, v2Path, v2BinaryBody(fx.records));
    out.checks.push(check('Ferry v2 binary tensors, 20 rows', v2b.label, want));
    if (ml) {
      const m = await S.postJson(ml, '/invocations', mlflowBody(fx.records));
      out.checks.push(check('mlflow models serve, 20 rows', m.predictions, want));
    }

    log(`raw onnxruntime-node in-process: batch 1 and batch ${a['raw-batch']}, ${a['raw-seconds']} s each`);
    out.raw = await child(process.execPath, [
      join(HERE, 'raw-ort.mjs'),
      '--seconds',
      a['raw-seconds'],
      '--threads',
      a['raw-threads'],
      '--batch',
      a['raw-batch'],
    ]);

    const one = (make) => fx.records.map((_, i) => make(rowsFrom(fx.records, 1, i)));
    const many = (make, n) => fx.records.map((_, i) => make(rowsFrom(fx.records, n, i)));
    const perPoint = a.warmup + a.duration;
    const np = a.protocols.length;
    const points =
      1 + np * (a.concurrency.length + a.batchRows.length * a.batchMonitoring.length) + 2 * Number(a['logging-rounds']) + (ml ? a.concurrency.length : 0);
    log(`${points} load points of ${perPoint} s each (~${Math.round(points * (perPoint + 0.5))} s)`);

    log('Ferry GET /health at c=1 (the HTTP floor: routing, no auth, no model)');
    out.ferry.health = await point(tmp, ferry, a, { path: '/health', method: 'GET', bodies: [], concurrency: 1 });
    const protocols = { records: [recPath, recordsBody], v2: [v2Path, v2Body], 'v2-binary': [v2Path, v2BinaryBody] };
    for (const proto of a.protocols) {
      const [path, make] = protocols[proto];
      out.ferry[proto] = {};
      for (const c of a.concurrency) {
        log(`Ferry ${proto}, 1-row requests, c=${c}`);
        out.ferry[proto][c] = await measured(tmp, ferry, a, { path, bodies: one(make), concurrency: c });
      }
      out.ferry[`${proto}_batching`] = {};
      for (const n of a.batchRows) {
        const c = a.batchConcurrency(n);
        const body = make(rowsFrom(fx.records, n, 0));
        const probe = proto === 'v2-binary' ? await S.postV2Binary(ferry, path, body) : await S.postJson(ferry, path, body);
        const got = proto === 'records' ? probe.predictions.length : proto === 'v2' ? probe.outputs[0].shape[0] : probe.label.length;
        if (got !== n) throw new Error(`Ferry ${proto}: a ${n}-row request got ${got} predictions`);
        for (const mon of a.batchMonitoring) {
          log(`Ferry ${proto}, batching: ${n}-row requests, c=${c}, monitoring ${mon}`);
          await S.setMonitoring(ferry, DEPLOYMENT, mon === 'on');
          const r = await measured(tmp, ferry, a, { path, bodies: many(make, n), concurrency: c });
          r.rows_per_s = r.rps * n;
          r.concurrency = c;
          r.monitoring = mon;
          out.ferry[`${proto}_batching`][`${n}:${mon}`] = r;
        }
        await S.setMonitoring(ferry, DEPLOYMENT, true);
      }
    }
    // Prediction logging's cost: the same load with the deployment's monitoring on and off, alternated.
    const rounds = Number(a['logging-rounds']);
    if (rounds > 0) {
      const cLog = a.concurrency.includes(64) ? 64 : Math.max(...a.concurrency);
      out.ferry.logging = { concurrency: cLog, on: [], off: [] };
      for (let i = 0; i < rounds; i++) {
        for (const enabled of [true, false]) {
          log(`Ferry records, 1-row requests, c=${cLog}, monitoring ${enabled ? 'on' : 'off'} (round ${i + 1}/${rounds})`);
          await S.setMonitoring(ferry, DEPLOYMENT, enabled);
          out.ferry.logging[enabled ? 'on' : 'off'].push(await measured(tmp, ferry, a, { path: recPath, bodies: one(recordsBody), concurrency: cLog }));
        }
      }
      await S.setMonitoring(ferry, DEPLOYMENT, true);
    }
    if (ml) {
      out.mlflow.records = {};
      for (const c of a.concurrency) {
        log(`mlflow models serve, dataframe_records, 1-row requests, c=${c}`);
        out.mlflow.records[c] = await point(tmp, ml, a, { path: '/invocations', bodies: one(mlflowBody), concurrency: c });
      }
    }
  } finally {
    await Promise.all([S.stop(ferry), S.stop(ml)]);
  }
  if (a.profile) out.profile = hottest(join(tmp, 'prof'), 20);
  printReport(out, a);
  if (a.json) writeFileSync(a.json, JSON.stringify(out, null, 2));
  if (a.smoke) {
    // log-cpu.mjs (the prediction log's CPU, apart) imports more of Ferry than the rest: run it briefly too.
    log('log-cpu.mjs, briefly');
    out.log_cpu = await child(process.execPath, [join(HERE, 'log-cpu.mjs'), '--rows', '1', '--events', '500', '--rounds', '1', '--json']);
    smoke(out, a);
  }
  if (a.keep || a.profile) log(`kept ${tmp}`);
  else rmSync(tmp, { recursive: true, force: true });
}

/** A smoke run's checks: every point carried load without errors, the counters parse, every ratio is finite. */
function smoke(out, a) {
  const s = smokeChecks('serving');
  const good = (r) => r && Number.isFinite(r.rps) && r.rps > 0 && Number.isFinite(r.p50_us) && !r.errors;
  s.check(out.checks.length >= 3, `answers checked against the recorded labels (${out.checks.length} checks)`);
  s.check(Number.isFinite(out.raw.batch1.p50_us) && Number.isFinite(out.raw.batchN.rows_per_s), 'raw onnxruntime measured');
  s.check(out.raw.worker_batch1 && Number.isFinite(out.raw.worker_batch1.p50_us), "raw onnxruntime through Ferry's worker source (ferry/serving) measured");
  s.check(good(out.ferry.health), 'GET /health carried load');
  for (const proto of a.protocols) {
    for (const c of a.concurrency) s.check(good(out.ferry[proto][c]), `Ferry ${proto} c=${c}: load without errors`);
    for (const [key, r] of Object.entries(out.ferry[`${proto}_batching`])) {
      s.check(
        good(r) && Number.isFinite(r.rows_per_run) && r.rows_per_run >= 1,
        `Ferry ${proto} batching ${key}: load without errors, rows per run read from /metrics`,
      );
    }
  }
  const lg = out.ferry.logging;
  if (lg) s.check([...lg.on, ...lg.off].every(good), 'the logging rounds (monitoring on and off) carried load');
  if (out.mlflow.records) for (const c of a.concurrency) s.check(good(out.mlflow.records[c]), `mlflow models serve c=${c}: load without errors`);
  const lc = out.log_cpu.figures;
  s.check(
    lc.length === 2 && lc.every((f) => Number.isFinite(f.us) && (f.side === 'main' || f.sql_us > 0)),
    'log-cpu.mjs measured the event loop and the monitoring thread',
  );
  const bad = out.targets.filter((t) => !Number.isFinite(t.value) && !(t.target.startsWith('ferry_vs_mlflow') && !out.mlflow.records));
  s.check(bad.length === 0, `every ratio is finite${bad.length ? ` (not ${bad.map((t) => t.target).join(', ')})` : ''}`);
  const c1 = a.protocols.map((p) => `${p} ${Math.round(out.ferry[p][a.concurrency[a.concurrency.length - 1]].rps)}`).join(', ');
  s.finish(`req/s at c=${a.concurrency[a.concurrency.length - 1]}: ${c1}${out.mlflow.records ? '' : '; mlflow models serve not run'}`);
}

main().catch((err) => {
  log(`FAILED: ${err.stack ?? err}`);
  process.exit(1);
});
