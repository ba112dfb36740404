/**
 * Loops (/api/v1/loops): per registered model and deployment, triggers → a training job → an offline gate →
 * shadow → canary steps judged by the A/B engine → promote or roll back. Each firing is a loop run with a
 * timeline of steps, each with its evidence and one sentence saying why.
 */
import type { Static } from '@sinclair/typebox';
import * as C from '../contract/loops.js';
import type { HttpClient } from './http.js';

export type LoopCreate = Static<typeof C.LoopCreate>;
export type LoopUpdate = Static<typeof C.LoopUpdate>;
export type LoopInfo = Static<typeof C.LoopInfo>;
export type LoopState = LoopInfo['state'];
export type LoopTriggerSpec = Static<typeof C.LoopTrigger>;
export type LoopTriggerKind = LoopTriggerSpec['kind'];
export type LoopTrainingSpec = Static<typeof C.TrainingSpec>;
export type LoopTrainingData = Static<typeof C.TrainingData>;
export type LoopGateSpec = Static<typeof C.GateSpec>;
export type LoopGateThreshold = Static<typeof C.GateThreshold>;
export type LoopRolloutSpec = Static<typeof C.RolloutSpec>;
export type LoopCanaryStep = Static<typeof C.CanaryStep>;
export type LoopApprovalSpec = Static<typeof C.ApprovalSpec>;
export type LoopRunInfo = Static<typeof C.LoopRunInfo>;
export type LoopRunState = LoopRunInfo['state'];
export type LoopRunDetail = Static<typeof C.LoopRunDetail>;
export type LoopStep = Static<typeof C.LoopStep>;
export type LoopStepKind = LoopStep['kind'];
export type LoopStepStatus = LoopStep['status'];
export type LoopLinks = Static<typeof C.LoopLinks>;
export type LoopTriggerRecord = Static<typeof C.LoopTriggerRecord>;
export type LoopVerdict = Static<typeof C.LoopVerdict>;
/** The list's filters (the contract's query). */
export type ListLoopsQuery = NonNullable<Static<NonNullable<typeof C.listLoops.spec.query>>>;
/** A manual trigger (the contract's body): why, a registered version to judge instead of training one, dry run. */
export type LoopTriggerInput = NonNullable<Static<NonNullable<typeof C.triggerLoop.spec.body>>>;
/** The run started, or the run the trigger was recorded on (`coalesced: true`). */
export type LoopTriggerResult = Static<(typeof C.triggerLoop.spec.responses)[202]>;

/** The states a loop run ends in (awaiting_approval is not one: a person may still decide). */
export const TERMINAL_LOOP_RUN_STATES: readonly LoopRunState[] = C.TERMINAL_LOOP_RUN_STATES;

export function isTerminalLoopRun(state: LoopRunState): boolean {
  return TERMINAL_LOOP_RUN_STATES.includes(state);
}

export interface WatchLoopRunOptions {
  /** Between polls (default 2000 ms). */
  intervalMs?: number;
  /** Stops watching: the promise answers the run as last read. */
  signal?: AbortSignal;
}

const wait = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

export class LoopsApi {
  constructor(private readonly http: HttpClient) {}

  /** Creates a loop on a registered model and the deployment that serves it. */
  async create(loop: LoopCreate): Promise<LoopInfo> {
    return (await this.http.call(C.createLoop, { body: loop })).loop;
  }

  /** Loops, by name, each with its last run. */
  async list(query: ListLoopsQuery = {}): Promise<LoopInfo[]> {
    return (await this.http.call(C.listLoops, { query: { deployment: query.deployment, model: query.model } })).loops;
  }

  async get(name: string): Promise<LoopInfo> {
    return (await this.http.call(C.getLoop, { params: { name } })).loop;
  }

  /** Replaces the loop's triggers, training, gate, rollout and approvals (a run under way keeps its spec). */
  async update(name: string, spec: LoopUpdate): Promise<LoopInfo> {
    return (await this.http.call(C.updateLoop, { params: { name }, body: spec })).loop;
  }

  /** Triggers are still recorded while paused, but start no run; a run under way goes on. */
  async pause(name: string, reason?: string): Promise<LoopInfo> {
    return (await this.http.call(C.pauseLoop, { params: { name }, body: reason !== undefined ? { reason } : {} })).loop;
  }

  async resume(name: string): Promise<LoopInfo> {
    return (await this.http.call(C.resumeLoop, { params: { name }, body: {} })).loop;
  }

  /** Starts a run by hand; while one is going, the trigger is recorded on it (`coalesced: true`). */
  async trigger(name: string, input: LoopTriggerInput = {}): Promise<LoopTriggerResult> {
    return this.http.call(C.triggerLoop, { params: { name }, body: input });
  }

  /** The loop's runs, newest first (default at most 100). */
  async runs(name: string, query: { max_results?: number } = {}): Promise<LoopRunInfo[]> {
    return (await this.http.call(C.listLoopRuns, { params: { name }, query: { max_results: query.max_results } })).loop_runs;
  }

  /** One run: its timeline of steps and the triggers coalesced into it. */
  async run(name: string, seq: number): Promise<LoopRunDetail> {
    return (await this.http.call(C.getLoopRun, { params: { name, seq } })).loop_run;
  }

  /** Approves (or, with `decision: 'reject'`, rejects) a run that awaits approval. */
  async approve(name: string, seq: number, opts: { decision?: 'approve' | 'reject'; reason?: string } = {}): Promise<LoopRunDetail> {
    const body = { decision: opts.decision ?? 'approve', ...(opts.reason !== undefined ? { reason: opts.reason } : {}) };
    return (await this.http.call(C.approveLoopRun, { params: { name, seq }, body })).loop_run;
  }

  /** Forces the candidate's promotion whatever the gate or judge said; the reason is required and recorded (admin). */
  async promote(name: string, seq: number, reason: string): Promise<LoopRunDetail> {
    return (await this.http.call(C.promoteLoopRun, { params: { name, seq }, body: { reason } })).loop_run;
  }

  /** Cancels a run: its job is cancelled and the deployment restored to the revision before the run. */
  async cancel(name: string, seq: number, reason?: string): Promise<LoopRunDetail> {
    return (await this.http.call(C.cancelLoopRun, { params: { name, seq }, body: reason !== undefined ? { reason } : {} })).loop_run;
  }

  /** The current rollout's verdict in Argo Rollouts' web metric shape (successCondition: result.ok). */
  verdict(name: string): Promise<LoopVerdict> {
    return this.http.call(C.getLoopVerdict, { params: { name } });
  }

  /**
   * Reads the run every `intervalMs` until it ends (or `signal` aborts), calling `onChange` with the steps and
   * coalesced triggers not seen before (the first call has all of them). Answers the run as last read.
   */
  async watch(
    name: string,
    seq: number,
    onChange: (news: { steps: LoopStep[]; triggers: LoopTriggerRecord[] }, run: LoopRunDetail) => void,
    opts: WatchLoopRunOptions = {},
  ): Promise<LoopRunDetail> {
    let lastStep = 0;
    let triggersSeen = 0;
    for (;;) {
      const run = await this.run(name, seq);
      const steps = run.steps.filter((s) => s.seq > lastStep);
      const triggers = run.triggers.slice(triggersSeen);
      lastStep = Math.max(lastStep, ...run.steps.map((s) => s.seq));
      triggersSeen = run.triggers.length;
      if (steps.length || triggers.length) onChange({ steps, triggers }, run);
      if (isTerminalLoopRun(run.state) || opts.signal?.aborted) return run;
      await wait(opts.intervalMs ?? 2000, opts.signal);
      if (opts.signal?.aborted) return run;
    }
  }
}
