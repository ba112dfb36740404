// One HTTP helper for both sides of the Ray comparison, so the client costs the same on each. node:http, not
// fetch: Node's fetch sends Sec-Fetch-Mode, and Ray's dashboard refuses POSTs carrying Sec-Fetch-* headers.
import { Agent, request } from 'node:http';

const agent = new Agent({ keepAlive: true, maxSockets: 8 });

/** A call; answers { status, body } (parsed JSON when it is JSON, else text). `body`: an object (JSON) or a Buffer. */
export function call(method, url, body, headers = {}) {
  const u = new URL(url);
  const payload = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
  const h = { accept: 'application/json', ...headers };
  if (payload) {
    h['content-length'] = String(payload.length);
    h['content-type'] ??= Buffer.isBuffer(body) ? 'application/zip' : 'application/json';
  }
  return new Promise((resolve, reject) => {
    const req = request(u, { method, headers: h, agent, signal: AbortSignal.timeout(30_000) }, (res) => {
      const parts = [];
      res.on('data', (c) => parts.push(c));
      res.on('end', () => {
        const text = Buffer.concat(parts).toString('utf8');
        let parsed = text;
        try {
          parsed = JSON.parse(text);
        } catch {
          /* text */
        }
        resolve({ status: res.statusCode ?? 0, body: parsed });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** Throws unless the answer has status `want`. */
export async function expectStatus(p, want, what) {
  const r = await p;
  if (r.status !== want) throw new Error(`${what}: HTTP ${r.status} ${typeof r.body === 'string' ? r.body.slice(-500) : JSON.stringify(r.body).slice(0, 500)}`);
  return r.body;
}
