// Scale benchmark (issue 18): (1) predictions and tracking log_batch through haproxy with 1, 2 and 3 Ferry replicas
// on one PostgreSQL — req/s, p50/p99 and CPU per request, and the ratios to one replica; (2) artifact upload and
// download throughput, Ferry on a local folder vs Ferry on S3, with S3 itself as the peer. Everything runs on this
// machine, so the CPU caps the scaling: the point is its shape, and the CPU per request says where the time goes.
//
//   bench/scale/run.sh [options]        (every option also has a BENCH_* variable; see --help)
//
// Exit status 0 unless the benchmark itself breaks.
import { cpus, loadavg, tmpdir } from 'node:os';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseBenchOptions, smokeChecks } from '../options.mjs';
import { artifactRounds, whyNoS3 } from './artifacts.mjs';
import { clusterRounds, startCluster } from './cluster.mjs';
import { whyNoHaproxy } from './haproxy.mjs';
import { printArtifacts, printCluster } from './report.mjs';
import { log } from './util.mjs';

// name: [BENCH_* variable, default, help]
const OPTS = {
  replicas: ['BENCH_REPLICAS', '1,2,3', 'pool sizes behind haproxy (the first is the base of the ratios)'],
  workloads: ['BENCH_WORKLOADS', 'predict,log-batch', 'predict (1-row records), log-batch (MLflow runs/log-batch)'],
  concurrency: ['BENCH_CONCURRENCY', '16', 'requests in flight (closed loop, one keep-alive agent)'],
  duration: ['BENCH_DURATION', '5', 'measured seconds per point'],
  warmup: ['BENCH_WARMUP', '1', 'warm-up seconds per point (not measured)'],
  rounds: ['BENCH_ROUNDS', '3', 'rounds of part 1 (pool sizes alternate 1→3, 3→1; medians are printed)'],
  metrics: ['BENCH_METRICS', '10', 'metrics per log_batch call'],
  'inference-workers': ['BENCH_INFERENCE_WORKERS', '1', "each replica's FERRY_INFERENCE_WORKERS"],
  'client-cpu': ['BENCH_CLIENT_CPU', '0', 'taskset CPU list for the load generator (empty: not pinned)'],
  sizes: ['BENCH_SIZES', '1,200', 'artifact sizes in MiB'],
  files: ['BENCH_FILES', '10', 'files per side and round for sizes under 16 MiB (bigger: one)'],
  'artifact-rounds': ['BENCH_ARTIFACT_ROUNDS', '5', 'rounds of part 2 (the sides rotate)'],
  json: ['BENCH_JSON', '', 'also write every figure to this JSON file'],
};
const FLAGS = {
  'skip-cluster': ['BENCH_SKIP_CLUSTER', 'leave part 1 (replicas) out'],
  'skip-artifacts': ['BENCH_SKIP_ARTIFACTS', 'leave part 2 (artifacts) out'],
  keep: ['BENCH_KEEP', 'keep the temporary folder (server logs, stores)'],
};
const SMOKE = {
  replicas: '1,2',
  duration: '1',
  warmup: '0.3',
  rounds: '1',
  concurrency: '4',
  sizes: '1,20',
  files: '2',
  'artifact-rounds': '1',
};

const list = (s) =>
  String(s)
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
const nums = (s, what, integer = true) =>
  list(s).map((x) => {
    const n = Number(x);
    if (!(n > 0) || (integer && !Number.isInteger(n))) throw new Error(`${what} must be positive ${integer ? 'integers' : 'numbers'}, got '${x}'`);
    return n;
  });

function parse() {
  const v = parseBenchOptions('bench/scale/run.sh', OPTS, FLAGS, SMOKE);
  const workloads = list(v.workloads);
  for (const w of workloads) if (!['predict', 'log-batch'].includes(w)) throw new Error(`--workloads: predict or log-batch, got '${w}'`);
  return {
    ...v,
    workloads,
    replicas: nums(v.replicas, '--replicas'),
    concurrency: nums(v.concurrency, '--concurrency')[0],
    duration: nums(v.duration, '--duration', false)[0],
    warmup: nums(v.warmup, '--warmup', false)[0],
    rounds: nums(v.rounds, '--rounds')[0],
    metrics: nums(v.metrics, '--metrics')[0],
    inferenceWorkers: nums(v['inference-workers'], '--inference-workers')[0],
    clientCpu: v['client-cpu'],
    sizes: nums(v.sizes, '--sizes', false),
    files: nums(v.files, '--files')[0],
    artifactRounds: nums(v['artifact-rounds'], '--artifact-rounds')[0],
  };
}

async function main() {
  const a = parse();
  const tmp = mkdtempSync(join(tmpdir(), 'ferry-bench-scale-'));
  // Ctrl-C ends the process through 'exit' (below), skipping the finally: the folder goes there too.
  const dropTmp = () => a.keep || rmSync(tmp, { recursive: true, force: true });
  process.once('exit', dropTmp);
  const smoke = a.smoke ? smokeChecks('scale') : null;
  const figures = { options: a, machine: { cpus: cpus().length, model: cpus()[0]?.model, loadavgBefore: loadavg() }, date: new Date().toISOString() };
  console.log(
    `scale benchmark, ${figures.date}: ${cpus().length} CPUs (${cpus()[0]?.model}), load average ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}, Node ${process.version}`,
  );
  const left = [];
  try {
    const noLb = whyNoHaproxy();
    if (a['skip-cluster']) left.push('part 1 left out (--skip-cluster)');
    else if (noLb) {
      console.log(`\nPart 1 (replicas) left out: ${noLb}`);
      left.push(`part 1 left out: ${noLb}`);
    } else {
      const cluster = await startCluster(a, tmp);
      try {
        figures.cluster = { points: await clusterRounds(cluster, a) };
        figures.cluster.summary = printCluster(figures.cluster.points, a, cluster, smoke);
      } finally {
        await cluster.stop();
      }
    }
    if (a['skip-artifacts']) left.push('part 2 left out (--skip-artifacts)');
    else {
      const noS3 = whyNoS3();
      if (noS3) left.push(`S3 left out: ${noS3}`);
      figures.artifacts = { rounds: await artifactRounds(a, tmp, noS3) };
      figures.artifacts.summary = printArtifacts(figures.artifacts.rounds, a, noS3, smoke);
    }
    figures.machine.loadavgAfter = loadavg();
    console.log(
      `\nload average at the end: ${loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')}`,
    );
    if (a.json) writeFileSync(a.json, JSON.stringify(figures, null, 2));
  } finally {
    process.off('exit', dropTmp);
    if (a.keep) log(`kept ${tmp}`);
    else dropTmp();
  }
  smoke?.finish(
    `replicas ${a.replicas.join(',')} × ${a.workloads.join(' + ')}; artifacts ${a.sizes.join(', ')} MiB${left.length ? `; ${left.join('; ')}` : ''}`,
  );
}

// Ctrl-C: exit through 'exit', whose handlers kill the servers, haproxy, versitygw and PostgreSQL.
for (const sig of ['SIGINT', 'SIGTERM']) process.once(sig, () => process.exit(130));

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
  if (process.argv.includes('--smoke') || process.env.BENCH_SMOKE) console.log('\nsmoke scale: FAILED');
});
