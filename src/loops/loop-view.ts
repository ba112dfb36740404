/** Rows → the contract's shapes (LoopInfo, LoopRunInfo, LoopStep, triggers). */
import type { Static } from '@sinclair/typebox';
import type * as C from '../contract/loops.js';
import type { LoopRunTable, LoopStepTable, LoopTable, LoopTriggerTable } from '../store/index.js';
import type { LoopSpec } from './loop-spec.js';

export type LoopInfo = Static<typeof C.LoopInfo>;
export type LoopRunInfo = Static<typeof C.LoopRunInfo>;
export type LoopRunDetail = Static<typeof C.LoopRunDetail>;
export type LoopStepInfo = Static<typeof C.LoopStep>;

export function runInfo(r: LoopRunTable): LoopRunInfo {
  return {
    loop: r.loop,
    seq: Number(r.seq),
    state: r.state as LoopRunInfo['state'],
    phase: r.phase as LoopRunInfo['phase'],
    dry_run: Number(r.dry_run) === 1,
    author: r.author,
    trigger: r.trigger as LoopRunInfo['trigger'],
    candidate_version: r.candidate_version,
    champion_version: r.champion_version,
    started_at: Number(r.started_at),
    updated_at: Number(r.updated_at),
    ended_at: r.ended_at === null ? null : Number(r.ended_at),
    reason: r.reason,
  };
}

export function loopInfo(l: LoopTable, last: LoopRunTable | undefined): LoopInfo {
  return {
    name: l.name,
    model: l.model,
    deployment: l.deployment,
    description: l.description,
    state: l.state as LoopInfo['state'],
    spec: JSON.parse(l.spec) as LoopSpec,
    created_at: Number(l.created_at),
    created_by: l.created_by,
    updated_at: Number(l.updated_at),
    last_run: last ? { seq: Number(last.seq), state: last.state as LoopRunInfo['state'], started_at: Number(last.started_at), reason: last.reason } : null,
  };
}

export function stepInfo(s: LoopStepTable): LoopStepInfo {
  return {
    seq: Number(s.seq),
    kind: s.kind as LoopStepInfo['kind'],
    status: s.status as LoopStepInfo['status'],
    index: s.step_index === null ? null : Number(s.step_index),
    of: s.step_of === null ? null : Number(s.step_of),
    actor: s.actor,
    at: Number(s.at),
    links: JSON.parse(s.links) as LoopStepInfo['links'],
    evidence: JSON.parse(s.evidence) as Record<string, unknown>,
    reason: s.reason,
  };
}

export function runDetail(r: LoopRunTable, steps: LoopStepTable[], triggers: LoopTriggerTable[]): LoopRunDetail {
  return {
    ...runInfo(r),
    steps: steps.map(stepInfo),
    triggers: triggers.map((t) => ({
      kind: t.kind as LoopRunInfo['trigger'],
      at: Number(t.at),
      actor: t.actor,
      detail: t.detail,
      coalesced: Number(t.coalesced) === 1,
    })),
  };
}
