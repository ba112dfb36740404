/**
 * Approval gates per alias: policies (checks + approvers), decisions recorded with the hash of the version's facts,
 * the gate's verdict, and the registry's alias guard built on it. Every change and every guarded alias move —
 * allowed or refused — is written twice: to the gate's own events (the reason and the evidence) and to the audit
 * log (who, when, from where).
 */
import type { Role } from '../api-route.js';
import type { AuditLog } from '../auth/index.js';
import { FerryError, NotFoundError } from '../errors.js';
import type { AliasActor, AliasGuard } from '../registry/index.js';
import type { Store, ApprovalPolicyTable } from '../store/index.js';
import { approvalsSection } from './approval-card.js';
import { runChecks } from './approval-checks.js';
import { type CardStatus, type FactSources, factsHash, versionFacts } from './approval-facts.js';
import { type ApprovalView, evaluateGate, type GateStatus, judgeApprovals } from './approval-gate.js';
import { normalizePolicy, type PolicyInput, type PolicySpec } from './approval-policy.js';
import * as repo from './approval-repo.js';

export interface Actor {
  name: string;
  role: Role;
  ip?: string;
}

export interface PolicyView extends PolicySpec {
  model: string;
  alias: string;
  created_at: number;
  created_by: string;
  updated_at: number;
  updated_by: string;
}

export type GateEventKind = 'policy_set' | 'policy_deleted' | 'approval' | 'alias_moved' | 'alias_refused';

export interface ApprovalServiceDeps extends FactSources {
  store: Store;
  audit: AuditLog;
  now?: () => number;
}

function policyView(row: ApprovalPolicyTable): PolicyView {
  const spec = JSON.parse(row.spec) as PolicySpec;
  return {
    model: row.model,
    alias: row.alias,
    ...spec,
    created_at: Number(row.created_at),
    created_by: row.created_by,
    updated_at: Number(row.updated_at),
    updated_by: row.updated_by,
  };
}

export class ApprovalService implements AliasGuard {
  private readonly now: () => number;

  constructor(private readonly d: ApprovalServiceDeps) {
    this.now = d.now ?? Date.now;
  }

  private get db() {
    return this.d.store.db;
  }

  /** Wires a source that landed after construction (the card or fairness capability). */
  setSources(sources: Pick<FactSources, 'cardStatus' | 'fairnessCheck'>): void {
    if (sources.cardStatus) this.d.cardStatus = sources.cardStatus;
    if (sources.fairnessCheck) this.d.fairnessCheck = sources.fairnessCheck;
  }

  // ---- policies ----

  async putPolicy(model: string, alias: string, input: PolicyInput, actor: Actor): Promise<{ policy: PolicyView; created: boolean }> {
    await this.d.registry.getModel(model);
    const spec = normalizePolicy(input);
    const now = this.now();
    const created = await repo.upsertPolicy(this.db, {
      model,
      alias,
      spec: JSON.stringify(spec),
      created_at: now,
      created_by: actor.name,
      updated_at: now,
      updated_by: actor.name,
    });
    const policy = await this.getPolicy(model, alias);
    await this.record(
      'policy_set',
      model,
      alias,
      null,
      actor,
      200,
      `${actor.name} ${created ? 'set' : 'replaced'} the approval policy of @${alias}: ${describe(spec)}.`,
      {
        policy: spec,
      },
    );
    return { policy, created };
  }

  async getPolicy(model: string, alias: string): Promise<PolicyView> {
    const row = await repo.findPolicy(this.db, model, alias);
    if (!row) {
      await this.d.registry.getModel(model);
      throw new NotFoundError(`No approval policy guards @${alias} of ${model}.`);
    }
    return policyView(row);
  }

  async listPolicies(model: string): Promise<PolicyView[]> {
    await this.d.registry.getModel(model);
    return (await repo.listPolicies(this.db, model)).map(policyView);
  }

  async deletePolicy(model: string, alias: string, actor: Actor): Promise<void> {
    const before = await this.getPolicy(model, alias);
    await repo.deletePolicy(this.db, model, alias);
    await this.record(
      'policy_deleted',
      model,
      alias,
      null,
      actor,
      200,
      `${actor.name} removed the approval policy of @${alias}; the alias is no longer guarded.`,
      {
        policy: before,
      },
    );
  }

  private async policySpec(model: string, alias: string): Promise<PolicySpec | null> {
    const row = await repo.findPolicy(this.db, model, alias);
    return row ? (JSON.parse(row.spec) as PolicySpec) : null;
  }

  // ---- facts and the gate ----

  /** The card's status, or null when no card source is wired; a card that cannot be rendered is null too. */
  private async card(model: string, version: string): Promise<CardStatus | null> {
    if (!this.d.cardStatus) return null;
    try {
      return await this.d.cardStatus(model, version);
    } catch (err) {
      if (err instanceof FerryError) return null;
      throw err;
    }
  }

  async gate(model: string, version: string, alias: string): Promise<GateStatus> {
    const facts = await versionFacts(this.d, model, version);
    const policy = await this.policySpec(model, alias);
    const card = await this.card(model, facts.version);
    const checks = policy ? await runChecks(policy.checks, this.d, facts, card) : [];
    return evaluateGate({
      model,
      version: facts.version,
      alias,
      policy,
      checks,
      approvals: await repo.approvalsOf(this.db, model, Number(facts.version), alias),
      factsHash: card?.hash ?? factsHash(facts),
      authors: facts.authors,
    });
  }

  // ---- approvals ----

  async recordApproval(
    model: string,
    version: string,
    input: { alias: string; decision: 'approve' | 'reject'; comment?: string | undefined },
    actor: Actor,
  ): Promise<{ approval: ApprovalView; gate: GateStatus }> {
    const facts = await versionFacts(this.d, model, version);
    const card = await this.card(model, facts.version);
    const hash = card?.hash ?? factsHash(facts);
    const id = await repo.insertApproval(this.db, {
      model,
      version: Number(facts.version),
      alias: input.alias,
      decision: input.decision,
      actor: actor.name,
      role: actor.role,
      comment: input.comment ?? '',
      facts_hash: hash,
      created_at: this.now(),
    });
    const gate = await this.gate(model, facts.version, input.alias);
    const approval = (await this.listApprovals(model, facts.version, input.alias)).find((a) => a.id === id)!;
    const verb = input.decision === 'approve' ? 'approved' : 'rejected';
    await this.record(
      'approval',
      model,
      input.alias,
      facts.version,
      actor,
      201,
      `${actor.name} (${actor.role}) ${verb} version ${facts.version} for @${input.alias}${approval.counts ? '' : `, not counted: ${approval.note.replace(/\.$/, '')}`}.`,
      { approval_id: id, decision: input.decision, comment: input.comment ?? '', facts_hash: hash, counts: approval.counts, gate_satisfied: gate.satisfied },
    );
    return { approval, gate };
  }

  /** Decisions on the version, newest first, each judged against its alias's policy and the version's facts now. */
  async listApprovals(model: string, version: string, alias?: string): Promise<ApprovalView[]> {
    const facts = await versionFacts(this.d, model, version);
    const rows = await repo.approvalsOf(this.db, model, Number(facts.version), alias);
    const card = await this.card(model, facts.version);
    const hash = card?.hash ?? factsHash(facts);
    const out: ApprovalView[] = [];
    for (const a of [...new Set(rows.map((r) => r.alias))]) {
      const policy = await this.policySpec(model, a);
      out.push(
        ...judgeApprovals({
          model,
          version: facts.version,
          alias: a,
          policy,
          approvals: rows.filter((r) => r.alias === a),
          factsHash: hash,
          authors: facts.authors,
        }),
      );
    }
    return out.sort((x, y) => y.id - x.id);
  }

  async events(model: string, alias: string | undefined, limit: number) {
    await this.d.registry.getModel(model);
    return (await repo.eventsOf(this.db, model, alias, limit)).map((e) => ({
      id: e.id,
      model: e.model,
      alias: e.alias,
      version: e.version === null ? null : String(e.version),
      kind: e.kind as GateEventKind,
      actor: e.actor,
      reason: e.reason,
      evidence: JSON.parse(e.evidence) as unknown,
      created_at: Number(e.created_at),
    }));
  }

  /** The model card's approvals section (the card capability's provider). */
  cardSection(model: string, version: string) {
    return approvalsSection(this.d.store, model, version);
  }

  // ---- the registry's alias guard ----

  async check(model: string, alias: string, version: string, actor: AliasActor): Promise<void> {
    const policy = await this.policySpec(model, alias);
    if (!policy) return;
    const who: Actor = { name: actor.name, role: actor.role ?? 'editor', ...(actor.ip ? { ip: actor.ip } : {}) };
    if (actor.restore) return;
    const gate = await this.gate(model, version, alias);
    if (gate.satisfied) return;
    const message = `Moving @${alias} of ${model} to version ${version} is refused by its approval policy; unmet: ${gate.unmet.map((u) => u.replace(/\.$/, '')).join('; ')}.`;
    await this.record('alias_refused', model, alias, version, who, 403, message, { gate });
    throw new FerryError(
      'PERMISSION_DENIED',
      message,
      gate.unmet.map((u) => ({ field: 'version', message: u })),
    );
  }

  async moved(model: string, alias: string, version: string, actor: AliasActor): Promise<void> {
    const policy = await this.policySpec(model, alias);
    if (!policy) return;
    const who: Actor = { name: actor.name, role: actor.role ?? 'editor', ...(actor.ip ? { ip: actor.ip } : {}) };
    if (actor.restore) {
      await this.record(
        'alias_moved',
        model,
        alias,
        version,
        who,
        200,
        `${actor.name} put @${alias} back on version ${version} (a rollback; the gate does not hold it).`,
        {
          restore: true,
        },
      );
      return;
    }
    const gate = await this.gate(model, version, alias);
    await this.record('alias_moved', model, alias, version, who, 200, `${actor.name} moved @${alias} to version ${version}: ${gate.reason}`, {
      approvers: gate.approvals.approvers,
      facts_hash: gate.facts_hash,
      checks: gate.checks.map((c) => ({ name: c.name, passed: c.passed, reason: c.reason })),
    });
  }

  // ---- the record ----

  private async record(
    kind: GateEventKind,
    model: string,
    alias: string,
    version: string | null,
    actor: Actor,
    status: number,
    reason: string,
    evidence: Record<string, unknown>,
  ): Promise<void> {
    const now = this.now();
    await repo.insertEvent(this.db, {
      model,
      alias,
      version: version === null ? null : Number(version),
      kind,
      actor: actor.name,
      reason,
      evidence: JSON.stringify(evidence),
      created_at: now,
    });
    const target = `/api/v1/models/${encodeURIComponent(model)}${version === null ? '' : `/versions/${version}`}?alias=${encodeURIComponent(alias)}`;
    await this.d.audit.record({ ts: now, actor: actor.name, action: `gate.${kind}`, method: 'GATE', path: target, status, ip: actor.ip ?? 'internal' });
  }
}

function describe(p: PolicySpec): string {
  const checks = p.checks.length ? `${p.checks.length} check${p.checks.length === 1 ? '' : 's'}` : 'no checks';
  return `${checks}, ${p.required_approvals} approval${p.required_approvals === 1 ? '' : 's'} by ${p.roles.join(' or ')}`;
}
