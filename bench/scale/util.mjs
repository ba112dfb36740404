// Small helpers shared by the scale benchmark's parts: free ports, statistics, formatting, a JSON HTTP call.
import { request } from 'node:http';
import { createServer } from 'node:net';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export const log = (msg) => process.stderr.write(`[bench ${new Date().toTimeString().slice(0, 8)}] ${msg}\n`);

/** A port nothing listens on now (loopback); the caller binds it soon after. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer().once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** The q-quantile (0..1), nearest-rank, of numbers already sorted ascending; NaN for none. */
export function quantileSorted(s, q) {
  if (s.length === 0) return NaN;
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}

/** The median; for an even count, the mean of the middle two. NaN for none. */
export function median(xs) {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** "1,234.5" for finite numbers, "-" otherwise. */
export function fmt(x, digits = 1) {
  return Number.isFinite(x) ? x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : '-';
}

/**
 * One JSON call (setup, checks; not the measured load): answers the parsed body, throws on a status other than 2xx.
 * A fresh connection each time, so that setup never holds sockets open on the load balancer.
 */
export function call(base, token, method, path, body) {
  const payload = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
  const headers = { authorization: `Bearer ${token}`, accept: 'application/json' };
  if (payload) {
    headers['content-length'] = String(payload.length);
    headers['content-type'] = Buffer.isBuffer(body) ? 'application/octet-stream' : 'application/json';
  }
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { method, headers, agent: false, signal: AbortSignal.timeout(60_000) }, (res) => {
      const parts = [];
      res.on('data', (c) => parts.push(c));
      res.on('end', () => {
        const text = Buffer.concat(parts).toString('utf8');
        const status = res.statusCode ?? 0;
        if (status < 200 || status > 299) return reject(new Error(`${method} ${path} -> ${status}: ${text.slice(0, 500)}`));
        try {
          resolve(text ? JSON.parse(text) : {});
        } catch {
          resolve(text);
        }
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/**
 * Stops a child process: SIGTERM, then SIGKILL after 5 s; also killed if this process exits first. Returns stop()
 * and whether it has exited.
 */
export function stopperOf(child) {
  let exited = false;
  const gone = new Promise((r) => child.once('exit', () => r((exited = true))));
  const killNow = () => child.kill('SIGKILL');
  process.once('exit', killNow);
  const stop = async () => {
    process.off('exit', killNow);
    if (!exited) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await gone;
      clearTimeout(timer);
    }
  };
  return { stop, exited: () => exited };
}
