// Sends the mix to the server: a closed loop (to find the maximum rate) or an open loop at a fixed rate (the soak).
// The open loop schedules calls by the clock, not by answers, so a slow server cannot slow the load down and hide
// its own latency (coordinated omission); calls it could not start because too many were in flight are counted.
import { Agent, request } from 'node:http';
import { buildCall, picker } from './mix.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** One call: resolves {status, ms, body?}; status 0 for a network error (never rejects). */
function send(agent, base, token, call, wantBody) {
  const payload = call.body === undefined ? null : Buffer.from(JSON.stringify(call.body));
  const headers = { authorization: `Bearer ${token}`, accept: call.path === '/' ? 'text/html' : 'application/json' };
  if (payload) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(payload.length);
  }
  const t0 = performance.now();
  return new Promise((resolve) => {
    const req = request(`${base}${call.path}`, { method: call.method, agent, headers }, (res) => {
      const parts = [];
      res.on('data', (d) => parts.push(d));
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        const text = wantBody || status >= 400 ? Buffer.concat(parts).toString('utf8') : '';
        resolve({ status, ms: performance.now() - t0, text });
      });
      res.on('error', (e) => resolve({ status: 0, ms: performance.now() - t0, text: String(e) }));
    });
    req.on('error', (e) => resolve({ status: 0, ms: performance.now() - t0, text: String(e) }));
    if (payload) req.write(payload);
    req.end();
  });
}

/**
 * What a run recorded: per kind, answers by status; per bucket (bucketMs of the run), every latency, all kinds
 * together and per kind; the first
 * few failures verbatim; prediction request ids (for feedback).
 */
export class Recorder {
  constructor(bucketMs) {
    this.bucketMs = bucketMs;
    this.t0 = performance.now();
    this.byKind = {};
    this.buckets = []; // index → number[] of latencies (ms)
    this.kindBuckets = {}; // kind → index → number[]: which kind of call grows slow
    this.failures = [];
    this.acked = { predict: 0, log_batch: 0, feedback: 0 };
  }
  record(kind, status, ms, text) {
    const k = (this.byKind[kind] ??= { calls: 0, ok: 0, c4xx: 0, c5xx: 0, network: 0 });
    k.calls++;
    if (status >= 200 && status < 300) {
      k.ok++;
      if (kind in this.acked) this.acked[kind]++;
    } else if (status >= 500) k.c5xx++;
    else if (status >= 400) k.c4xx++;
    else k.network++;
    if ((status < 200 || status >= 300) && this.failures.length < 10) this.failures.push(`${kind}: HTTP ${status} ${String(text).slice(0, 300)}`);
    const b = Math.floor((performance.now() - this.t0) / this.bucketMs);
    (this.buckets[b] ??= []).push(ms);
    ((this.kindBuckets[kind] ??= [])[b] ??= []).push(ms);
  }
  totals() {
    const t = { calls: 0, ok: 0, c4xx: 0, c5xx: 0, network: 0 };
    for (const k of Object.values(this.byKind)) for (const f of Object.keys(t)) t[f] += k[f];
    return t;
  }
}

/** Request ids of answered predictions, handed out for feedback only once they are `delayMs` old (logged by then). */
class FeedbackRing {
  constructor(delayMs) {
    this.delayMs = delayMs;
    this.items = [];
  }
  add(id) {
    this.items.push([performance.now(), id]);
    if (this.items.length > 50_000) this.items.splice(0, 25_000);
  }
  take() {
    const first = this.items[0];
    if (!first || performance.now() - first[0] < this.delayMs) return null;
    this.items.shift();
    return first[1];
  }
}

function makeCtx(setup, ring) {
  return { runIds: setup.runIds, experimentId: setup.experimentId, feedbackId: () => ring.take() };
}

async function one(agent, setup, call, rec, ring) {
  const r = await send(agent, setup.url, setup.token, call, call.kind === 'predict');
  rec.record(call.kind, r.status, r.ms, r.text);
  if (call.kind === 'predict' && r.status === 200) {
    try {
      ring.add(JSON.parse(r.text).request_id);
    } catch {
      /* counted as answered; no id to give feedback for */
    }
  }
}

/** The closed loop: `concurrency` calls in flight for `seconds`; answers the completed calls per second. */
export async function closedLoop(setup, concurrency, seconds) {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const rec = new Recorder(1000);
  const ring = new FeedbackRing(3000);
  const next = picker();
  const ctx = makeCtx(setup, ring);
  let n = 0;
  const end = performance.now() + seconds * 1000;
  const loop = async () => {
    while (performance.now() < end) await one(agent, setup, buildCall(next(), n++, ctx), rec, ring);
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, loop));
  agent.destroy();
  const t = rec.totals();
  return { rate: t.calls / ((performance.now() - started) / 1000), rec };
}

/**
 * The open loop: `rate` calls per second for `seconds`, at most `maxInFlight` outstanding (past that a due call is
 * skipped and counted: the server is not keeping up).
 */
export async function openLoop(setup, { rate, seconds, bucketMs, maxInFlight = 512 }) {
  // Idle sockets are closed by this side after 4 s, before any server's keep-alive timeout (Node's default is 5 s):
  // a socket the server closes just as a call is sent on it fails that call with ECONNRESET, a client-side race
  // that the open loop's bursts (many sockets opened, then idle) would otherwise count as the server's error.
  const agent = new Agent({ keepAlive: true, maxSockets: maxInFlight, timeout: 4_000 });
  const rec = new Recorder(bucketMs);
  const ring = new FeedbackRing(5000);
  const next = picker();
  const ctx = makeCtx(setup, ring);
  let sent = 0;
  let inFlight = 0;
  let skipped = 0;
  const pending = new Set();
  const start = performance.now();
  for (;;) {
    const elapsed = (performance.now() - start) / 1000;
    if (elapsed >= seconds) break;
    const due = Math.floor(elapsed * rate);
    while (sent < due) {
      const n = sent++;
      if (inFlight >= maxInFlight) {
        skipped++;
        continue;
      }
      inFlight++;
      const p = one(agent, setup, buildCall(next(), n, ctx), rec, ring).finally(() => {
        inFlight--;
        pending.delete(p);
      });
      pending.add(p);
    }
    await sleep(5);
  }
  await Promise.all(pending);
  agent.destroy();
  return { rec, sent, skipped };
}
