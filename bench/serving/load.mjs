// A small closed-loop HTTP/1.1 load generator on raw keep-alive sockets (no dependency), run as its own
// process so it does not share an event loop with the benchmark or the server. Prints one JSON line.
//
//   node bench/serving/load.mjs SPEC.json
//
// SPEC: {url, method, headers, bodies: [string | {headers, base64}, ..], concurrency, warmup_s, duration_s}. Each of the
// `concurrency` connections keeps exactly one request in flight and cycles through `bodies` (request bytes
// are built once, before the clock starts). A response completing inside the measured window counts: its
// latency is from writing the request (or from connecting, when the server closed the previous connection)
// to the last byte of the response. Non-2xx answers and broken connections count as errors. Besides the
// final JSON line it prints {"mark":"start"} and {"mark":"end"} when the measured window opens and closes.
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { percentile } from './common.mjs';

const spec = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const url = new URL(spec.url);
const port = Number(url.port);
const host = url.hostname;

/** A body is a JSON string, or {headers, base64} for binary bodies with their own headers. */
function requestBytes(body) {
  const head = [`${spec.method ?? 'POST'} ${url.pathname}${url.search} HTTP/1.1`, `Host: ${url.host}`, 'Connection: keep-alive'];
  for (const [k, v] of Object.entries(spec.headers ?? {})) head.push(`${k}: ${v}`);
  if (body === null) return Buffer.from(`${head.join('\r\n')}\r\n\r\n`);
  const bytes = typeof body === 'string' ? Buffer.from(body) : Buffer.from(body.base64, 'base64');
  const headers = typeof body === 'string' ? { 'Content-Type': 'application/json' } : body.headers;
  for (const [k, v] of Object.entries(headers)) head.push(`${k}: ${v}`);
  head.push(`Content-Length: ${bytes.length}`);
  return Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`), bytes]);
}
const requests = (spec.bodies?.length ? spec.bodies : [null]).map(requestBytes);

const CRLF2 = Buffer.from('\r\n\r\n');
const t0 = performance.now();
const warmEnd = t0 + spec.warmup_s * 1000;
const end = warmEnd + spec.duration_s * 1000;
const lat = [];
let ok = 0;
let errors = 0;
let reconnects = 0;
let firstError = null;
let stopping = false;

/**
 * Parses one complete response from `buf` (Content-Length or chunked); returns null while incomplete,
 * else {status, length (bytes consumed), close, body}.
 */
function parse(buf) {
  const he = buf.indexOf(CRLF2);
  if (he < 0) return null;
  const head = buf.toString('latin1', 0, he).toLowerCase();
  const status = Number(head.slice(9, 12));
  const close = /\r\nconnection: *close/.test(head);
  const cl = /\r\ncontent-length: *(\d+)/.exec(head);
  let start = he + 4;
  if (cl) {
    const total = start + Number(cl[1]);
    return buf.length < total ? null : { status, length: total, close, body: buf.subarray(start, total) };
  }
  if (!/\r\ntransfer-encoding: *chunked/.test(head)) return { status, length: start, close: true, body: Buffer.alloc(0) };
  const parts = [];
  for (;;) {
    const le = buf.indexOf('\r\n', start);
    if (le < 0) return null;
    const size = parseInt(buf.toString('latin1', start, le), 16);
    if (buf.length < le + 2 + size + 2) return null;
    if (size === 0) return { status, length: le + 4, close, body: Buffer.concat(parts) };
    parts.push(buf.subarray(le + 2, le + 2 + size));
    start = le + 2 + size + 2;
  }
}

function connection(index) {
  let socket = null;
  let buf = null;
  let sentAt = 0;
  let n = index;
  let done;
  const finished = new Promise((r) => (done = r));
  const over = () => stopping || performance.now() >= end;

  function open() {
    sentAt = performance.now(); // a reconnect is part of the request's latency
    buf = null;
    const s = net.connect({ host, port, noDelay: true });
    socket = s;
    s.on('connect', () => send(false));
    s.on('data', onData);
    s.on('error', (err) => s === socket && fail(`socket: ${err.message}`));
    s.on('close', () => s === socket && fail('connection closed by the server mid-request'));
  }
  function retire() {
    const s = socket;
    socket = null;
    if (!s) return;
    s.removeAllListeners();
    s.on('error', () => {});
    s.destroy();
  }
  function send(stamp = true) {
    if (over()) return stop();
    if (stamp) sentAt = performance.now();
    socket.write(requests[n++ % requests.length]);
  }
  function counts() {
    const now = performance.now();
    return now >= warmEnd && now < end;
  }
  function onData(chunk) {
    buf = buf ? Buffer.concat([buf, chunk]) : chunk;
    const res = parse(buf);
    if (!res) return;
    buf = res.length < buf.length ? buf.subarray(res.length) : null;
    if (counts()) {
      if (res.status >= 200 && res.status < 300) {
        ok++;
        lat.push((performance.now() - sentAt) * 1000);
      } else {
        errors++;
        firstError ??= `HTTP ${res.status}: ${res.body.toString('utf8', 0, Math.min(300, res.body.length))}`;
      }
    }
    if (res.close) {
      reconnects++;
      retire();
      return over() ? stop() : open();
    }
    send();
  }
  function fail(msg) {
    if (counts()) errors++;
    firstError ??= msg;
    retire();
    if (over()) return stop();
    setTimeout(open, 10);
  }
  function stop() {
    retire();
    done();
  }
  open();
  return finished;
}

// Marks for the caller, which samples the server's CPU time at the edges of the measured window.
// The end mark is also written by finish() when the last answer came in before its timer ran (a poll phase can end
// every connection and exit before the timers phase), so the caller always gets both edges.
let endMarked = false;
const markEnd = () => {
  if (!endMarked) process.stdout.write('{"mark":"end"}\n');
  endMarked = true;
};
setTimeout(() => process.stdout.write('{"mark":"start"}\n'), warmEnd - performance.now());
setTimeout(markEnd, end - performance.now());
let cpu0 = process.cpuUsage();
setTimeout(() => (cpu0 = process.cpuUsage()), warmEnd - performance.now());
const conns = Array.from({ length: spec.concurrency }, (_, i) => connection(i));
// A connection stuck on a request that never answers must not hang the benchmark.
const guard = setTimeout(
  () => {
    stopping = true;
    firstError ??= 'some requests were still unanswered 10 s after the end';
    finish();
  },
  (spec.warmup_s + spec.duration_s + 10) * 1000,
);
await Promise.all(conns);
clearTimeout(guard);
finish();

function finish() {
  markEnd();
  const cpu = process.cpuUsage(cpu0);
  const sorted = Float64Array.from(lat).sort();
  process.stdout.write(
    `${JSON.stringify({
      concurrency: spec.concurrency,
      duration_s: spec.duration_s,
      ok,
      errors,
      reconnects,
      first_error: firstError,
      rps: ok / spec.duration_s,
      p50_us: percentile(sorted, 50),
      p99_us: percentile(sorted, 99),
      mean_us: lat.length ? lat.reduce((a, b) => a + b, 0) / lat.length : null,
      client_cpu_s: (cpu.user + cpu.system) / 1e6,
    })}\n`,
  );
  process.exit(0);
}
