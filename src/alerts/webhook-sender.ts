/**
 * Delivers one JSON body to a vetted URL: POST over http(s), connecting only to the addresses the destination
 * guard checked (a pinned `lookup`, so DNS cannot rebind between check and connect), redirects not followed
 * (a 3xx is a failure), a connect/idle timeout and a total timeout, and bounded retries with exponential
 * backoff and jitter on network errors, 429 and 5xx (never on other 4xx). Errors name the host, never the
 * full URL (Slack-style URLs carry a secret in their path).
 */
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import type { VettedUrl } from './destinations.js';

export interface SendOptions {
  /** No connection (or no bytes) for this long ends the attempt. Default 5 s. */
  connectTimeoutMs: number;
  /** One attempt, start to end of response, at most this long. Default 10 s. */
  totalTimeoutMs: number;
  /** Attempts in all (first + retries). Default 4. */
  maxAttempts: number;
  /** Backoff before retry n is base·2^(n-1), capped at maxDelayMs, with jitter (a random ½ to 1 of it). */
  baseDelayMs: number;
  maxDelayMs: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export const DEFAULT_SEND_OPTIONS: SendOptions = { connectTimeoutMs: 5000, totalTimeoutMs: 10_000, maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 8000 };

export interface Delivery {
  ok: boolean;
  attempts: number;
  /** The last HTTP status seen, if any. */
  status?: number;
  error?: string;
}

interface AttemptResult {
  status?: number;
  error?: string;
  retry: boolean;
}

const MAX_RESPONSE_BYTES = 4096;

function pinnedLookup(addresses: VettedUrl['addresses']): LookupFunction {
  return ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options?.all)
      callback(
        null,
        addresses.map((a) => ({ address: a.address, family: a.family })),
      );
    else callback(null, addresses[0]!.address, addresses[0]!.family);
  }) as unknown as LookupFunction;
}

function attempt(target: VettedUrl, body: Buffer, headers: Record<string, string>, opts: SendOptions): Promise<AttemptResult> {
  const { url, host } = target;
  const lib = url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    let done = false;
    const finish = (r: AttemptResult) => {
      if (done) return;
      done = true;
      clearTimeout(total);
      resolve(r);
    };
    const req = lib.request({
      protocol: url.protocol,
      // The literal address for an IP host; a name otherwise (kept for Host and TLS SNI/certificate checks).
      hostname: isIP(host) ? target.addresses[0]!.address : host,
      port: url.port || undefined,
      path: `${url.pathname}${url.search}`,
      method: 'POST',
      headers: { ...headers, 'content-length': String(body.length) },
      lookup: pinnedLookup(target.addresses),
      agent: false,
      timeout: opts.connectTimeoutMs,
    });
    const total = setTimeout(() => req.destroy(new Error(`no answer within ${opts.totalTimeoutMs} ms`)), opts.totalTimeoutMs);
    req.on('timeout', () => req.destroy(new Error(`no connection or data within ${opts.connectTimeoutMs} ms`)));
    req.on('error', (err: NodeJS.ErrnoException) => finish({ error: `${host}: ${err.code ?? ''} ${err.message}`.replace(/\s+/g, ' ').trim(), retry: true }));
    req.on('response', (res) => {
      const status = res.statusCode ?? 0;
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (text.length < MAX_RESPONSE_BYTES) text += chunk.slice(0, MAX_RESPONSE_BYTES - text.length);
      });
      res.on('error', () => finish({ status, error: `${host}: response interrupted`, retry: true }));
      res.on('end', () => {
        if (status >= 200 && status < 300) return finish({ status, retry: false });
        const snippet = text.trim().slice(0, 200);
        if (status >= 300 && status < 400) {
          const where = (() => {
            try {
              return new URL(res.headers.location ?? '', url).host;
            } catch {
              return 'elsewhere';
            }
          })();
          return finish({ status, error: `${host}: HTTP ${status} redirect to ${where} not followed`, retry: false });
        }
        finish({ status, error: `${host}: HTTP ${status}${snippet ? ` ${snippet}` : ''}`, retry: status === 429 || status >= 500 });
      });
    });
    req.end(body);
  });
}

/** Sends with retries. `headersFor(attempt)` is called per attempt (a fresh timestamp and signature each time). */
export async function deliver(
  target: VettedUrl,
  body: string,
  headersFor: (attempt: number) => Record<string, string>,
  opts: SendOptions = DEFAULT_SEND_OPTIONS,
): Promise<Delivery> {
  const bytes = Buffer.from(body, 'utf8');
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const random = opts.random ?? Math.random;
  let last: AttemptResult = { retry: false };
  for (let n = 1; n <= opts.maxAttempts; n++) {
    last = await attempt(target, bytes, headersFor(n), opts);
    if (!last.error) return { ok: true, attempts: n, status: last.status };
    if (!last.retry || n === opts.maxAttempts) return { ok: false, attempts: n, status: last.status, error: last.error };
    const cap = Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** (n - 1));
    await sleep(cap / 2 + (random() * cap) / 2);
  }
  return { ok: false, attempts: opts.maxAttempts, status: last.status, error: last.error };
}
