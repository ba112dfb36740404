// Serving benchmark: raw onnxruntime-node in-process vs Ferry over HTTP (records and Open Inference
// Protocol) vs `mlflow models serve`, on the committed credit GBDT model, side by side in one run.
//
//   bench/serving/run.sh [options]        (every option also has a BENCH_* variable; see --help)
//
// Exit status 0 unless the benchmark itself breaks; a missed target is printed, not failed.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { REPO, fixture, mlflowBody, recordsBody, rowsFrom, v2BinaryBody, v2Body } from './common.mjs';
import { hottest } from './profile.mjs';
import { printReport } from './report.mjs';
import { haveWrk, wrkPoint } from './wrk.mjs';
import * as S from './servers.mjs';
import { parseBenchOptions } from '../options.mjs';

const HERE = join(REPO, 'bench', 'serving');
const DEPLOYMENT = 'credit';
// name: [BENCH_* variable, default, help]
const OPTS = {
  duration: ['BENCH_DURATION', '5', 'seconds measured per load point'],
  warmup: ['BENCH_WARMUP', '1', 'seconds of load before each point is measured'],
  concurrency: ['BENCH_CONCURRENCY', '1,16,64', 'client connections per point, comma-separated'],
  'batch-rows': ['BENCH_BATCH_ROWS', '4,32,128', 'rows per request in the batching points, comma-separated'],
  protocols: ['BENCH_PROTOCOLS', 'records,v2,v2-binary', "Ferry's protocols to load: records (MLflow scoring JSON), v2 (Open Inference Protocol, JSON tensors), v2-binary (its binary tensor extension)"],
  'batch-monitoring': ['BENCH_BATCH_MONITORING', 'on,off', 'the batching points with the deployment monitoring on, off, or both (on,off)'],
  'batch-concurrency': ['BENCH_BATCH_CONCURRENCY', 'auto', 'connections in the batching points (auto: min(64, 2048 / rows), so at most 2,048 rows are in flight, half the default queue bound)'],
  load: ['BENCH_LOAD', 'node', 'load generator: node (bench/serving/load.mjs) or wrk (Debian\'s wrk: less client CPU on a shared machine; JSON bodies only, binary ones stay on load.mjs)'],
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

function parse() {
  const values = parseBenchOptions('bench/serving/run.sh', OPTS, FLAGS);
  const num = (k) => Number(values[k]);
  return {
    ...values,
    duration: num('duration'),
    warmup: num('warmup'),
    concurrency: values.concurrency.split(',').map(Number).filter((n) => n > 0),
    batchRows: values['batch-rows'].split(',').map(Number).filter((n) => n > 0),
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

const log = (msg) => process.stderr.write(`[bench ${new Date().toTimeString().slice(0, 8)}] ${msg}\n`);

/** Runs a child to completion; `onLine` sees each stdout line; resolves with the last line parsed as JSON. */
function child(cmd, args, { onLine = () => {}, env = process.env } = {}) {
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

/** One load point: a fresh load.mjs process against `srv`; server CPU is sampled at the window's edges. */
async function point(tmp, srv, a, { path, method = 'POST', bodies, concurrency, duration = a.duration }) {
  const spec = { url: `${srv.url}${path}`, method, headers: srv.headers, bodies, concurrency, warmup_s: a.warmup, duration_s: duration };
  let cpuStart = null;
  let cpuEnd = null;
  const edge = (at) => (at === 'start' ? (cpuStart = S.cpuSeconds(srv.proc.pid)) : (cpuEnd = S.cpuSeconds(srv.proc.pid)));
  let res;
  if (a.load === 'wrk' && method === 'POST' && bodies.every((b) => typeof b === 'string')) {
    res = await wrkPoint(tmp, spec, edge);
    res.client = 'wrk';
  } else {
    const file = join(tmp, 'load-spec.json');
    writeFileSync(file, JSON.stringify(spec));
    res = await child(process.execPath, [join(HERE, 'load.mjs'), file], {
      onLine: (line) => {
        if (line.includes('"mark":"start"')) edge('start');
        else if (line.includes('"mark":"end"')) edge('end');
      },
    });
    res.client = 'load.mjs';
  }
  const num = (v) => typeof v === 'number';
  if (num(cpuStart?.total) && num(cpuEnd?.total)) {
    res.server_cores = (cpuEnd.total - cpuStart.total) / duration;
    res.server_main_cores = num(cpuEnd.main) && num(cpuStart.main) ? (cpuEnd.main - cpuStart.main) / duration : null;
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
  const runs = (placement) => val(new RegExp(`^ferry_inference_runs_total\\{[^}]*deployment="${DEPLOYMENT}"[^}]*placement="${placement}"[^}]*\\} (\\S+)$`, 'm'));
  const logged = (outcome) => val(new RegExp(`^ferry_prediction_log_rows_total\\{[^}]*deployment="${DEPLOYMENT}"[^}]*outcome="${outcome}"[^}]*\\} (\\S+)$`, 'm'));
  return { sum: hist('sum'), count: hist('count'), inline: runs('inline'), worker: runs('worker'), dropped: logged('dropped') };
}

/** Runs one load point between two batchStats readings: rows per run and the share of inline runs. */
async function measured(tmp, srv, a, spec) {
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

function check(what, got, want) {
  const same = got.filter((v, i) => Number(v) === want[i]).length;
  if (same !== want.length) throw new Error(`${what}: ${same}/${want.length} labels match (got ${JSON.stringify(got)}, want ${JSON.stringify(want)})`);
  return `${what}: ${same}/${want.length} labels match`;
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
    out.checks.push(check('Ferry records, 20 rows', rec.predictions.map((p) => p.label), want));
    const v2 = await S.postJson(ferry, v2Path, v2Body(fx.records));
    out.checks.push(check('Ferry v2, 20 rows', v2.outputs.find((o) => o.name === 'label').data, want));
    const v2b = await S.postV2Binary(ferry, v2Path, v2BinaryBody(fx.records));
    out.checks.push(check('Ferry v2 binary tensors, 20 rows', v2b.label, want));
    if (ml) {
      const m = await S.postJson(ml, '/invocations', mlflowBody(fx.records));
      out.checks.push(check('mlflow models serve, 20 rows', m.predictions, want));
    }

    log(`raw onnxruntime-node in-process: batch 1 and batch ${a['raw-batch']}, ${a['raw-seconds']} s each`);
    out.raw = await child(process.execPath, [join(HERE, 'raw-ort.mjs'), '--seconds', a['raw-seconds'], '--threads', a['raw-threads'], '--batch', a['raw-batch']]);

    const one = (make) => fx.records.map((_, i) => make(rowsFrom(fx.records, 1, i)));
    const many = (make, n) => fx.records.map((_, i) => make(rowsFrom(fx.records, n, i)));
    const perPoint = a.warmup + a.duration;
    const np = a.protocols.length;
    const points = 1 + np * (a.concurrency.length + a.batchRows.length * a.batchMonitoring.length) + 2 * Number(a['logging-rounds']) + (ml ? a.concurrency.length : 0);
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
  if (a.keep || a.profile) log(`kept ${tmp}`);
  else rmSync(tmp, { recursive: true, force: true });
}

main().catch((err) => {
  log(`FAILED: ${err.stack ?? err}`);
  process.exit(1);
});
