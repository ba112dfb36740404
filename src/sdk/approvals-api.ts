/**
 * Approval gates per alias (/api/v1/models/{name}/...): the policy of an alias (checks and approvers), decisions on
 * a version, the gate's status and its record. While a policy is unmet, moving its alias — `models.setAlias`, the
 * mlflow client, a loop — is refused with 403 naming the unmet conditions.
 */
import type { Static } from '@sinclair/typebox';
import * as C from '../contract/approvals.js';
import type { ResponseOf } from '../contract/operation.js';
import type { HttpClient } from './http.js';

export type ApprovalPolicyInput = Static<typeof C.PolicyInput>;
export type ApprovalPolicy = Static<typeof C.Policy>;
export type ApprovalCheck = Static<typeof C.GateCheck>;
export type Approval = Static<typeof C.Approval>;
export type ApprovalDecision = Approval['decision'];
export type GateStatus = Static<typeof C.GateStatus>;
export type GateCheckResult = Static<typeof C.CheckResult>;
export type GateEvent = Static<typeof C.GateEvent>;
/** A decision as the contract takes it; `decision` defaults to 'approve' here. */
export type ApprovalInput = Omit<Static<typeof C.ApprovalInput>, 'decision'> & Partial<Pick<Static<typeof C.ApprovalInput>, 'decision'>>;

export class ApprovalsApi {
  constructor(private readonly http: HttpClient) {}

  /** Sets (or replaces) the alias's policy (admin). */
  async setPolicy(model: string, alias: string, policy: ApprovalPolicyInput): Promise<ResponseOf<typeof C.putPolicy.spec>> {
    return this.http.call(C.putPolicy, { params: { name: model, alias }, body: policy });
  }

  async policy(model: string, alias: string): Promise<ApprovalPolicy> {
    return (await this.http.call(C.getPolicy, { params: { name: model, alias } })).policy;
  }

  async policies(model: string): Promise<ApprovalPolicy[]> {
    return (await this.http.call(C.listPolicies, { params: { name: model } })).policies;
  }

  /** Removes the policy: the alias is no longer guarded (admin). */
  async deletePolicy(model: string, alias: string): Promise<void> {
    await this.http.call(C.deletePolicy, { params: { name: model, alias } });
  }

  /** Records a decision on the version for the alias (default approve); answers it, judged, and the gate after it. */
  async approve(model: string, version: string | number, opts: ApprovalInput): Promise<ResponseOf<typeof C.recordApproval.spec>> {
    const body = { alias: opts.alias, decision: opts.decision ?? 'approve', ...(opts.comment !== undefined ? { comment: opts.comment } : {}) };
    return this.http.call(C.recordApproval, { params: { name: model, version: String(version) }, body });
  }

  /** Decisions on the version, newest first, each current or superseded and whether it counts. */
  async approvals(model: string, version: string | number, alias?: string): Promise<Approval[]> {
    return (await this.http.call(C.listApprovals, { params: { name: model, version: String(version) }, query: { alias } })).approvals;
  }

  /** Whether the alias may point at the version now: checks, approvals counted, unmet conditions. */
  async gate(model: string, version: string | number, alias: string): Promise<GateStatus> {
    return this.http.call(C.getGate, { params: { name: model, version: String(version) }, query: { alias } });
  }

  /** The gate's record for the model, newest first (policy changes, approvals, alias moves allowed and refused). */
  async events(model: string, opts: { alias?: string; maxResults?: number } = {}): Promise<GateEvent[]> {
    return (await this.http.call(C.listGateEvents, { params: { name: model }, query: { alias: opts.alias, max_results: opts.maxResults } })).events;
  }
}
