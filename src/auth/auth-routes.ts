import type { ApiRoute } from '../api-route.js';
import { optInt, optString, reqString } from '../fields.js';
import type { AuditLog } from './audit-repo.js';
import type { AuthService } from './auth-service.js';
import { parseRole } from './roles.js';

export function authRoutes(auth: AuthService, audit: AuditLog): ApiRoute[] {
  return [
    { method: 'GET', url: '/api/v1/whoami', role: 'viewer', style: 'native', summary: 'Who the caller is', handler: async (_f, ctx) => ({ name: ctx.principal.name, role: ctx.principal.role, kind: ctx.principal.kind }) },
    {
      method: 'POST', url: '/api/v1/tokens', role: 'admin', style: 'native', summary: 'Create an API token (the secret is shown once)',
      handler: async (f, ctx) => auth.createToken(reqString(f, 'name'), parseRole(optString(f, 'role') ?? 'viewer'), ctx.principal.name),
    },
    { method: 'GET', url: '/api/v1/tokens', role: 'admin', style: 'native', summary: 'List API tokens (never their secrets)', handler: async () => ({ tokens: await auth.listTokens() }) },
    { method: 'DELETE', url: '/api/v1/tokens/:token_id', role: 'admin', style: 'native', summary: 'Revoke an API token', handler: async (_f, ctx) => (await auth.revokeToken(ctx.params['token_id']!), {}) },
    {
      method: 'POST', url: '/api/v1/users', role: 'admin', style: 'native', summary: 'Create a user for basic auth (the generated password is shown once)',
      handler: async (f) => auth.createUser(reqString(f, 'username'), parseRole(optString(f, 'role') ?? 'viewer')),
    },
    { method: 'GET', url: '/api/v1/users', role: 'admin', style: 'native', summary: 'List users', handler: async () => ({ users: await auth.listUsers() }) },
    { method: 'DELETE', url: '/api/v1/users/:username', role: 'admin', style: 'native', summary: 'Delete a user', handler: async (_f, ctx) => (await auth.deleteUser(ctx.params['username']!), {}) },
    {
      method: 'GET', url: '/api/v1/audit', role: 'admin', style: 'native', summary: 'Read the audit log, newest first',
      handler: async (f) => {
        const limit = optInt(f, 'limit', { min: 1, max: 1000 }) ?? 100;
        const entries = await audit.list({ limit, before: optInt(f, 'before', { min: 1 }), actor: optString(f, 'actor'), since: optInt(f, 'since', { min: 0 }) });
        const last = entries[entries.length - 1];
        return { entries, ...(entries.length === limit && last ? { next_before: last.audit_id } : {}) };
      },
    },
  ];
}
