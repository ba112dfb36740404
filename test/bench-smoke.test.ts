/**
 * Every benchmark's smoke mode (`bench/<name>/run.sh --smoke`): tiny sizes, peers only where installed, the real code
 * paths end to end. Each run checks its own results (answers, agreement, finite ratios) and exits non-zero when the
 * benchmark is broken; here we assert the exit status and the result lines, never a timing.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
// A guard against a hung child, not a threshold: a smoke run takes seconds on an idle machine, far longer on a busy one.
const HANG_MS = 600_000;

interface Run {
  code: number | null;
  out: string;
}

/** Runs `bench/<name>/run.sh --smoke [...args]`; resolves with its exit code and its stdout + stderr. */
function smoke(name: string, ...args: string[]): Promise<Run> {
  return new Promise((done, fail) => {
    const p = spawn('bash', [join(ROOT, 'bench', name, 'run.sh'), '--smoke', ...args], { cwd: ROOT, env: { ...process.env, BENCH_SMOKE: '1' } });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (out += d));
    p.on('error', fail);
    p.on('close', (code) => done({ code, out }));
  });
}

function expectOk(r: Run, name: string, lines: RegExp[]): void {
  // The whole output on failure: the smoke run's own checks say what broke.
  expect(r.code, r.out).toBe(0);
  expect(r.out).toMatch(new RegExp(`^smoke ${name}: OK \\(\\d+ checks`, 'm'));
  for (const line of lines) expect(r.out).toMatch(line);
}

/** Why the tracking benchmark cannot run here (its client is mlflow's own), or null. */
function trackingMissing(): string | null {
  const py = join(ROOT, '.venv', 'bin', 'python');
  if (!existsSync(py)) return 'no .venv (scripts/test.sh creates it)';
  const r = spawnSync(py, ['-c', 'import importlib.util, sys; sys.exit(importlib.util.find_spec("mlflow") is None)']);
  return r.status === 0 ? null : 'no mlflow in .venv';
}
const noTracking = trackingMissing();

/** Why the A/B benchmark's peer cannot run here (pandas, pyarrow and gbstats in .venv), or null. */
function abtestPeerMissing(): string | null {
  const py = join(ROOT, '.venv', 'bin', 'python');
  if (!existsSync(py)) return 'no .venv (scripts/test.sh creates it)';
  const r = spawnSync(py, ['-c', 'import pandas, pyarrow, gbstats']);
  return r.status === 0 ? null : 'no pandas, pyarrow or gbstats in .venv';
}
const noAbtestPeer = abtestPeerMissing();

/** Why the explain benchmark cannot run here (it trains its model with scikit-learn and skl2onnx), or null. */
function explainMissing(): string | null {
  const py = join(ROOT, '.venv', 'bin', 'python');
  if (!existsSync(py)) return 'no .venv (scripts/test.sh creates it)';
  const r = spawnSync(py, ['-c', 'import sklearn, skl2onnx']);
  return r.status === 0 ? null : 'no scikit-learn or skl2onnx in .venv';
}
const noExplain = explainMissing();

/** Why the streams benchmark cannot run here (Kafka's jars and redis-server: scripts/stream-brokers.sh build), or null. */
function brokersMissing(): string | null {
  if (spawnSync(join(ROOT, 'scripts', 'stream-brokers.sh'), ['path']).status !== 0) return 'no Kafka jars (scripts/stream-brokers.sh build)';
  return spawnSync('sh', ['-c', 'command -v redis-server']).status === 0 ? null : 'no redis-server (scripts/stream-brokers.sh build)';
}
const noBrokers = brokersMissing();

beforeAll(() => {
  // scripts/test.sh builds first; a bare `vitest run` on a fresh checkout builds here.
  if (existsSync(join(ROOT, 'dist', 'main.js'))) return;
  const r = spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, encoding: 'utf8' });
  if (!existsSync(join(ROOT, 'dist', 'main.js'))) throw new Error(`npm run build failed:\n${r.stdout}${r.stderr}`);
}, HANG_MS);

// Concurrent: most of each run is waiting on child processes and servers starting.
describe.concurrent('benchmark smoke runs', () => {
  test(
    'drift: Ferry end to end and from stored profiles (Evidently where installed)',
    async () => {
      const r = await smoke('drift');
      expectOk(r, 'drift', [
        /^ {2}Ferry end to end\s+\d/m,
        /^ {2}Ferry compare-only \(stored profiles\)\s+\d/m,
        /^Verdicts per column/m,
        /^ {2}agreement: \d+ of 20 columns|^Evidently left out: not installed/m,
      ]);
    },
    HANG_MS,
  );

  test(
    'data: profileTable on a generated CSV (pandas and whylogs where installed)',
    async () => {
      const r = await smoke('data');
      expectOk(r, 'data', [/^ferry\s+\d+\.\d+/m, /^ferry-1thread\s+\d+\.\d+/m, /^=== targets ===/m, /^\[(MET|MISSED)\] memory bounded/m]);
    },
    HANG_MS,
  );

  test(
    'serving: records, v2 and v2 binary against raw onnxruntime',
    async () => {
      const r = await smoke('serving');
      expectOk(r, 'serving', [
        /check: Ferry records, 20 rows: 20\/20 labels match/,
        /check: Ferry v2 binary tensors, 20 rows: 20\/20 labels match/,
        /batch 1 via a worker thread \(Ferry's worker source/,
        /^Prediction logging \(monitoring on/m,
        /^Targets \(from the issue\)/m,
        // The peers run where bench/serving/.venv-peers exists; otherwise the run names each one it left out.
        /^MLServer left out|check: MLServer \(V2, mlserver-sklearn\), the 20 rows one by one: 20\/20 labels match/m,
        /^BentoML left out|check: BentoML \(batchable API\), the 20 rows one by one: 20\/20 labels match/m,
        /CPU µs\/req/,
      ]);
    },
    HANG_MS,
  );

  test(
    'jobs: the queue on SQLite and PostgreSQL (repo layer, worker path with a no-op executor), Ferry over a real Ray head where ray is installed',
    async () => {
      const r = await smoke('jobs');
      // The Ray part runs only where .venv has ray[default]; otherwise the run says it left it out, and why.
      expectOk(r, 'jobs', [
        /^ {2}sqlite\s+[\d,]+\s+1\s+[\d,]+/m,
        /^ {2}postgres\s+[\d,]+\s+1\s+[\d,]+/m,
        /^Worker path[^]*^ {2}sqlite\s+100\s+[\d,]+\s+[\d,]+/m,
        /^ {2}Ray directly \(working_dir \w+\)\s+\d+|^Part 2 \(Ferry over Ray\) left out: /m,
        /^\[(MET|MISSED)\] claim\/complete throughput on SQLite/m,
      ]);
    },
    HANG_MS,
  );

  test(
    'scale: predictions and log_batch through haproxy with 1 and 2 replicas on PostgreSQL; artifacts local, on S3 where versitygw is built',
    async () => {
      const r = await smoke('scale');
      // Part 1 needs haproxy, the S3 sides versitygw; without them the run says what it left out, and why.
      expectOk(r, 'scale', [
        /^predictions \(records, 1 row\)[^]*?^ {2}2\s+[\d,]+\s+[\d.]+|^Part 1 \(replicas\) left out: /m,
        /^log_batch \(\d+ metrics\)[^]*?^ {2}2\s+[\d,]+\s+[\d.]+|^Part 1 \(replicas\) left out: /m,
        /^ {2}1 MiB × 2\s+Ferry, local folder\s+[\d,]+/m,
        /^ {2}20 MiB × 1\s+Ferry, S3\s+[\d,]+|^S3 sides left out: /m,
      ]);
    },
    HANG_MS,
  );

  test.skipIf(noTracking !== null)(
    `tracking: Ferry vs Python MLflow vs mlflow-go on SQLite and PostgreSQL, 1 and 2 clients (peers where installed)${noTracking ? ` — SKIPPED: ${noTracking}` : ''}`,
    async () => {
      const r = await smoke('tracking');
      expectOk(r, 'tracking', [
        /^SQLite, 1 client process \(MlflowClient/m,
        /^PostgreSQL, 2 client processes \(MlflowClient/m,
        /^ {2}\[(MET|MISSED|N\/A)\] log_batch\(100\) calls\/s via MlflowClient, Ferry >= 10x Python MLflow \(PostgreSQL, 2 client\(s\)\)/m,
        /^ {2}\[(MET|MISSED|N\/A)\] search_runs p50 latency at 2 clients on PostgreSQL, Ferry <= mlflow-go/m,
      ]);
    },
    HANG_MS,
  );

  test.skipIf(noTracking !== null)(
    `tracking --classic: the earlier Ferry-vs-MLflow workload (MLflow's server where installed)${noTracking ? ` — SKIPPED: ${noTracking}` : ''}`,
    async () => {
      const r = await smoke('tracking', '--classic');
      expectOk(r, 'tracking', [/^Part 1: 10 runs/m, /search hits: Ferry 2, MLflow (2|-), expected 2$/m, /Ferry returned 12 runs \(expected 12\)/]);
    },
    HANG_MS,
  );

  test.skipIf(noExplain !== null)(
    `explain: TreeSHAP on an ONNX GBDT against shap's interventional TreeExplainer where installed${noExplain ? ` — SKIPPED: ${noExplain}` : ''}`,
    async () => {
      const r = await smoke('explain');
      expectOk(r, 'explain', [
        /^ {2}Ferry treeShapInterventional \(auto\)\s+[\d,]+/m,
        /^check: Ferry = shap within \S+ of max \|φ\| \(400 values\)|^shap left out: not installed/m,
      ]);
    },
    HANG_MS,
  );

  test.skipIf(noBrokers !== null)(
    `streams: rows/s through Kafka and Redis Streams bindings against HTTP, on real brokers${noBrokers ? ` — SKIPPED: ${noBrokers}` : ''}`,
    async () => {
      const r = await smoke('streams');
      expectOk(r, 'streams', [
        /^ {4}kafka\s+[\d,]+ \(1 round\)/m,
        /^ {4}redis\s+[\d,]+ \(1 round\)/m,
        // One round claims nothing: a target met shows [N/A] (met on fewer than 5 rounds).
        /^ {2}\[(MET|MISSED|N\/A)\]\s+Kafka >= 80% of HTTP rows\/s, 32-row/m,
      ]);
    },
    HANG_MS,
  );

  test.skipIf(noAbtestPeer !== null)(
    `abtest: the A/B report over HTTP against pandas + gbstats on the same data${noAbtestPeer ? ` — SKIPPED: ${noAbtestPeer}` : ''}`,
    async () => {
      const r = await smoke('abtest');
      expectOk(r, 'abtest', [
        /^ {2}Ferry \(GET …\/report on a ferry server\)\s+[\d.]+ s\s+[\d,]+ MB/m,
        /^ {2}pandas \+ gbstats \(Parquet → report\)\s+[\d.]+ s\s+[\d,]+ MB/m,
        /check: Ferry's report = gbstats on pandas: (\d+) of \1 figures agree within 0\.000001/,
        /^\[(MET|MISSED)\] ≥ 10× faster than pandas \+ gbstats/m,
        /^\[(MET|MISSED)\] peak memory ≤ 1\/5 of pandas \+ gbstats/m,
      ]);
    },
    HANG_MS,
  );
});
