import { route, type ApiRoute } from '../api-route.js';
import * as C from '../contract/auth.js';
import type { AuditLog } from './audit-repo.js';
import type { AuthService } from './auth-service.js';

export function authRoutes(auth: AuthService, audit: AuditLog): ApiRoute[] {
  return [
    route(C.whoAmI, async (_req, { principal: p }) => ({
      name: p.name,
      role: p.role,
      kind: p.kind,
      ...(p.scope ? { deployment: p.scope.deployment } : {}),
      ...(p.expiresAt !== undefined ? { expires_at: p.expiresAt } : {}),
    })),
    route(C.createToken, async ({ body }, ctx) =>
      auth.createToken(body.name, body.role ?? 'viewer', ctx.principal.name, { expiresIn: body.expires_in, deployment: body.deployment }),
    ),
    route(C.listTokens, async () => ({ tokens: await auth.listTokens() })),
    route(C.revokeToken, async ({ params }, ctx) => (await auth.revokeToken(params.token_id, ctx.principal), {})),
    route(C.createUser, async ({ body }) => auth.createUser(body.username, body.role ?? 'viewer')),
    route(C.listUsers, async () => ({ users: await auth.listUsers() })),
    route(C.deleteUser, async ({ params }, ctx) => (await auth.deleteUser(params.username, ctx.principal), {})),
    route(C.listAudit, async ({ query }) => {
      const limit = query.limit ?? 100;
      const entries = await audit.list({ limit, before: query.before, actor: query.actor, since: query.since });
      const last = entries[entries.length - 1];
      return { entries, ...(entries.length === limit && last ? { next_before: last.audit_id } : {}) };
    }),
  ];
}
