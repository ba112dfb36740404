/**
 * Request security applied to every route, in one onRequest hook so no route can forget it:
 * Host header check (DNS rebinding), authentication, role check; and an onResponse hook that writes
 * the audit log for every write and every artifact download. Only routes that say config.public skip auth.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Principal, Role } from '../api-route.js';
import { type AuditLog, type AuthService, type Credential, isExpired, looksLikeToken, roleAllows, scopeRefusal } from '../auth/index.js';
import type { Operation } from '../contract/index.js';
import { send } from './error-handler.js';
import { REQUEST_ID_HEADER } from './request-id.js';
import type { SignInGuard } from './sign-in-guard.js';

export interface RouteSecurity {
  public?: boolean;
  role?: Role;
  audit?: 'artifact-read' | 'none';
  /** The route's contract operation: its tokenScope says whether a deployment-scoped token may call it. */
  op?: Operation;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
    /** The caller's address, read as the request arrives (by the time the answer is sent the socket may be gone). */
    clientIp: string;
  }
}

export interface SecurityOptions {
  auth: AuthService;
  audit: AuditLog;
  insecureNoAuth: boolean;
  /** Host names (no port) the server answers to; '*' allows any. */
  allowedHosts: readonly string[];
  /** Failed sign-ins rate-limited per address and per user (sign-in-guard.ts); absent: no limit. */
  signIn?: SignInGuard;
}

/**
 * Health probes answer whatever the Host header says: kubelet probes a pod by its IP (`Host: 10.1.2.3:5050`), and
 * the answers ("ok", "ready") hold nothing a DNS-rebinding page could steal. Every other route keeps the check.
 */
const PROBES = new Set(['/health', '/ready', '/v2/health/live', '/v2/health/ready']);

function isProbe(req: FastifyRequest): boolean {
  return (req.method === 'GET' || req.method === 'HEAD') && PROBES.has(req.routeOptions.url ?? '');
}

const ANONYMOUS: Principal = { name: 'anonymous', role: 'viewer', kind: 'anonymous' };
const NO_AUTH_ADMIN: Principal = { name: 'local', role: 'admin', kind: 'anonymous' };

export function hostAllowed(hostHeader: string | undefined, allowed: readonly string[]): boolean {
  if (allowed.includes('*')) return true;
  if (!hostHeader) return false;
  const host = hostHeader.startsWith('[') ? hostHeader.slice(0, hostHeader.indexOf(']') + 1) : hostHeader.split(':')[0]!;
  return allowed.includes(host.toLowerCase());
}

/**
 * Who the Authorization header says. With tokensOnly (its username is locked) a basic-auth password is checked only
 * as an API token, and one that is not shaped like a generated token is not checked at all ('unchecked').
 */
async function authenticate(req: FastifyRequest, auth: AuthService, tokensOnly = false): Promise<Credential | 'missing' | 'unchecked'> {
  const header = req.headers.authorization;
  if (!header) return 'missing';
  const [scheme, value] = header.split(' ', 2);
  if (!value) return null;
  if (scheme?.toLowerCase() === 'bearer') return auth.fromToken(value.trim());
  if (scheme?.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    if (i < 0) return null;
    const password = decoded.slice(i + 1);
    if (!tokensOnly) return auth.fromBasic(decoded.slice(0, i), password);
    return looksLikeToken(password) ? auth.fromToken(password) : 'unchecked';
  }
  return null;
}

export function installSecurity(app: FastifyInstance, opts: SecurityOptions): void {
  app.decorateRequest('principal', null as unknown as Principal);
  app.decorateRequest('clientIp', '');

  app.addHook('onRequest', async (req, reply) => {
    // Every answer names its request (request-id.ts); set here, first, rather than in a hook of its own: one hook
    // less on every request, the hot paths' included.
    reply.header(REQUEST_ID_HEADER, req.id);
    // A client that closes its connection right after the answer (a proxy without keep-alive) takes its address
    // with it: the audit row would have none.
    req.clientIp = req.ip ?? '';
    if (!hostAllowed(req.headers.host, opts.allowedHosts) && !isProbe(req)) {
      return send(req, reply, 'HOST_NOT_ALLOWED', `Host '${req.headers.host ?? ''}' is not allowed; start the server with --allowed-hosts to add it.`);
    }
    const cfg = (req.routeOptions.config ?? {}) as RouteSecurity;
    if (cfg.public) {
      req.principal = ANONYMOUS;
      return;
    }
    if (opts.insecureNoAuth) {
      req.principal = NO_AUTH_ADMIN;
      return;
    }
    const header = req.headers.authorization;
    // A locked-out caller is refused before its credential is checked: scrypt is not an oracle to hammer. A username
    // locked by failures (anyone who knows it can fail ten times) still admits an API token sent as its password, as
    // MLflow clients do under a shared username: a token is checked by its hash, not scrypt, and cannot be guessed;
    // a wrong one is refused as locked and counts against its address. Any other password is refused unchecked.
    const guard = opts.signIn;
    const lock = header && guard ? guard.lock(req, header) : null;
    if (lock && lock.scope === 'address') return guard!.refuse(req, reply, lock);
    const who = await authenticate(req, opts.auth, lock !== null);
    // ('unchecked' comes only with a lock.)
    if (who === 'unchecked' || (lock && (who === null || who === 'missing'))) {
      // Only a token that was checked and refused counts: a user retrying their password must not lock their address.
      if (who === null) guard!.failed(req, header!);
      return guard!.refuse(req, reply, lock!);
    }
    if (who === 'missing') {
      reply.header('www-authenticate', 'Bearer realm="ferry", Basic realm="ferry"');
      return send(req, reply, 'UNAUTHENTICATED', 'Authentication required: send Authorization: Bearer <token> (MLFLOW_TRACKING_TOKEN) or basic auth.');
    }
    if (!who) {
      if (header) opts.signIn?.failed(req, header);
      reply.header('www-authenticate', 'Bearer realm="ferry", Basic realm="ferry"');
      return send(req, reply, 'UNAUTHENTICATED', 'Invalid credentials: the token or password was not accepted.');
    }
    if (isExpired(who)) {
      reply.header('www-authenticate', 'Bearer realm="ferry", error="invalid_token", error_description="The token expired"');
      return send(req, reply, 'UNAUTHENTICATED', `Token expired at ${new Date(who.expiresAt).toISOString()}: ask an admin for a new one.`);
    }
    // Only a user who proved their own password clears that username's failures: a token sent as the password under
    // someone else's username (basic auth takes one) must not reset the victim's count between guesses.
    if (who.kind === 'user') opts.signIn?.succeeded(who.name);
    req.principal = who;
    // No route matched: authenticated callers get the 404, not a role error.
    if (req.routeOptions.url === undefined) return;
    // A prediction-only token: checked before the role, so the refusal names its scope rather than a role.
    const outOfScope = scopeRefusal(who, cfg.op?.spec, req.params);
    if (outOfScope) return send(req, reply, 'PERMISSION_DENIED', outOfScope);
    // A route that forgot to declare its role needs admin, so a new route is never open by accident.
    const need: Role = cfg.role ?? 'admin';
    if (!roleAllows(who.role, need)) {
      return send(req, reply, 'PERMISSION_DENIED', `Permission denied: this call needs the '${need}' role; '${who.name}' has '${who.role}'.`);
    }
  });

  app.addHook('onResponse', async (req, reply) => {
    const cfg = (req.routeOptions.config ?? {}) as RouteSecurity;
    if (cfg.audit === 'none') return;
    const write = !['GET', 'HEAD', 'OPTIONS'].includes(req.method);
    if (!write && cfg.audit !== 'artifact-read') return;
    if (!req.principal || req.principal === ANONYMOUS || cfg.public) return;
    const path = req.url.split('?')[0]!;
    opts.audit
      .record({
        ts: Date.now(),
        actor: req.principal.name,
        action: cfg.audit === 'artifact-read' && !write ? 'artifact.read' : `${req.method} ${req.routeOptions.url ?? path}`,
        method: req.method,
        path: path.slice(0, 2000),
        status: reply.statusCode,
        ip: req.clientIp || req.ip || 'unknown',
      })
      .catch((err: unknown) => req.log.error({ err }, 'audit write failed'));
  });
}
