// What the soak watches on the server while it runs: resident memory (from /proc, the whole process with its worker
// threads), the V8 heap in use and the prediction log's counters (from /metrics), and CPU time.
import { readFileSync } from 'node:fs';
import { DEPLOYMENT } from './mix.mjs';

const TICKS = 100; // USER_HZ on Linux

/** The process's resident set in bytes and its CPU seconds (user + system), from /proc. */
export function procStats(pid) {
  const rss = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) * 1024;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { rss, cpuS: (Number(f[11]) + Number(f[12])) / TICKS };
}

/** One value of a Prometheus text exposition: the sample named `name` whose labels include every one in `labels`. */
export function metricValue(text, name, labels = {}) {
  let sum = 0;
  let found = false;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name) || (line[name.length] !== '{' && line[name.length] !== ' ')) continue;
    const want = Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`));
    if (!want) continue;
    sum += Number(line.slice(line.lastIndexOf(' ') + 1));
    found = true;
  }
  return found ? sum : NaN;
}

/** The prediction log's rows for the soak deployment by outcome, the rows still queued, and the heap in use. */
export async function serverMetrics(url, token) {
  const res = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(30_000) });
  if (res.status !== 200) throw new Error(`/metrics answered ${res.status}`);
  const text = await res.text();
  const rows = (outcome) => metricValue(text, 'ferry_prediction_log_rows_total', { deployment: DEPLOYMENT, outcome });
  return {
    heapUsed: metricValue(text, 'ferry_nodejs_heap_size_used_bytes'),
    stored: rows('stored') || 0,
    sampledOut: rows('sampled_out') || 0,
    dropped: rows('dropped') || 0,
    writeFailed: rows('write_failed') || 0,
    queued: metricValue(text, 'ferry_prediction_log_queue_rows'),
  };
}

/** Samples every `everyMs` until stopped: [{t (s since start), rss, heapUsed, cpuS, ...}]. */
export function startSampling(server, everyMs) {
  const samples = [];
  const t0 = performance.now();
  let busy = false;
  const take = async () => {
    if (busy) return;
    busy = true;
    try {
      const m = await serverMetrics(server.url, server.token);
      samples.push({ t: (performance.now() - t0) / 1000, ...procStats(server.pid), ...m });
    } catch (e) {
      samples.push({ t: (performance.now() - t0) / 1000, error: String(e) });
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(take, everyMs);
  return {
    samples,
    stop: () => clearInterval(timer),
  };
}
