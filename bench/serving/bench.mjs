// Serving benchmark: raw onnxruntime-node in-process vs Ferry over HTTP (records and Open Inference
// Protocol) vs MLServer, BentoML and `mlflow models serve`, on the same credit GBDT model and rows, side by side
// in one run: alternated rounds, the load generator and the servers pinned to separate cores, medians with their
// spread, CPU per request per thread, and targets judged on the median of >= 5 rounds (bench/lib).
//
//   bench/serving/run.sh [options]        (every option also has a BENCH_* variable; see --help)
//
// Exit status 0 unless the benchmark itself breaks; a missed target is printed, not failed.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { REPO, bentomlBody, fixture, mlflowBody, mlserverBody, recordsBody, rowsFrom, v2BinaryBody, v2Body } from './common.mjs';
import { hottest } from './profile.mjs';
import { printReport } from './report.mjs';
import { haveWrk } from './wrk.mjs';
import * as S from './servers.mjs';
import { startMlserver } from './mlserver/start.mjs';
import { startBentoml } from './bentoml/start.mjs';
import { DEPLOYMENT, check, child, log, measured, point } from './points.mjs';
import { parseBenchOptions, smokeChecks } from '../options.mjs';
import { alternate, cpuDelta, cpuPlan, cpuSnapshot, medianOf, pinned } from '../lib/index.mjs';

const HERE = join(REPO, 'bench', 'serving');
// name: [BENCH_* variable, default, help]
const OPTS = {
  rounds: ['BENCH_ROUNDS', '5', 'alternated rounds: every point runs once per round; targets are judged on the median of >= 5'],
  pin: [
    'BENCH_PIN',
    'auto',
    'core pinning (taskset): auto (load generator on CPU 0, every server and raw onnxruntime on the others), off, or LOAD:SERVER CPU lists',
  ],
  duration: ['BENCH_DURATION', '3', 'seconds measured per load point'],
  warmup: ['BENCH_WARMUP', '1', 'seconds of load before each point is measured'],
  concurrency: ['BENCH_CONCURRENCY', '1,16,64', 'client connections per point, comma-separated'],
  'batch-rows': ['BENCH_BATCH_ROWS', '4,32,128', 'rows per request in the batching points, comma-separated'],
  protocols: [
    'BENCH_PROTOCOLS',
    'records,v2,v2-binary',
    "Ferry's protocols to load: records (MLflow scoring JSON), v2 (Open Inference Protocol, JSON tensors), v2-binary (its binary tensor extension)",
  ],
  'batch-monitoring': ['BENCH_BATCH_MONITORING', 'on', 'the batching points with the deployment monitoring on, off, or both (on,off)'],
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
  logging: ['BENCH_LOGGING', 'on', 'a (monitoring on, monitoring off) pair per round at c=64, records, for the logging cost (off leaves it out)'],
  'raw-seconds': ['BENCH_RAW_SECONDS', '1', 'seconds per raw onnxruntime measurement (once per round)'],
  'raw-threads': ['BENCH_RAW_THREADS', '1', 'intra-op threads of the raw session (Ferry uses 1 per worker)'],
  'raw-batch': ['BENCH_RAW_BATCH', '256', 'rows per call in the raw large-batch measurement'],
  'mlflow-workers': ['BENCH_MLFLOW_WORKERS', '', 'mlflow models serve --workers (empty: its default, 1)'],
  python: ['BENCH_PYTHON', '.venv/bin/python', 'Python with mlflow + scikit-learn (trains the model for mlflow models serve and the peers)'],
  'peers-venv': ['BENCH_PEERS_VENV', 'bench/serving/.venv-peers', 'the venv with mlserver, mlserver-sklearn and bentoml (run.sh creates it)'],
  'peer-workers': ['BENCH_PEER_WORKERS', 'auto', "MLServer's parallel_workers and BentoML's workers (auto: the cores the servers are pinned to)"],
  'bentoml-max-latency-ms': [
    'BENCH_BENTOML_MAX_LATENCY_MS',
    '60000',
    "BentoML's max_latency_ms (its default; a request whose estimated latency passes it is refused with 503, so it is a ceiling, not a batching window)",
  ],
  json: ['BENCH_JSON', '', 'also write every figure to this JSON file'],
};
const FLAGS = {
  'skip-mlflow': ['BENCH_SKIP_MLFLOW', 'leave mlflow models serve out'],
  'skip-mlserver': ['BENCH_SKIP_MLSERVER', 'leave MLServer out'],
  'skip-bentoml': ['BENCH_SKIP_BENTOML', 'leave BentoML out'],
  profile: ['BENCH_PROFILE', "run Ferry under node --cpu-prof and print its main thread's hottest functions"],
  keep: ['BENCH_KEEP', 'keep the temporary folder (server logs, MLflow model, profiles)'],
};
// --smoke: every kind of point once, briefly (one round; 1-row at c=1 and 16, one batching point, one logging pair).
// `mlflow models serve` is left out: training its model and starting it takes longer than the rest of the smoke
// run, and the tracking smoke run already drives a real MLflow server; --no-skip-mlflow or BENCH_SKIP_MLFLOW=0 adds it.
// MLServer and BentoML run only where their venv exists (run.sh --smoke installs nothing).
const SMOKE = {
  rounds: '1',
  duration: '0.3',
  warmup: '0.1',
  concurrency: '1,16',
  'batch-rows': '32',
  'batch-monitoring': 'on',
  'raw-seconds': '0.3',
  'skip-mlflow': true,
};

function parse() {
  const values = parseBenchOptions('bench/serving/run.sh', OPTS, FLAGS, SMOKE);
  const num = (k) => Number(values[k]);
  return {
    ...values,
    rounds: Math.max(1, num('rounds')),
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
    peersVenv: resolve(REPO, values['peers-venv']),
  };
}

/** Why a peer in the peers' venv cannot run (null when it can). */
function peerMissing(a, name, flag) {
  if (a[flag]) return `left out (--${flag})`;
  if (!existsSync(join(a.peersVenv, 'bin', name)))
    return `left out: no ${join(a.peersVenv, 'bin', name)} (run.sh installs it on a full run; a smoke run installs nothing)`;
  if (!existsSync(a.python)) return `left out: no Python at ${a.python} to train the model`;
  return null;
}

async function main() {
  const a = parse();
  if (a.load === 'wrk' && !haveWrk()) throw new Error('--load wrk: no wrk on PATH (Debian: apt-get install wrk)');
  a.plan = cpuPlan(a.pin);
  S.usePlan(a.plan);
  const peerWorkers = a['peer-workers'] === 'auto' ? a.plan.serverCores : Number(a['peer-workers']);
  const fx = fixture();
  const want = fx.expected.label;
  const tmp = mkdtempSync(join(tmpdir(), 'ferry-bench-serving-'));
  const out = { options: a, plan: a.plan, checks: [], left_out: {}, ferry: {}, mlflow: {}, mlserver: {}, bentoml: {}, tmp };
  const servers = {};
  try {
    if (a.smoke && a['skip-mlflow']) console.log('mlflow models serve left out (a smoke run; --no-skip-mlflow adds it)');
    if (!a['skip-mlflow'] && !existsSync(a.python)) {
      log(`no Python at ${a.python}: leaving mlflow models serve out (set BENCH_PYTHON, or --skip-mlflow to silence this)`);
      a['skip-mlflow'] = true;
    }
    const missing = { mlserver: peerMissing(a, 'mlserver', 'skip-mlserver'), bentoml: peerMissing(a, 'bentoml', 'skip-bentoml') };
    for (const [peer, why] of Object.entries(missing)) {
      if (!why) continue;
      out.left_out[peer] = why;
      console.log(`${peer === 'mlserver' ? 'MLServer' : 'BentoML'} ${why}`);
    }
    if (!a['skip-mlflow']) {
      log('training the scikit-learn credit GBDT (python/fixtures/make_models.py) and saving it as an MLflow model');
      const info = await child(a.python, [join(HERE, 'mlflow_model.py'), join(tmp, 'mlflow-model')]);
      out.checks.push(`scikit-learn model vs the ONNX fixture: ${info.agree_with_onnx}/${info.rows} labels agree`);
    }
    let peerModel = null;
    if (!missing.mlserver || !missing.bentoml) {
      log('training the same scikit-learn model for MLServer and BentoML (bench/serving/peer_model.py: a joblib file)');
      const info = await child(a.python, [join(HERE, 'peer_model.py'), join(tmp, 'peer-model')]);
      if (info.agree_with_onnx !== info.rows) throw new Error(`peer_model.py: ${info.agree_with_onnx}/${info.rows} labels agree with the ONNX fixture`);
      out.checks.push(`the peers' scikit-learn model (joblib) vs the ONNX fixture: ${info.agree_with_onnx}/${info.rows} labels agree`);
      peerModel = join(tmp, 'peer-model', 'model.joblib');
    }

    // One after the other, so no start is slowed by another's; all of them idle while one is under load.
    log(`cores: ${a.plan.cores}; ${a.plan.why}`);
    log(`starting Ferry (FERRY_INFERENCE_WORKERS=${a.workers})`);
    const nodeArgs = a.profile ? ['--cpu-prof', '--cpu-prof-dir', join(tmp, 'prof')] : [];
    servers.ferry = await S.startFerry(tmp, { workers: a.workers, logLevel: a['ferry-log-level'], nodeArgs });
    const dep = await S.deployOnFerry(servers.ferry, { modelPath: fx.modelPath, model: 'credit_gbdt', deployment: DEPLOYMENT, batching: a.batching });
    out.ferry.deploy_ms = dep.loadMs;
    if (!a['skip-mlflow']) {
      log('starting mlflow models serve');
      servers.mlflow = await S.startMlflowServe(tmp, { python: a.python, modelDir: join(tmp, 'mlflow-model'), workers: a['mlflow-workers'] });
    }
    const delayMs = a.batching.max_queue_delay_ms;
    if (!missing.mlserver) {
      log(`starting MLServer (parallel_workers=${peerWorkers}, max_batch_size=${a.batching.max_batch_size}, max_batch_time=${delayMs} ms)`);
      servers.mlserver = await startMlserver(tmp, {
        venv: a.peersVenv,
        modelFile: peerModel,
        name: DEPLOYMENT,
        workers: peerWorkers,
        maxBatchSize: a.batching.max_batch_size,
        maxBatchTimeMs: delayMs,
      });
    }
    if (!missing.bentoml) {
      log(`starting BentoML (workers=${peerWorkers}, max_batch_size=${a.batching.max_batch_size}, max_latency_ms=${a['bentoml-max-latency-ms']})`);
      servers.bentoml = await startBentoml(tmp, {
        venv: a.peersVenv,
        modelFile: peerModel,
        workers: peerWorkers,
        maxBatchSize: a.batching.max_batch_size,
        maxLatencyMs: Number(a['bentoml-max-latency-ms']),
      });
    }
    const ferry = servers.ferry;

    // Answers first: every recorded row through each server must give the recorded label (so all servers agree).
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
    // The peers' request paths and bodies (1-row requests cycle through the 20 recorded rows, as Ferry's do).
    const peers = {
      mlflow: { label: 'mlflow models serve', path: '/invocations', make: mlflowBody, answer: (r) => r.predictions },
      mlserver: { label: 'MLServer (V2, mlserver-sklearn)', path: v2Path, make: mlserverBody, answer: (r) => r.outputs[0].data },
      bentoml: { label: 'BentoML (batchable API)', path: '/predict', make: bentomlBody, answer: (r) => r },
    };
    for (const [key, p] of Object.entries(peers)) {
      if (!servers[key]) continue;
      out.checks.push(check(`${p.label}, 20 rows`, p.answer(await S.postJson(servers[key], p.path, p.make(fx.records))), want));
      // One row at a time too: the shape every 1-row load point sends.
      const ones = [];
      for (const r of fx.records) ones.push(Number(p.answer(await S.postJson(servers[key], p.path, p.make([r])))[0]));
      out.checks.push(check(`${p.label}, the 20 rows one by one`, ones, want));
    }

    // What each server spends idle: they share the server cores, so an idle one's background work (timers, metrics,
    // supervisors) is taken from whichever server is under load.
    const idleS = Math.min(2, a.duration);
    const before = Object.fromEntries(Object.entries(servers).map(([k, srv]) => [k, cpuSnapshot(srv.proc.pid)]));
    await new Promise((r) => setTimeout(r, idleS * 1000));
    out.idle_cores = Object.fromEntries(
      Object.entries(servers).map(([k, srv]) => [k, (cpuDelta(before[k], cpuSnapshot(srv.proc.pid))?.total_s ?? NaN) / idleS]),
    );

    const one = (make) => fx.records.map((_, i) => make(rowsFrom(fx.records, 1, i)));
    const many = (make, n) => fx.records.map((_, i) => make(rowsFrom(fx.records, n, i)));
    const np = a.protocols.length;
    const peerKeys = Object.keys(peers).filter((k) => servers[k]);
    const logging = a.logging !== 'off';
    const perRound =
      1 + np * (a.concurrency.length + a.batchRows.length * a.batchMonitoring.length) + (logging ? 2 : 0) + peerKeys.length * a.concurrency.length;
    log(
      `${a.rounds} round(s) of ${perRound} load points of ${a.warmup + a.duration} s each and raw onnxruntime ` +
        `(~${Math.round((a.rounds * (perRound * (a.warmup + a.duration + 0.6) + 4 * a['raw-seconds'] + 2)) / 60)} min)`,
    );

    // Per-round results, keyed by point; reduced to medians (bench/lib medianOf) after the last round.
    const rounds = new Map();
    const keep = (key, r) => (rounds.get(key) ?? rounds.set(key, []).get(key)).push(r);
    const protocols = { records: [recPath, recordsBody], v2: [v2Path, v2Body], 'v2-binary': [v2Path, v2BinaryBody] };
    const cLog = a.concurrency.includes(64) ? 64 : Math.max(...a.concurrency);
    const subjects = ['raw', 'ferry', ...peerKeys];
    await alternate(a.rounds, subjects, async (subject, r) => {
      const tag = `round ${r + 1}/${a.rounds}:`;
      if (subject === 'raw') {
        log(`${tag} raw onnxruntime-node in-process: batch 1 and batch ${a['raw-batch']}, ${a['raw-seconds']} s each (on the server cores)`);
        const [cmd, args] = pinned(a.plan, a.plan.server, process.execPath, [
          join(HERE, 'raw-ort.mjs'),
          '--seconds',
          String(a['raw-seconds']),
          '--threads',
          String(a['raw-threads']),
          '--batch',
          String(a['raw-batch']),
        ]);
        keep('raw', await child(cmd, args));
        return;
      }
      if (subject !== 'ferry') {
        const p = peers[subject];
        for (const c of a.concurrency) {
          log(`${tag} ${p.label}, 1-row requests, c=${c}`);
          keep(`${subject}:${c}`, await point(tmp, servers[subject], a, { path: p.path, bodies: one(p.make), concurrency: c }));
        }
        return;
      }
      log(`${tag} Ferry GET /health at c=1 (the HTTP floor: routing, no auth, no model)`);
      keep('health', await point(tmp, ferry, a, { path: '/health', method: 'GET', bodies: [], concurrency: 1 }));
      for (const proto of a.protocols) {
        const [path, make] = protocols[proto];
        for (const c of a.concurrency) {
          log(`${tag} Ferry ${proto}, 1-row requests, c=${c}`);
          keep(`${proto}:${c}`, await measured(tmp, ferry, a, { path, bodies: one(make), concurrency: c }));
        }
        for (const n of a.batchRows) {
          const c = a.batchConcurrency(n);
          if (r === 0) {
            const body = make(rowsFrom(fx.records, n, 0));
            const probe = proto === 'v2-binary' ? await S.postV2Binary(ferry, path, body) : await S.postJson(ferry, path, body);
            const got = proto === 'records' ? probe.predictions.length : proto === 'v2' ? probe.outputs[0].shape[0] : probe.label.length;
            if (got !== n) throw new Error(`Ferry ${proto}: a ${n}-row request got ${got} predictions`);
          }
          for (const mon of a.batchMonitoring) {
            log(`${tag} Ferry ${proto}, batching: ${n}-row requests, c=${c}, monitoring ${mon}`);
            await S.setMonitoring(ferry, DEPLOYMENT, mon === 'on');
            const res = await measured(tmp, ferry, a, { path, bodies: many(make, n), concurrency: c });
            Object.assign(res, { rows_per_s: res.rps * n, concurrency: c, monitoring: mon });
            keep(`${proto}_batching:${n}:${mon}`, res);
          }
          await S.setMonitoring(ferry, DEPLOYMENT, true);
        }
      }
      // Prediction logging's cost: the same load with the deployment's monitoring on and off, back to back (the
      // order flips each round).
      if (logging) {
        for (const enabled of r % 2 === 0 ? [true, false] : [false, true]) {
          log(`${tag} Ferry records, 1-row requests, c=${cLog}, monitoring ${enabled ? 'on' : 'off'} (the logging pair)`);
          await S.setMonitoring(ferry, DEPLOYMENT, enabled);
          keep(`logging:${enabled ? 'on' : 'off'}`, await measured(tmp, ferry, a, { path: recPath, bodies: one(recordsBody), concurrency: cLog }));
        }
        await S.setMonitoring(ferry, DEPLOYMENT, true);
      }
    });

    // Medians (with each round kept in `rounds` and the spread in `spread`) in the shape the report reads.
    const med = (key) => medianOf(rounds.get(key) ?? []);
    out.raw = med('raw');
    out.ferry.health = med('health');
    for (const proto of a.protocols) {
      out.ferry[proto] = Object.fromEntries(a.concurrency.map((c) => [c, med(`${proto}:${c}`)]));
      out.ferry[`${proto}_batching`] = {};
      for (const n of a.batchRows) for (const mon of a.batchMonitoring) out.ferry[`${proto}_batching`][`${n}:${mon}`] = med(`${proto}_batching:${n}:${mon}`);
    }
    if (logging) out.ferry.logging = { concurrency: cLog, on: rounds.get('logging:on'), off: rounds.get('logging:off') };
    for (const k of peerKeys) out[k].records = Object.fromEntries(a.concurrency.map((c) => [c, med(`${k}:${c}`)]));
    out.peer_config = {
      mlserver: servers.mlserver ? { settings: servers.mlserver.settings, model_settings: servers.mlserver.modelSettings } : null,
      bentoml: servers.bentoml
        ? { workers: servers.bentoml.workers, max_batch_size: servers.bentoml.maxBatchSize, max_latency_ms: servers.bentoml.maxLatencyMs }
        : null,
    };
  } finally {
    await Promise.all(Object.values(servers).map((srv) => S.stop(srv)));
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
  for (const peer of ['mlflow', 'mlserver', 'bentoml'])
    if (out[peer].records) for (const c of a.concurrency) s.check(good(out[peer].records[c]), `${peer} c=${c}: load without errors`);
  s.check(
    !existsSync('/proc/self/task') || [out.ferry.health, out.ferry.records?.[a.concurrency[0]]].every((r) => r && Number.isFinite(r.cpu_us_per_req)),
    'server CPU per request read from /proc',
  );
  const lc = out.log_cpu.figures;
  s.check(
    lc.length === 2 && lc.every((f) => Number.isFinite(f.us) && (f.side === 'main' || f.sql_us > 0)),
    'log-cpu.mjs measured the event loop and the monitoring thread',
  );
  const bad = out.targets.filter((t) => !Number.isFinite(t.value) && !(t.peer && !out[t.peer].records));
  s.check(bad.length === 0, `every ratio is finite${bad.length ? ` (not ${bad.map((t) => t.target).join(', ')})` : ''}`);
  const c1 = a.protocols.map((p) => `${p} ${Math.round(out.ferry[p][a.concurrency[a.concurrency.length - 1]].rps)}`).join(', ');
  const notRun = ['mlflow', 'mlserver', 'bentoml'].filter((p) => !out[p].records);
  s.finish(`req/s at c=${a.concurrency[a.concurrency.length - 1]}: ${c1}${notRun.length ? `; not run: ${notRun.join(', ')}` : ''}`);
}

main().catch((err) => {
  log(`FAILED: ${err.stack ?? err}`);
  process.exit(1);
});
