/** Table types of loops (migration 0013). */
export interface LoopTable {
  name: string;
  model: string;
  deployment: string;
  description: string | null;
  /** active | paused */
  state: string;
  /** JSON: the loop's spec with its defaults filled in. */
  spec: string;
  /** JSON: per trigger, what it has already seen (the last alert history id, label count, versions, cron time). */
  cursors: string;
  /** The seq the next run takes. */
  next_seq: number;
  created_at: number;
  created_by: string;
  updated_at: number;
}

export interface LoopRunTable {
  id: string;
  loop: string;
  seq: number;
  state: string;
  /** The step kind the run is at (or ended with). */
  phase: string;
  dry_run: number;
  author: string;
  /** The kind of trigger that started it. */
  trigger: string;
  /** JSON: the loop's spec as it was when the run started. */
  spec: string;
  /** JSON: the driver's working state between steps. */
  context: string;
  candidate_version: string | null;
  champion_version: string | null;
  /** Set once, by the promotion: unique, so a run promotes at most once. */
  promotion_key: string | null;
  lease_owner: string | null;
  lease_until: number | null;
  /** The driver looks at the run again from this time. */
  wake_at: number;
  started_at: number;
  updated_at: number;
  ended_at: number | null;
  reason: string | null;
  /** The seq its next step record takes. */
  next_step: number;
}

export interface LoopStepTable {
  run_id: string;
  seq: number;
  kind: string;
  status: string;
  step_index: number | null;
  step_of: number | null;
  actor: string;
  at: number;
  /** JSON */
  links: string;
  /** JSON */
  evidence: string;
  reason: string;
}

export interface LoopTriggerTable {
  id: string;
  loop: string;
  run_id: string | null;
  kind: string;
  actor: string;
  detail: string;
  coalesced: number;
  at: number;
}

export interface LoopTables {
  loops: LoopTable;
  loop_runs: LoopRunTable;
  loop_steps: LoopStepTable;
  loop_triggers: LoopTriggerTable;
}
