/** Tokens, whoami and the audit log, over Ferry's native API (/api/v1). */
import type { Static } from '@sinclair/typebox';
import * as C from '../contract/auth.js';
import type { HttpClient } from './http.js';
import type { ApiToken, AuditResponse, CreatedToken, Role, WhoAmI } from './types.js';

type AuditQuery = Static<NonNullable<typeof C.listAudit.spec.query>>;

/** The audit log's query: the contract's fields (limit 1-1000, server default 100). */
export interface AuditOptions {
  /** Page size, 1-1000 (server default 100). */
  limit?: AuditQuery['limit'];
  /** Only entries older than this audit_id (a page's `next_before`). */
  before?: AuditQuery['before'];
  actor?: AuditQuery['actor'];
  /** Only entries at or after this epoch-ms time. */
  since?: AuditQuery['since'];
}

export class TokensApi {
  constructor(private readonly http: HttpClient) {}

  /**
   * Creates a token; the answer carries its secret, which is never shown again. Needs admin. `expiresIn` (a
   * duration such as "30d") makes it expire; `deployment` makes it a prediction-only token for that deployment.
   */
  create(opts: { name: string; role?: Role; expiresIn?: string; deployment?: string }): Promise<CreatedToken> {
    return this.http.call(C.createToken, { body: { name: opts.name, role: opts.role, expires_in: opts.expiresIn, deployment: opts.deployment } });
  }

  /** All tokens, revoked and expired ones included, each with its status (never their secrets). Needs admin. */
  async list(): Promise<ApiToken[]> {
    return (await this.http.call(C.listTokens)).tokens ?? [];
  }

  /** Revokes a token by id. Needs admin. */
  async revoke(tokenId: string): Promise<void> {
    await this.http.call(C.revokeToken, { params: { token_id: tokenId } });
  }
}

export function whoami(http: HttpClient): Promise<WhoAmI> {
  return http.call(C.whoAmI);
}

export async function audit(http: HttpClient, opts: AuditOptions = {}): Promise<AuditResponse> {
  const res = await http.call(C.listAudit, { query: { limit: opts.limit, before: opts.before, actor: opts.actor, since: opts.since } });
  return { ...res, entries: res.entries ?? [] };
}
