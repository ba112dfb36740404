/**
 * The gate's verdict, as a pure function of what was checked and what people decided: which approvals count
 * (current, by an allowed role, never by the version's author — "effective challenge"), which are superseded, and
 * every unmet condition in one sentence each. No I/O, so the rules read (and are tested) as a table.
 */
import type { Static } from '@sinclair/typebox';
import type * as C from '../contract/approvals.js';
import type { ApprovalRow } from './approval-repo.js';
import type { PolicySpec } from './approval-policy.js';

export type CheckResult = Static<typeof C.CheckResult>;
export type GateStatus = Static<typeof C.GateStatus>;
export type ApprovalView = Static<typeof C.Approval>;

export interface GateInput {
  model: string;
  version: string;
  alias: string;
  /** null: no policy guards the alias. */
  policy: PolicySpec | null;
  checks: CheckResult[];
  /** Every decision recorded on the version for the alias, in any order. */
  approvals: ApprovalRow[];
  /** The version's card (facts) hash now. */
  factsHash: string;
  /** Who created the version and its source run. */
  authors: string[];
}

const short = (hash: string) => hash.slice(0, 12);

/** Each decision with whether it counts now and why, newest first. */
export function judgeApprovals(input: Omit<GateInput, 'checks'>): ApprovalView[] {
  const roles: readonly string[] = input.policy?.roles ?? ['editor', 'admin'];
  const newestFirst = [...input.approvals].sort((a, b) => b.id - a.id);
  const seen = new Set<string>();
  return newestFirst.map((a) => {
    const base = {
      id: a.id,
      model: a.model,
      version: String(a.version),
      alias: a.alias,
      decision: a.decision === 'reject' ? ('reject' as const) : ('approve' as const),
      actor: a.actor,
      role: a.role,
      comment: a.comment,
      facts_hash: a.facts_hash,
      created_at: Number(a.created_at),
    };
    const later = seen.has(a.actor);
    seen.add(a.actor);
    if (later) return { ...base, status: 'superseded' as const, counts: false, note: `${a.actor} decided again later; only their latest decision counts.` };
    if (a.facts_hash !== input.factsHash)
      return {
        ...base,
        status: 'superseded' as const,
        counts: false,
        note: `Recorded on card hash ${short(a.facts_hash)}; the version's facts changed since (now ${short(input.factsHash)}), so it must be given again.`,
      };
    if (input.authors.includes(a.actor))
      return { ...base, status: 'current' as const, counts: false, note: `${a.actor} is the version's author, who cannot approve it (effective challenge).` };
    if (!roles.includes(a.role))
      return {
        ...base,
        status: 'current' as const,
        counts: false,
        note: `${a.actor}'s role '${a.role}' does not count for @${a.alias} (the policy counts ${roles.join(' or ')}).`,
      };
    return {
      ...base,
      status: 'current' as const,
      counts: true,
      note: a.decision === 'reject' ? `${a.actor} rejected the version for @${a.alias}.` : `${a.actor} (${a.role}) approved the version for @${a.alias}.`,
    };
  });
}

export function evaluateGate(input: GateInput): GateStatus {
  const judged = judgeApprovals(input);
  const current = judged.filter((a) => a.status === 'current');
  const approvers = current.filter((a) => a.counts && a.decision === 'approve').map((a) => a.actor);
  const rejections = current.filter((a) => a.counts && a.decision === 'reject');
  const notCounted = current.filter((a) => !a.counts).map((a) => ({ actor: a.actor, reason: a.note }));
  const required = input.policy?.required_approvals ?? 0;
  const unmet: string[] = [];
  for (const c of input.checks) if (!c.passed) unmet.push(`Check '${c.name}' failed: ${c.reason}`);
  for (const r of rejections) unmet.push(`${r.actor} rejected the version${r.comment ? `: ${r.comment}` : ''}`.replace(/\.?$/, '.'));
  if (approvers.length < required) {
    const ignored = notCounted.length ? ` (${notCounted.map((n) => n.actor).join(', ')} did not count)` : '';
    unmet.push(
      `${required - approvers.length} more independent approval${required - approvers.length > 1 ? 's' : ''} by ${(input.policy?.roles ?? []).join(' or ')} needed: ${approvers.length} of ${required} counted${ignored}.`,
    );
  }
  const satisfied = input.policy === null || unmet.length === 0;
  const target = `version ${input.version} of ${input.model}`;
  const reason =
    input.policy === null
      ? `No approval policy guards @${input.alias} of ${input.model}, so any version may take it.`
      : satisfied
        ? `The policy for @${input.alias} is satisfied for ${target}: ${input.checks.length} check${input.checks.length === 1 ? '' : 's'} passed and ${approvers.length} of ${required} approval${required === 1 ? '' : 's'} counted.`
        : `The policy for @${input.alias} is not satisfied for ${target}: ${unmet.length} condition${unmet.length === 1 ? '' : 's'} unmet.`;
  return {
    model: input.model,
    version: input.version,
    alias: input.alias,
    has_policy: input.policy !== null,
    satisfied,
    facts_hash: input.factsHash,
    authors: input.authors,
    checks: input.checks,
    approvals: { required, counted: approvers.length, approvers, rejected_by: rejections.map((r) => r.actor), not_counted: notCounted },
    unmet,
    reason,
  };
}
