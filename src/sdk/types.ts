/**
 * The JSON shapes Ferry's API answers with. Tracking and registry follow MLflow's REST API (ids are
 * strings, timestamps are epoch milliseconds); tokens, whoami and audit are Ferry's native API (/api/v1).
 */

export type Role = 'viewer' | 'editor' | 'admin';
// Tracking's types (experiments, runs, artifacts) come from the contract: tracking-types.ts.
import type { KeyValue } from './tracking-types.js';
export type { KeyValue };

// ---- auth (native API) ----

export interface WhoAmI {
  name: string;
  role: Role;
  kind: 'token' | 'user' | 'anonymous';
}

/** A token as listed: never its secret. */
export interface ApiToken {
  token_id: string;
  name: string;
  role: Role;
  created_at: number;
  created_by: string;
  revoked_at: number | null;
}

/** The answer to creating a token: the only time the secret (`token`) is shown. */
export interface CreatedToken {
  token: string;
  token_id: string;
  name: string;
  role: Role;
  created_at: number;
}

export interface ListTokensResponse {
  tokens: ApiToken[];
}

export interface AuditEntry {
  audit_id: number;
  ts: number;
  actor: string;
  action: string;
  method: string;
  path: string;
  status: number;
  ip: string;
}

export interface AuditResponse {
  entries: AuditEntry[];
  /** Pass as `before` to read the next (older) page; absent on the last page. */
  next_before?: number;
}

// ---- deployments (native API): deployments-types.ts ----

// ---- errors ----

/** A field-level problem from a native-API (RFC 9457) error. */
export interface FieldProblem {
  field: string;
  message: string;
}

