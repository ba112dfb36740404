// The load generator, in its own process (the benchmark may pin it to one core with taskset): a closed loop of
// `concurrency` requests in flight through one keep-alive node:http Agent, each loop sending the next request as
// soon as the last is answered. Driven over the IPC channel: {config} → warm-up → 'ready'; 'go' → the measured
// window → {result}. The parent reads the servers' CPU at 'ready'/'go' and at the result, so the window is the same.
import { Agent, request } from 'node:http';
import { quantileSorted } from './util.mjs';

const SERVED_BY = 'x-ferry-replica';

/** The request body of loop `i`'s `n`-th request. */
function bodies(c) {
  if (c.workload === 'predict') {
    const one = Buffer.from(JSON.stringify({ instances: [c.record] }));
    return () => one;
  }
  // log_batch: metrics m0..m(M-1) at a fresh step each time (a value per request, so no two rows are the same).
  return (i, n) => {
    const ts = Date.now();
    const metrics = [];
    for (let k = 0; k < c.metrics; k++) metrics.push({ key: `m${k}`, value: ((n * 31 + k) % 1000) / 7, step: n, timestamp: ts });
    return Buffer.from(JSON.stringify({ run_id: c.runIds[i % c.runIds.length], metrics }));
  };
}

async function run(c) {
  const agent = new Agent({ keepAlive: true, maxSockets: c.concurrency, maxFreeSockets: c.concurrency });
  const body = bodies(c);
  const url = new URL(`${c.url}${c.path}`);
  const headers = { authorization: `Bearer ${c.token}`, 'content-type': 'application/json', accept: 'application/json' };
  let recording = false;
  let stopping = false;
  let lat = [];
  let errors = 0;
  let firstError = '';
  let servedBy = {};
  let seq = 0;

  const once = (i) =>
    new Promise((resolve) => {
      const payload = body(i, ++seq);
      const t0 = performance.now();
      const req = request(url, { method: 'POST', agent, headers: { ...headers, 'content-length': payload.length } }, (res) => {
        const parts = [];
        res.on('data', (d) => parts.push(d));
        res.on('end', () => {
          const ms = performance.now() - t0;
          if (recording) {
            if (res.statusCode === 200) {
              lat.push(ms);
              const by = res.headers[SERVED_BY] ?? '?';
              servedBy[by] = (servedBy[by] ?? 0) + 1;
            } else {
              errors++;
              firstError ||= `HTTP ${res.statusCode}: ${Buffer.concat(parts).toString('utf8').slice(0, 300)}`;
            }
          }
          resolve();
        });
      });
      req.on('error', (e) => {
        if (recording) {
          errors++;
          firstError ||= String(e);
        }
        resolve();
      });
      req.end(payload);
    });

  const loops = Array.from({ length: c.concurrency }, async (_, i) => {
    while (!stopping) await once(i);
  });
  // Warm-up: connections opened, JIT warm on both sides; nothing recorded.
  await new Promise((r) => setTimeout(r, c.warmupS * 1000));
  process.send({ type: 'ready' });
  await new Promise((r) => process.once('message', r));
  lat = [];
  errors = 0;
  servedBy = {};
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  recording = true;
  await new Promise((r) => setTimeout(r, c.durationS * 1000));
  recording = false;
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  process.send({ type: 'stopped' });
  stopping = true;
  await Promise.all(loops);
  agent.destroy();
  lat.sort((a, b) => a - b);
  return {
    requests: lat.length,
    errors,
    firstError,
    seconds,
    rps: lat.length / seconds,
    p50: quantileSorted(lat, 0.5),
    p99: quantileSorted(lat, 0.99),
    servedBy,
    clientCpuS: (cpu.user + cpu.system) / 1e6,
  };
}

process.once('message', (c) => {
  run(c).then(
    (r) => process.send({ type: 'result', result: r }, () => process.exit(0)),
    (e) => process.send({ type: 'error', error: String(e?.stack ?? e) }, () => process.exit(1)),
  );
});
