/** Tokens, users and who a request is. Tokens and passwords are stored hashed; secrets are returned once. */
import { hash, randomUUID } from 'node:crypto';
import type { Principal, Role } from '../api-route.js';
import type { Store } from '../store/index.js';
import { AlreadyExistsError, InvalidParameterError, InvalidStateError, NotFoundError } from '../errors.js';
import { DurationError, parseDuration } from '../contract/duration.js';
import { hashPassword, hashToken, newPassword, newToken, verifyPassword } from './secrets.js';
import * as tokens from './token-repo.js';
import * as users from './user-repo.js';

// Verified credentials are cached briefly so a busy client does not pay a DB round trip (or scrypt) per call; never
// past a token's expiry.
const CACHE_MS = 30_000;

/** A token that was valid once and has expired: refused like an invalid one (401), but the answer says why. */
export interface ExpiredCredential {
  expired: true;
  expiresAt: number;
}

/** Who a credential is: a principal, an expired token, or null (unknown, revoked, wrong password). */
export type Credential = Principal | ExpiredCredential | null;

export function isExpired(c: Credential | 'missing'): c is ExpiredCredential {
  return typeof c === 'object' && c !== null && 'expired' in c;
}

export interface TokenOptions {
  /** The token's secret (FERRY_ADMIN_TOKEN at bootstrap); generated when absent. */
  secret?: string;
  /** How long it is accepted, in Ferry's duration grammar ("30d", "12h"); absent: until revoked. */
  expiresIn?: string;
  /** Makes it a prediction-only token for this one deployment (role viewer). */
  deployment?: string;
}

export type TokenState = 'active' | 'revoked' | 'expired';

/** Revoked wins over expired: it was an act, and it is what an admin looks for. */
export function tokenState(row: { revoked_at: number | null; expires_at: number | null }, now: number): TokenState {
  if (row.revoked_at !== null) return 'revoked';
  return row.expires_at !== null && row.expires_at <= now ? 'expired' : 'active';
}

/**
 * The cache key of a secret: its SHA-256, so no secret is kept as a key. One-shot crypto.hash costs a third of
 * createHash().update().digest(), and it runs on every authenticated request (the store lookup, on a miss,
 * still goes through hashToken).
 */
function digest(secret: string): string {
  return hash('sha256', secret, 'hex');
}

export class AuthService {
  private cache = new Map<string, { principal: Principal; until: number }>();

  constructor(
    private readonly store: Store,
    /** The clock expiry is judged by; tests pass their own. */
    private readonly now: () => number = Date.now,
  ) {}

  async hasAnyCredential(): Promise<boolean> {
    const t = await tokens.anyToken(this.store.db);
    const u = await users.anyUser(this.store.db);
    return t || u;
  }

  async createToken(name: string, role: Role, createdBy: string, opts: TokenOptions = {}) {
    if (!/^[\w.\-@]{1,100}$/.test(name)) throw new InvalidParameterError('name', "Token 'name' must be 1-100 letters, digits, '_', '-', '.' or '@'.");
    const token = opts.secret ?? newToken();
    if (token.length < 16) throw new InvalidParameterError('token', 'A token must be at least 16 characters long.');
    if (opts.deployment !== undefined && role !== 'viewer')
      throw new InvalidParameterError(
        'role',
        `A token scoped to deployment '${opts.deployment}' is prediction-only (role viewer); leave 'role' out or give viewer, not '${role}'.`,
      );
    const createdAt = this.now();
    const expiresAt = opts.expiresIn === undefined ? null : createdAt + expiryMs(opts.expiresIn);
    const row = {
      token_id: randomUUID(),
      name,
      role,
      token_hash: hashToken(token),
      created_at: createdAt,
      created_by: createdBy,
      revoked_at: null,
      expires_at: expiresAt,
      deployment: opts.deployment ?? null,
    };
    await tokens.insertToken(this.store.db, row);
    return { token, token_id: row.token_id, name, role, created_at: row.created_at, expires_at: expiresAt, deployment: row.deployment };
  }

  async listTokens() {
    const rows = await tokens.listTokens(this.store.db);
    const now = this.now();
    // Roles are written only through parseRole, so a stored role is one of the three.
    return rows.map((r) => ({ ...r, role: r.role as Role, status: tokenState(r, now) }));
  }

  /**
   * Revokes a token; never the one the request came with, so an admin (or a script listing and revoking tokens)
   * cannot lock itself out by accident: that takes another admin credential.
   */
  async revokeToken(tokenId: string, by?: Principal): Promise<void> {
    if (by?.tokenId === tokenId)
      throw new InvalidStateError(`Token '${tokenId}' is the one this request is authenticated with; revoke it with another admin credential.`);
    if (!(await tokens.revokeToken(this.store.db, tokenId, Date.now()))) throw new NotFoundError(`No active token with id '${tokenId}'.`);
    this.cache.clear();
  }

  async createUser(username: string, role: Role) {
    if (!/^[\w.\-@]{1,100}$/.test(username)) throw new InvalidParameterError('username', "'username' must be 1-100 letters, digits, '_', '-', '.' or '@'.");
    if (await users.userExists(this.store.db, username)) throw new AlreadyExistsError(`User '${username}' already exists.`);
    const password = newPassword();
    await users.insertUser(this.store.db, { username, role, password_hash: await hashPassword(password), created_at: Date.now() });
    return { username, role, password };
  }

  async listUsers() {
    const rows = await users.listUsers(this.store.db);
    return rows.map((r) => ({ ...r, role: r.role as Role }));
  }

  /** Deletes a user; never the one the request is signed in as (see revokeToken). */
  async deleteUser(username: string, by?: Principal): Promise<void> {
    if (by?.kind === 'user' && by.name === username)
      throw new InvalidStateError(`User '${username}' is the one this request is signed in as; delete it with another admin credential.`);
    if (!(await users.deleteUser(this.store.db, username))) throw new NotFoundError(`No user '${username}'.`);
    this.cache.clear();
  }

  private cached(key: string): Principal | null {
    const hit = this.cache.get(key);
    if (hit && hit.until > this.now()) return hit.principal;
    if (hit) this.cache.delete(key);
    return null;
  }

  private remember(key: string, principal: Principal): Principal {
    if (this.cache.size > 10_000) this.cache.clear();
    // An expiring token is cached no longer than it lives: the request after its expiry is refused, not served.
    const until = Math.min(this.now() + CACHE_MS, principal.expiresAt ?? Infinity);
    this.cache.set(key, { principal, until });
    return principal;
  }

  async fromToken(token: string): Promise<Credential> {
    const key = `t:${digest(token)}`;
    const hit = this.cached(key);
    if (hit) return hit;
    const row = await tokens.findToken(this.store.db, hashToken(token));
    if (!row) return null;
    const state = tokenState(row, this.now());
    if (state === 'revoked') return null;
    if (state === 'expired') return { expired: true, expiresAt: row.expires_at! };
    return this.remember(key, {
      name: row.name,
      role: row.role as Role,
      kind: 'token',
      tokenId: row.token_id,
      ...(row.deployment !== null ? { scope: { deployment: row.deployment } } : {}),
      ...(row.expires_at !== null ? { expiresAt: row.expires_at } : {}),
    });
  }

  /** Basic auth: a user's password, or an API token as the password (what MLflow clients can send). */
  async fromBasic(username: string, password: string): Promise<Credential> {
    const key = `b:${digest(`${username}\0${password}`)}`;
    const hit = this.cached(key);
    if (hit) return hit;
    const user = await users.findUser(this.store.db, username);
    if (user && (await verifyPassword(password, user.password_hash))) {
      return this.remember(key, { name: user.username, role: user.role as Role, kind: 'user' });
    }
    const viaToken = await this.fromToken(password);
    return viaToken && !isExpired(viaToken) ? this.remember(key, viaToken) : viaToken;
  }
}

/** A token's lifetime from its `expires_in`; a refusal names the field (the grammar bounds it to ten years). */
function expiryMs(text: string): number {
  try {
    return parseDuration(text, { field: 'expires_in' });
  } catch (err) {
    if (err instanceof DurationError) throw new InvalidParameterError('expires_in', err.message);
    throw err;
  }
}
