/**
 * The callers of the auth matrix, each made the way a user makes it: tokens and users through the API as the admin,
 * a revoked token revoked and a deleted user deleted through the API, an expired token created with `expires_in` and
 * then aged in the store (no sleeping), a prediction-only token scoped to one deployment; the refused and scoped
 * tokens also as basic-auth passwords.
 */
import type { FastifyInstance } from 'fastify';
import type { Store } from '../../../src/store/index.js';

export type Role = 'viewer' | 'editor' | 'admin';

export type Principal =
  | { name: 'anonymous'; kind: 'anonymous'; headers: Record<string, string> }
  | { name: string; kind: 'role'; role: Role; headers: Record<string, string> }
  /** A credential the server must refuse (revoked, expired): always 401. */
  | { name: string; kind: 'refused'; headers: Record<string, string> }
  /**
   * A prediction-only token: may call only its deployment's prediction routes (and the few for any scope). `target` is
   * the deployment it names in URLs: its own, or another one's (which must be refused).
   */
  | { name: string; kind: 'scoped'; deployment: string; target: string; headers: Record<string, string> };

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const basic = (user: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });

async function post(app: FastifyInstance, admin: Record<string, string>, url: string, payload: object): Promise<Record<string, unknown>> {
  const res = await app.inject({ method: 'POST', url, headers: admin, payload });
  if (res.statusCode !== 200) throw new Error(`POST ${url} ${JSON.stringify(payload)} answered ${res.statusCode}: ${res.body}`);
  return res.json() as Record<string, unknown>;
}

export async function makePrincipals(app: FastifyInstance, store: Store, adminToken: string, scopedDeployment: string): Promise<Principal[]> {
  const admin = bearer(adminToken);
  const out: Principal[] = [{ name: 'anonymous', kind: 'anonymous', headers: {} }];
  for (const role of ['viewer', 'editor', 'admin'] as const) {
    const t = await post(app, admin, '/api/v1/tokens', { name: `matrix-${role}`, role });
    out.push({ name: `${role} token`, kind: 'role', role, headers: bearer(String(t['token'])) });
  }
  for (const role of ['viewer', 'editor', 'admin'] as const) {
    const u = await post(app, admin, '/api/v1/users', { username: `matrix-${role}-user`, role });
    out.push({ name: `${role} user (basic)`, kind: 'role', role, headers: basic(`matrix-${role}-user`, String(u['password'])) });
  }
  // Revoked and expired callers were admins: a 401 cannot be a role's refusal in disguise.
  const revoked = await post(app, admin, '/api/v1/tokens', { name: 'matrix-revoked', role: 'admin' });
  const del = await app.inject({ method: 'DELETE', url: `/api/v1/tokens/${String(revoked['token_id'])}`, headers: admin });
  if (del.statusCode !== 200) throw new Error(`revoking the matrix's token answered ${del.statusCode}: ${del.body}`);
  out.push({ name: 'revoked token', kind: 'refused', headers: bearer(String(revoked['token'])) });
  // A token also signs in as a basic-auth password (what MLflow clients send): that path must refuse it alike.
  out.push({ name: 'revoked token as basic password', kind: 'refused', headers: basic('matrix', String(revoked['token'])) });
  const gone = await post(app, admin, '/api/v1/users', { username: 'matrix-deleted-user', role: 'admin' });
  const delUser = await app.inject({ method: 'DELETE', url: '/api/v1/users/matrix-deleted-user', headers: admin });
  if (delUser.statusCode !== 200) throw new Error(`deleting the matrix's user answered ${delUser.statusCode}: ${delUser.body}`);
  out.push({ name: 'deleted user (basic)', kind: 'refused', headers: basic('matrix-deleted-user', String(gone['password'])) });
  {
    const expired = await post(app, admin, '/api/v1/tokens', { name: 'matrix-expired', role: 'admin', expires_in: '1h' });
    // Aged in the store rather than waited for; never used before, so no cached credential outlives it.
    await store.db
      .updateTable('tokens')
      .set({ expires_at: Date.now() - 60_000 })
      .where('token_id', '=', String(expired['token_id']))
      .execute();
    out.push({ name: 'expired token', kind: 'refused', headers: bearer(String(expired['token'])) });
    out.push({ name: 'expired token as basic password', kind: 'refused', headers: basic('matrix', String(expired['token'])) });
  }
  {
    const scoped = await post(app, admin, '/api/v1/tokens', { name: 'matrix-scoped', deployment: scopedDeployment });
    const headers = bearer(String(scoped['token']));
    out.push({ name: 'scoped token, its deployment', kind: 'scoped', deployment: scopedDeployment, target: scopedDeployment, headers });
    out.push({ name: 'scoped token, another deployment', kind: 'scoped', deployment: scopedDeployment, target: `${scopedDeployment}-other`, headers });
    // As a basic-auth password the token keeps its scope.
    const asBasic = basic('matrix', String(scoped['token']));
    out.push({ name: 'scoped token as basic, its deployment', kind: 'scoped', deployment: scopedDeployment, target: scopedDeployment, headers: asBasic });
  }
  return out;
}
