/**
 * Tokens, whoami, the audit log and error details (Ferry's native API, /api/v1): the wire contract's types
 * (src/contract/auth.ts, src/contract/errors.ts). Tracking's are in tracking-types.ts, deployments' in
 * deployments-types.ts.
 */
import type { Static } from '@sinclair/typebox';
import type * as A from '../contract/auth.js';
import type { ResponseOf } from '../contract/operation.js';
import type * as E from '../contract/errors.js';
import type { KeyValue } from './tracking-types.js';

export type { KeyValue };

export type Role = Static<typeof A.RoleName>;
export type WhoAmI = Static<typeof A.WhoAmI>;
/** A token as listed: never its secret. */
export type ApiToken = Static<typeof A.ApiToken>;
/** The answer to creating a token: the only time the secret (`token`) is shown. */
export type CreatedToken = Static<typeof A.CreatedToken>;
export type ListTokensResponse = ResponseOf<typeof A.listTokens.spec>;
export type AuditEntry = Static<typeof A.AuditEntry>;
/** A page of the audit log; `next_before` (absent on the last page) reads the next, older page. */
export type AuditResponse = ResponseOf<typeof A.listAudit.spec>;

/** A field-level problem from a native-API (RFC 9457) error. */
export type FieldProblem = Static<typeof E.FieldProblem>;
