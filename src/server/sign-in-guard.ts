/**
 * The security hook's side of sign-in rate limiting: who an Authorization header claims to be (the basic-auth
 * username; a bearer token names no one), the limiter's verdict before the credential is checked, and the metrics
 * ferry_auth_failures_total{reason} and ferry_auth_rate_limited_total{scope}.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Counter, type Registry } from 'prom-client';
import type { SignInLimiter, SignInLock } from '../auth/index.js';
import { send } from './error-handler.js';

export type AuthFailureReason = 'bad_token' | 'bad_password' | 'malformed';

export interface SignInGuard {
  /** The lock that holds this caller (its address, or its basic-auth username), or null. */
  lock(req: FastifyRequest, header: string): SignInLock | null;
  /** Answers 429 with Retry-After for this lock. */
  refuse(req: FastifyRequest, reply: FastifyReply, lock: SignInLock): FastifyReply;
  failed(req: FastifyRequest, header: string): void;
  /** A user signed in with their own password: their username's failures are cleared. */
  succeeded(username: string): void;
}

/** The username of a basic-auth header, or undefined (a bearer token, or a header that is not basic auth). */
export function basicUsername(header: string): string | undefined {
  if (header.slice(0, 6).toLowerCase() !== 'basic ') return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  return i < 0 ? undefined : decoded.slice(0, i);
}

/**
 * The address a failure counts against. An IPv6 caller counts by its /64: that is one subscriber's (or one host's)
 * prefix, and it holds 2^64 addresses, so counting each would let one caller guess without end. An IPv4-mapped
 * address (::ffff:a.b.c.d, what a dual-stack socket reports) is its IPv4 address.
 */
export function addressKey(ip: string): string {
  if (!ip.includes(':')) return ip;
  const addr = ip.toLowerCase().split('%', 1)[0]!;
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(addr);
  if (mapped) return mapped[1]!;
  const [head = '', tail] = addr.split('::', 2);
  const groups = (part: string) => (part === '' ? [] : part.split(':'));
  const front = groups(head);
  const back = tail === undefined ? [] : groups(tail);
  // An embedded IPv4 tail (::a.b.c.d forms) fills two groups.
  const backSize = back.reduce((n, g) => n + (g.includes('.') ? 2 : 1), 0);
  const all = tail === undefined ? front : [...front, ...Array<string>(Math.max(0, 8 - front.length - backSize)).fill('0'), ...back];
  const prefix = all.slice(0, 4).map((g) => (g.includes('.') ? g : (Number.parseInt(g, 16) || 0).toString(16)));
  return `${prefix.join(':')}::/64`;
}

function reasonOf(header: string): AuthFailureReason {
  const scheme = header.split(' ', 1)[0]!.toLowerCase();
  if (scheme === 'bearer') return 'bad_token';
  if (scheme === 'basic' && basicUsername(header) !== undefined) return 'bad_password';
  return 'malformed';
}

export function signInGuard(limiter: SignInLimiter, metrics?: Registry): SignInGuard {
  const failures = new Counter({
    name: 'ferry_auth_failures_total',
    help: 'Failed authentications (a token or password not accepted), by reason',
    labelNames: ['reason'],
    registers: metrics ? [metrics] : [],
  });
  const limited = new Counter({
    name: 'ferry_auth_rate_limited_total',
    help: 'Requests refused (429) because of too many failed sign-ins, by the limit that refused them',
    labelNames: ['scope'],
    registers: metrics ? [metrics] : [],
  });
  return {
    lock(req, header) {
      return limiter.check(addressKey(req.clientIp), basicUsername(header));
    },
    refuse(req, reply, lock) {
      limited.inc({ scope: lock.scope });
      reply.header('retry-after', String(lock.retryAfterSeconds));
      const who = lock.scope === 'address' ? 'from this address' : 'for this user';
      return send(req, reply, 'TOO_MANY_SIGN_IN_ATTEMPTS', `Too many failed sign-ins ${who}; try again in ${lock.retryAfterSeconds} s.`);
    },
    failed(req, header) {
      failures.inc({ reason: reasonOf(header) });
      limiter.failed(addressKey(req.clientIp), basicUsername(header));
    },
    succeeded(username) {
      limiter.succeeded(username);
    },
  };
}
