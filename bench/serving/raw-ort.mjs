// Raw onnxruntime-node, in-process: the floor Ferry's serving is compared with. Prints one JSON line.
//
//   node bench/serving/raw-ort.mjs [--seconds S] [--threads N] [--batch B]
//
// Same session options as Ferry's inference workers (intra-op threads 1 unless --threads, inter-op 1,
// graph optimisation "all"); one session, one call at a time, on this thread. Each call builds its
// ort.Tensor feeds from typed arrays made beforehand (what any in-process caller has to do too).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { fixture, percentile, rowsToColumns } from './common.mjs';

const require = createRequire(import.meta.url);
const ort = require('onnxruntime-node');

function arg(name, dflt) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
}
const seconds = Number(arg('seconds', process.env.BENCH_RAW_SECONDS ?? 3));
const threads = Number(arg('threads', process.env.BENCH_RAW_THREADS ?? 1));
const bigBatch = Number(arg('batch', process.env.BENCH_RAW_BATCH ?? 256));

const { modelPath, records, expected } = fixture();
const session = await ort.InferenceSession.create(modelPath, {
  intraOpNumThreads: threads,
  interOpNumThreads: 1,
  graphOptimizationLevel: 'all',
});

/** Typed-array columns for `n` rows cycling through the fixture records, starting at record `start`. */
function columnsFor(n, start = 0) {
  const rows = Array.from({ length: n }, (_, i) => records[(start + i) % records.length]);
  return rowsToColumns(rows, session.inputNames);
}
function feedsOf(cols, n) {
  const feeds = {};
  for (const [name, c] of Object.entries(cols)) feeds[name] = new ort.Tensor(c.type, c.data, [n, 1]);
  return feeds;
}

// Correctness first: every fixture record, one at a time, must give the recorded ONNX label.
const oneRow = records.map((_, i) => columnsFor(1, i));
for (let i = 0; i < records.length; i++) {
  const out = await session.run(feedsOf(oneRow[i], 1));
  if (Number(out.label.data[0]) !== expected.label[i]) throw new Error(`raw ORT: record ${i} gives label ${out.label.data[0]}, expected ${expected.label[i]}`);
}

/** Runs `fn` back to back for `secs` seconds after a short warm-up; returns per-call latencies in µs. */
async function timeLoop(fn, secs) {
  const warmEnd = performance.now() + Math.min(500, secs * 200);
  for (let i = 0; performance.now() < warmEnd; i++) await fn(i);
  const lat = [];
  const end = performance.now() + secs * 1000;
  for (let i = 0; ; i++) {
    const t0 = performance.now();
    await fn(i);
    const t1 = performance.now();
    lat.push((t1 - t0) * 1000);
    if (t1 >= end) break;
  }
  return lat;
}

function summary(lat, rowsPerCall) {
  const totalUs = lat.reduce((a, b) => a + b, 0);
  const sorted = Float64Array.from(lat).sort();
  return {
    calls: lat.length,
    p50_us: percentile(sorted, 50),
    p99_us: percentile(sorted, 99),
    mean_us: totalUs / lat.length,
    calls_per_s: lat.length / (totalUs / 1e6),
    rows_per_s: (lat.length * rowsPerCall) / (totalUs / 1e6),
  };
}

const b1 = summary(await timeLoop((i) => session.run(feedsOf(oneRow[i % oneRow.length], 1)), seconds), 1);
const big = columnsFor(bigBatch);
const bN = summary(await timeLoop(() => session.run(feedsOf(big, bigBatch)), seconds), bigBatch);
await session.release();

/**
 * Diagnostic: batch 1 through one worker thread running Ferry's own inference-worker source (from its serving
 * entry point, loaded only now so the raw figures above run without it), with the same messages its session pool
 * sends: the cost of the thread hop alone, without HTTP.
 */
async function viaWorker() {
  let src;
  try {
    ({ ORT_WORKER_SOURCE: src } = await import('ferry/serving'));
  } catch (err) {
    if (err?.code !== 'ERR_MODULE_NOT_FOUND') throw err;
    return null; // Ferry not built
  }
  const worker = new Worker(src, { eval: true, workerData: { ortPath: require.resolve('onnxruntime-node') } });
  const pending = new Map();
  let ready;
  const isReady = new Promise((r) => (ready = r));
  worker.on('message', (m) => (m.kind === 'ready' ? ready() : pending.get(m.id)?.(m)));
  const bytes = readFileSync(modelPath);
  worker.postMessage({
    kind: 'init',
    model: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length),
    options: { intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: 'all' },
  });
  await isReady;
  let id = 0;
  const run = (i) =>
    new Promise((resolveRun) => {
      const feeds = {};
      for (const [name, c] of Object.entries(oneRow[i % oneRow.length]))
        feeds[name] = { type: c.type, dims: [1, 1], data: c.type === 'string' ? [...c.data] : c.data.slice() };
      pending.set(++id, resolveRun);
      worker.postMessage({ kind: 'run', id, feeds, fetches: ['label', 'probabilities'] });
    });
  const res = summary(await timeLoop(run, seconds), 1);
  await worker.terminate();
  return res;
}
const worker1 = await viaWorker();
process.stdout.write(
  `${JSON.stringify({ ort_version: require('onnxruntime-node/package.json').version, threads, batch1: b1, batchN: { batch: bigBatch, ...bN }, worker_batch1: worker1 })}\n`,
);
