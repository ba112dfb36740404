/**
 * The model card's approvals section: the policies on the model's aliases, every decision recorded on the version
 * and the guarded alias moves, as stored. Read straight from the records, never through the gate: the gate reads
 * the card's hash, so a section built from the gate would build the card inside itself.
 */
import type { ProvidedFacts } from './card-types.js';
import * as repo from './approval-repo.js';
import type { Store } from '../store/index.js';

export async function approvalsSection(store: Store, model: string, version: string): Promise<ProvidedFacts | null> {
  const policies = await repo.listPolicies(store.db, model);
  const approvals = await repo.approvalsOf(store.db, model, Number(version));
  const moves = (await repo.eventsOf(store.db, model, undefined, 1000)).filter(
    (e) => e.version === Number(version) && (e.kind === 'alias_moved' || e.kind === 'alias_refused'),
  );
  if (!policies.length && !approvals.length && !moves.length) return null;
  const times = [...approvals.map((a) => a.created_at), ...moves.map((m) => m.created_at), ...policies.map((p) => Number(p.updated_at))];
  return {
    as_of: Math.max(...times),
    facts: {
      policies: policies.map((p) => ({
        alias: p.alias,
        ...(JSON.parse(p.spec) as Record<string, unknown>),
        updated_at: Number(p.updated_at),
        updated_by: p.updated_by,
      })),
      decisions: [...approvals]
        .sort((a, b) => a.id - b.id)
        .map((a) => ({ alias: a.alias, decision: a.decision, actor: a.actor, role: a.role, comment: a.comment, facts_hash: a.facts_hash, at: a.created_at })),
      alias_moves: [...moves].sort((a, b) => a.id - b.id).map((m) => ({ alias: m.alias, kind: m.kind, actor: m.actor, reason: m.reason, at: m.created_at })),
    },
    checks: [
      ...approvals.map((a) => ({
        at: a.created_at,
        actor: a.actor,
        kind: 'approval',
        subject: `@${a.alias}`,
        outcome: a.decision,
        detail: `${a.actor} (${a.role}) ${a.decision === 'approve' ? 'approved' : 'rejected'} version ${version} for @${a.alias} on card hash ${a.facts_hash}${a.comment ? `: ${a.comment}` : ''}`,
      })),
      ...moves.map((m) => ({
        at: m.created_at,
        actor: m.actor,
        kind: 'alias_move',
        subject: `@${m.alias}`,
        outcome: m.kind === 'alias_moved' ? 'moved' : 'refused',
        detail: m.reason,
      })),
    ].sort((x, y) => x.at - y.at),
  };
}
