// Streams benchmark (issue 22): rows/s end to end through a stream binding — messages produced to the input, scored
// by Ferry (prediction log on), results consumed from the output — for Kafka and Redis Streams, at 1-row and 32-row
// messages, against the same model over HTTP (records, the same concurrency) in the same run. Rounds alternate the
// three paths; each figure is the median over the rounds with its spread. Target: Kafka >= 80% of HTTP's rows/s.
//
//   bench/streams/run.sh [--rounds 5] [--messages 20000] [--concurrency 64] [--smoke]
//
// The brokers (started by run.sh) and the clients run on the load cores, Ferry on the server cores (bench/lib).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { cpuPlan, judge, summarize, withSpread } from '../lib/index.mjs';
import { isSmoke, parseBenchOptions, smokeChecks } from '../options.mjs';
import { fixture, recordsBody, rowsFrom } from '../serving/common.mjs';
import { child, log } from '../serving/points.mjs';
import { deployOnFerry, FERRY_TOKEN, startFerry, stop, usePlan } from '../serving/servers.mjs';

const OPTS = {
  rounds: ['BENCH_ROUNDS', 5, 'alternated rounds (targets need >= 5)'],
  messages: ['BENCH_MESSAGES', 20000, 'messages per stream measurement of 1-row messages (32-row ones: a quarter)'],
  concurrency: ['BENCH_CONCURRENCY', 64, "the binding's concurrency and the HTTP load's connections"],
  seconds: ['BENCH_SECONDS', 5, 'seconds of HTTP load per measurement'],
  pin: ['BENCH_PIN', 'auto', 'core pinning: auto, off, or LOAD:SERVER CPU lists'],
  kafka: ['BENCH_KAFKA', '', 'Kafka bootstrap host:port (run.sh starts one)'],
  redis: ['BENCH_REDIS', '', 'redis:// URL (run.sh starts one)'],
};
const SMOKE = { rounds: 1, messages: 400, seconds: 0.5 };
const a = parseBenchOptions('bench/streams/run.sh', OPTS, {}, SMOKE);
for (const k of ['rounds', 'messages', 'concurrency', 'seconds']) a[k] = Number(a[k]);
const smoke = isSmoke();
const plan = cpuPlan(a.pin);
usePlan(plan);
// This process (the Kafka and Redis clients) and the HTTP load it starts run on the load cores, like the brokers.
if (plan.pinned) spawnSync('taskset', ['-a', '-p', '-c', plan.load, String(process.pid)], { stdio: 'ignore' });
const ROWS = [1, 32];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const tmp = mkdtempSync(join(tmpdir(), 'ferry-bench-streams-'));
const fx = fixture();
const srv = await startFerry(tmp, { workers: 2, logLevel: 'warn' });
const api = async (method, path, body) => {
  const res = await fetch(`${srv.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${FERRY_TOKEN}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} -> ${res.status}: ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : {};
};

/** A message of `rows` rows (MLflow's instances form), cycling through the fixture's 20 recorded rows. */
const message = (i, rows) => (rows === 1 ? JSON.stringify(fx.records[i % fx.records.length]) : recordsBody(rowsFrom(fx.records, rows, i)));

// ------------------------------------------------------------------------------------------------ the paths

async function httpPoint(rows) {
  const bodies = Array.from({ length: 20 }, (_, i) => recordsBody(rowsFrom(fx.records, rows, i)));
  const spec = join(tmp, `http-${rows}.json`);
  writeFileSync(
    spec,
    JSON.stringify({
      url: `${srv.url}/api/v1/deployments/credit/predict`,
      headers: { Authorization: `Bearer ${FERRY_TOKEN}` },
      bodies,
      concurrency: a.concurrency,
      warmup_s: smoke ? 0.2 : 1,
      duration_s: a.seconds,
    }),
  );
  const r = await child(process.execPath, [join(import.meta.dirname, '..', 'serving', 'load.mjs'), spec]);
  if (r.errors > 0) throw new Error(`HTTP load: ${r.errors} errors (${r.first_error})`);
  return r.rps * rows;
}

/** One stream path: a binding per rows size, fed `n` messages while its output is read; rows/s end to end. */
function streamPath(kind, client) {
  const bound = new Set();
  return async (rows, n) => {
    const input = `in-${rows}`;
    const output = `out-${rows}`;
    if (!bound.has(rows)) {
      await client.prepare(input, output);
      await api('POST', '/api/v1/deployments/credit/streams', {
        name: `${kind}-${rows}`,
        kind,
        url: client.url,
        input,
        output,
        batch_size: rows === 1 ? 200 : 20,
        concurrency: a.concurrency,
        max_wait_ms: 20,
      });
      // Warm: the consumer joins its group and scores a first wave.
      const warm = rows === 1 ? 500 : 50;
      const before = await client.count(output);
      await client.produce(
        input,
        Array.from({ length: warm }, (_, i) => message(i, rows)),
      );
      await client.waitFor(output, before + warm);
      bound.add(rows);
    }
    const before = await client.count(output);
    const producing = client.produce(
      input,
      Array.from({ length: n }, (_, i) => message(i, rows)),
    );
    // The steady rate: from the 10th to the 90th percent of the results, as the HTTP load measures after its
    // warm-up — the first fetch and the last stragglers are not throughput.
    const from = Math.floor(n * 0.1);
    const to = Math.ceil(n * 0.9);
    await client.waitFor(output, before + from);
    const t0 = performance.now();
    await client.waitFor(output, before + to);
    const seconds = (performance.now() - t0) / 1000;
    await client.waitFor(output, before + n);
    await producing;
    return ((to - from) * rows) / seconds;
  };
}

async function kafkaClient(bootstrap) {
  const kafka = new Kafka({ clientId: 'ferry-bench', brokers: [bootstrap], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const producer = kafka.producer();
  await producer.connect();
  const counts = new Map();
  const readers = [];
  return {
    url: bootstrap,
    async prepare(input, output) {
      await admin.createTopics({ topics: [input, output].map((topic) => ({ topic, numPartitions: 4, replicationFactor: 1 })), waitForLeaders: true });
      const c = kafka.consumer({ groupId: `bench-reader-${output}` });
      await c.connect();
      await c.subscribe({ topics: [output], fromBeginning: true });
      counts.set(output, 0);
      await c.run({ eachBatch: async ({ batch }) => void counts.set(output, counts.get(output) + batch.messages.length) });
      readers.push(c);
    },
    async produce(topic, values) {
      for (let i = 0; i < values.length; i += 500)
        await producer.send({ topic, acks: 1, messages: values.slice(i, i + 500).map((value, j) => ({ key: `u${(i + j) % 997}`, value })) });
    },
    count: async (topic) => counts.get(topic) ?? 0,
    async waitFor(topic, n) {
      while ((counts.get(topic) ?? 0) < n) await sleep(5);
    },
    async close() {
      for (const c of readers) await c.disconnect();
      await producer.disconnect();
      await admin.disconnect();
    },
  };
}

async function redisClient(url) {
  const redis = new Redis(url, { protocol: 2 });
  return {
    url,
    async prepare() {},
    async produce(stream, values) {
      for (let i = 0; i < values.length; i += 500) {
        const p = redis.pipeline();
        for (const [j, v] of values.slice(i, i + 500).entries()) p.xadd(stream, '*', 'value', v, 'key', `u${(i + j) % 997}`);
        await p.exec();
      }
    },
    count: async (stream) => Number(await redis.xlen(stream)),
    async waitFor(stream, n) {
      while (Number(await redis.xlen(stream)) < n) await sleep(5);
    },
    async close() {
      redis.disconnect();
    },
  };
}

// ------------------------------------------------------------------------------------------------ the run

const results = { http: new Map(), kafka: new Map(), redis: new Map() };
let kafka = null;
let redis = null;
try {
  await deployOnFerry(srv, { modelPath: fx.modelPath, model: 'credit', deployment: 'credit', batching: { max_batch_size: 256, max_queue_delay_ms: 2 } });
  if (!a.kafka || !a.redis) throw new Error('bench/streams: --kafka and --redis name the brokers (run.sh starts them)');
  kafka = await kafkaClient(a.kafka);
  redis = await redisClient(a.redis);
  const paths = { http: (rows) => httpPoint(rows), kafka: streamPath('kafka', kafka), redis: streamPath('redis', redis) };
  log(
    `${plan.why}; ${a.rounds} round(s); ${a.messages} 1-row messages (${Math.round(a.messages / 4)} of 32 rows) per stream point, HTTP ${a.seconds} s per point`,
  );
  for (let round = 0; round < a.rounds; round++) {
    const order = round % 2 === 0 ? ['http', 'kafka', 'redis'] : ['redis', 'kafka', 'http'];
    for (const rows of ROWS)
      for (const p of order) {
        const n = rows === 1 ? a.messages : Math.max(10, Math.round(a.messages / 4));
        const v = await paths[p](rows, n);
        log(`round ${round + 1}/${a.rounds}: ${p}, ${rows}-row ${p === 'http' ? 'requests' : 'messages'}: ${Math.round(v).toLocaleString('en-US')} rows/s`);
        if (!results[p].has(rows)) results[p].set(rows, []);
        results[p].get(rows).push(v);
      }
  }
  const fmt = (v) => Math.round(v).toLocaleString('en-US');
  console.log(`\nStreams benchmark: credit_gbdt.onnx, prediction log on; ${plan.why}; concurrency ${a.concurrency}`);
  console.log('  rows/s end to end, median (min–max) over rounds');
  for (const rows of ROWS) {
    console.log(`  ${rows}-row:`);
    for (const p of ['http', 'kafka', 'redis']) console.log(`    ${p.padEnd(6)} ${withSpread(results[p].get(rows), fmt)}`);
  }
  console.log('\nTargets, judged on the median of per-round ratios; [MET] only with >= 5 rounds');
  for (const rows of ROWS) {
    const ratio = (p) => results[p].get(rows).map((v, i) => v / results.http.get(rows)[i]);
    const k = judge('', ratio('kafka'), { atLeast: 0.8 });
    console.log(
      `  ${k.verdict} Kafka >= 80% of HTTP rows/s, ${rows}-row: ${(k.value * 100).toFixed(0)}% (${withSpread(
        ratio('kafka').map((x) => x * 100),
        (x) => x.toFixed(0),
      )})${k.note}`,
    );
    const r = summarize(ratio('redis'));
    console.log(`           Redis Streams / HTTP rows/s, ${rows}-row: ${(r.median * 100).toFixed(0)}% (no target)`);
  }
  if (smoke) {
    const c = smokeChecks('streams');
    for (const p of ['http', 'kafka', 'redis'])
      for (const rows of ROWS)
        c.check(
          results[p].get(rows)?.every((v) => Number.isFinite(v) && v > 0),
          `${p}, ${rows}-row: a throughput measured`,
        );
    // Every message consumed was answered, none dead-lettered: the figures are of scored messages.
    for (const b of (await api('GET', '/api/v1/deployments/credit/streams')).streams) {
      const s = b.status;
      c.check(s.state === 'running', `${b.name}: running (${s.state}${s.reason ? `: ${s.reason}` : ''})`);
      c.check(s.messages_in > 0 && s.messages_out === s.messages_in, `${b.name}: ${s.messages_out} results for ${s.messages_in} messages`);
      c.check(s.dead_lettered === 0, `${b.name}: ${s.dead_lettered} dead-lettered`);
    }
    c.finish(`${a.rounds} round, ${a.messages} messages per point`);
  }
} finally {
  await kafka?.close().catch(() => {});
  await redis?.close().catch(() => {});
  await stop(srv);
  rmSync(tmp, { recursive: true, force: true });
}
