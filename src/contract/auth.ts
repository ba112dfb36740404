/** Tokens, users, the caller's identity and the audit log (native API, /api/v1). */
import { Type } from '@sinclair/typebox';
import { defineOperation } from './operation.js';
import { Empty, EpochMs, Nullable, SlugName } from './common.js';
import { Duration } from './duration.js';

const tag = 'auth';
export const RoleName = Type.Union([Type.Literal('viewer'), Type.Literal('editor'), Type.Literal('admin')], {
  description: 'viewer reads; editor writes; admin manages tokens, users and the audit log',
});

export const WhoAmI = Type.Object({
  name: Type.String(),
  role: RoleName,
  kind: Type.Union([Type.Literal('token'), Type.Literal('user'), Type.Literal('anonymous')]),
  deployment: Type.Optional(Type.String({ description: "a prediction-only token's one deployment: it may call only that deployment's prediction routes" })),
  expires_at: Type.Optional(Type.Integer({ description: 'milliseconds since the Unix epoch from which this token is refused; absent: never' })),
});

// Described on the union, not inside it, so the API reference and generated clients show the description.
const TokenDeployment = Type.Union([Type.String(), Type.Null()], {
  description: 'the one deployment a prediction-only token may call (its prediction routes); null: an ordinary token, its role says what it may do',
});
const ExpiresAt = Type.Union([Type.Integer(), Type.Null()], {
  description: 'milliseconds since the Unix epoch from which the token is refused (401, saying it expired); null: never',
});
export const TokenStatus = Type.Union([Type.Literal('active'), Type.Literal('revoked'), Type.Literal('expired')], {
  description: 'active; revoked (revoked_at is set; it wins over expired); or expired (expires_at has passed)',
});

/** A token as listed: never its secret. */
export const ApiToken = Type.Object({
  token_id: Type.String(),
  name: Type.String(),
  role: RoleName,
  created_at: EpochMs,
  created_by: Type.String(),
  revoked_at: Nullable(EpochMs),
  expires_at: ExpiresAt,
  deployment: TokenDeployment,
  status: TokenStatus,
});

export const CreatedToken = Type.Object({
  token: Type.String({ description: 'the secret, shown once' }),
  token_id: Type.String(),
  name: Type.String(),
  role: RoleName,
  created_at: EpochMs,
  expires_at: ExpiresAt,
  deployment: TokenDeployment,
});

export const UserInfo = Type.Object({ username: Type.String(), role: RoleName, created_at: EpochMs });
export const CreatedUser = Type.Object({ username: Type.String(), role: RoleName, password: Type.String({ description: 'generated; shown once' }) });

export const AuditEntry = Type.Object({
  audit_id: Type.Integer(),
  ts: EpochMs,
  actor: Type.String(),
  action: Type.String(),
  method: Type.String(),
  path: Type.String(),
  status: Type.Integer(),
  ip: Type.String(),
});

const Name = Type.String({ pattern: '^[A-Za-z0-9_.@-]{1,100}$', description: "1–100 letters, digits, '_', '-', '.' or '@'" });

export const whoAmI = defineOperation({
  method: 'GET',
  path: '/api/v1/whoami',
  operationId: 'whoAmI',
  tag,
  access: 'viewer',
  tokenScope: 'any',
  style: 'native',
  summary: 'Who the caller is',
  responses: { 200: WhoAmI },
});

export const createToken = defineOperation({
  method: 'POST',
  path: '/api/v1/tokens',
  operationId: 'createToken',
  tag,
  access: 'admin',
  style: 'native',
  summary: 'Create an API token (the secret is shown once)',
  description:
    'With expires_in the token is refused (401, saying it expired) once that long has passed. With deployment it is a prediction-only token: ' +
    "it may call that deployment's prediction routes (POST /api/v1/deployments/{name}/predict, the Open Inference Protocol's /v2/models/{name}/...) " +
    'and whoami, nothing else (403); its role is viewer, so role must be absent or viewer.',
  body: Type.Object({
    name: Name,
    role: Type.Optional(RoleName),
    expires_in: Type.Optional(Duration('how long the token is accepted, from now (absent: until revoked)')),
    deployment: Type.Optional(
      Type.String({ pattern: SlugName.pattern, description: `the one deployment the token may call, prediction routes only (${SlugName.description ?? ''})` }),
    ),
  }),
  responses: { 200: CreatedToken },
});

export const listTokens = defineOperation({
  method: 'GET',
  path: '/api/v1/tokens',
  operationId: 'listTokens',
  tag,
  access: 'admin',
  style: 'native',
  summary: 'List API tokens (never their secrets)',
  responses: { 200: Type.Object({ tokens: Type.Array(ApiToken) }) },
});

export const revokeToken = defineOperation({
  method: 'DELETE',
  path: '/api/v1/tokens/:token_id',
  operationId: 'revokeToken',
  tag,
  access: 'admin',
  style: 'native',
  summary: 'Revoke an API token',
  description:
    'Not the token the request is authenticated with (400 INVALID_STATE): revoking it takes another admin credential, so no one locks themselves out by accident.',
  params: Type.Object({ token_id: Type.String({ minLength: 1 }) }),
  responses: { 200: Empty },
});

export const createUser = defineOperation({
  method: 'POST',
  path: '/api/v1/users',
  operationId: 'createUser',
  tag,
  access: 'admin',
  style: 'native',
  summary: 'Create a user for basic auth (the generated password is shown once)',
  body: Type.Object({ username: Name, role: Type.Optional(RoleName) }),
  responses: { 200: CreatedUser },
});

export const listUsers = defineOperation({
  method: 'GET',
  path: '/api/v1/users',
  operationId: 'listUsers',
  tag,
  access: 'admin',
  style: 'native',
  summary: 'List users',
  responses: { 200: Type.Object({ users: Type.Array(UserInfo) }) },
});

export const deleteUser = defineOperation({
  method: 'DELETE',
  path: '/api/v1/users/:username',
  operationId: 'deleteUser',
  tag,
  access: 'admin',
  style: 'native',
  summary: 'Delete a user',
  description: 'Not the user the request is signed in as (400 INVALID_STATE); that takes another admin credential.',
  params: Type.Object({ username: Type.String({ minLength: 1 }) }),
  responses: { 200: Empty },
});

export const listAudit = defineOperation({
  method: 'GET',
  path: '/api/v1/audit',
  operationId: 'listAudit',
  tag,
  access: 'admin',
  style: 'native',
  summary: 'Read the audit log, newest first',
  query: Type.Object({
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
    // Bounded by what the columns hold (audit ids are 32-bit, times 64-bit): PostgreSQL refuses to compare beyond.
    before: Type.Optional(Type.Integer({ minimum: 1, maximum: 2_147_483_647, description: 'audit_id to read below (the previous page’s next_before)' })),
    actor: Type.Optional(Type.String()),
    since: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: 'epoch ms' })),
  }),
  responses: {
    200: Type.Object({
      entries: Type.Array(AuditEntry),
      next_before: Type.Optional(Type.Integer({ description: 'pass as before for the next (older) page; absent on the last page' })),
    }),
  },
});
