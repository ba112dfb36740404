/** Tokens, whoami and the audit log, over Ferry's native API (/api/v1). */
import { compact, type HttpClient } from './http.js';
import type { ApiToken, AuditResponse, CreatedToken, ListTokensResponse, Role, WhoAmI } from './types.js';

export interface AuditOptions {
  /** Page size, 1-1000 (server default 100). */
  limit?: number;
  /** Only entries older than this audit_id (a page's `next_before`). */
  before?: number;
  actor?: string;
  /** Only entries at or after this epoch-ms time. */
  since?: number;
}

export class TokensApi {
  constructor(private readonly http: HttpClient) {}

  /** Creates a token; the answer carries its secret, which is never shown again. Needs admin. */
  create(opts: { name: string; role?: Role }): Promise<CreatedToken> {
    return this.http.post<CreatedToken>('/api/v1/tokens', compact({ name: opts.name, role: opts.role }));
  }

  /** All tokens, revoked ones included (never their secrets). Needs admin. */
  async list(): Promise<ApiToken[]> {
    return (await this.http.get<ListTokensResponse>('/api/v1/tokens')).tokens ?? [];
  }

  /** Revokes a token by id. Needs admin. */
  async revoke(tokenId: string): Promise<void> {
    await this.http.delete(`/api/v1/tokens/${encodeURIComponent(tokenId)}`);
  }
}

export function whoami(http: HttpClient): Promise<WhoAmI> {
  return http.get<WhoAmI>('/api/v1/whoami');
}

export async function audit(http: HttpClient, opts: AuditOptions = {}): Promise<AuditResponse> {
  const res = await http.get<AuditResponse>('/api/v1/audit', { limit: opts.limit, before: opts.before, actor: opts.actor, since: opts.since });
  return { ...res, entries: res.entries ?? [] };
}
