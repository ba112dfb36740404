/** Table types of approval gates (migration 0015). */
import type { Generated } from 'kysely';

export interface ApprovalPolicyTable {
  model: string;
  alias: string;
  /** JSON: { checks, required_approvals, roles, description }. */
  spec: string;
  created_at: number;
  created_by: string;
  updated_at: number;
  updated_by: string;
}

export interface ApprovalTable {
  id: Generated<number>;
  model: string;
  version: number;
  alias: string;
  /** approve | reject */
  decision: string;
  actor: string;
  /** The approver's role when they decided. */
  role: string;
  comment: string;
  /** The hash of the version's facts (its card) when the decision was recorded. */
  facts_hash: string;
  created_at: number;
}

export interface ApprovalEventTable {
  id: Generated<number>;
  model: string;
  alias: string;
  version: number | null;
  /** policy_set | policy_deleted | approval | alias_moved | alias_refused */
  kind: string;
  actor: string;
  reason: string;
  /** JSON: the gate's status or the change, as decided. */
  evidence: string;
  created_at: number;
}

export interface ApprovalTables {
  approval_policies: ApprovalPolicyTable;
  approvals: ApprovalTable;
  approval_events: ApprovalEventTable;
}
