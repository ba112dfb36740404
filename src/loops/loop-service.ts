/**
 * Loops and their runs as the API sees them: create and change loops, trigger, approve, force, cancel, read
 * the timeline. The driver (loop-driver.ts) does the work; a person's act here is a step on the run, written by
 * compare-and-set so it never races the driver.
 */
import { randomUUID } from 'node:crypto';
import type { Static } from '@sinclair/typebox';
import type { Principal } from '../api-route.js';
import type * as C from '../contract/loops.js';
import { AlreadyExistsError, InvalidParameterError, InvalidStateError, NotFoundError, PermissionDeniedError } from '../errors.js';
import type { JobService } from '../jobs/index.js';
import type { LoopRunTable, LoopTable, Store } from '../store/index.js';
import { isUniqueViolation } from '../store/index.js';
import { pointWords } from './act.js';
import * as repo from './loop-repo.js';
import { type LoopCreateInput, type LoopSpec, type LoopUpdateInput, parseLoopSpec } from './loop-spec.js';
import { type LoopInfo, type LoopRunDetail, type LoopRunInfo, loopInfo, runDetail, runInfo } from './loop-view.js';
import type { LoopWorld } from './loop-world.js';
import { type RunContext, loadRun, step } from './run-context.js';
import { type Cursors, type Triggers, initialCursors } from './triggers.js';

export type LoopVerdict = Static<typeof C.LoopVerdict>;

/** How long a person's act holds a run (released at once; only a crash in between lets it run out). */
const ACT_LEASE_MS = 10_000;

export interface LoopServiceDeps {
  store: Store;
  world: LoopWorld;
  jobs: JobService;
  triggers: Triggers;
  /** A run became due (the driver looks at once). */
  poke: () => void;
  clock?: () => number;
}

export class LoopService {
  constructor(private readonly d: LoopServiceDeps) {}

  private now(): number {
    return (this.d.clock ?? Date.now)();
  }

  private async loopRow(name: string): Promise<LoopTable> {
    const l = await repo.findLoop(this.d.store.db, name);
    if (!l) throw new NotFoundError(`Loop '${name}' does not exist.`);
    return l;
  }

  private async runRow(name: string, seq: number): Promise<LoopRunTable> {
    await this.loopRow(name);
    const r = await repo.findRun(this.d.store.db, name, seq);
    if (!r) throw new NotFoundError(`Loop '${name}' has no run ${seq}.`);
    return r;
  }

  /** What the spec names must exist now: a loop that cannot run is refused at the door, naming the field. */
  private async checkReferences(model: string, deployment: string, spec: LoopSpec): Promise<void> {
    const w = this.d.world;
    if (!(await w.deploymentExists(deployment))) throw new InvalidParameterError('deployment', `Deployment '${deployment}' does not exist.`);
    const d = await w.deployment(deployment);
    if (!d.spec.routes.some((r) => r.model === model))
      throw new InvalidParameterError(
        'deployment',
        `Deployment '${deployment}' serves no version of model '${model}' (it serves ${[...new Set(d.spec.routes.map((r) => r.model))].join(', ')}).`,
      );
    const t = spec.training;
    if (t?.project)
      await this.d.jobs.getProject(t.project).catch(() => {
        throw new InvalidParameterError('training.project', `No stored project '${t.project}'; upload it first (POST /api/v1/jobs/projects).`);
      });
    const version = async (dataset: string, ref: string | undefined, field: string) => {
      if ((await w.latestDatasetVersion(dataset)) === null) throw new InvalidParameterError(`${field}.dataset`, `Dataset '${dataset}' does not exist.`);
      return w.d.datasets.resolve(dataset, ref, `${field}.version`).catch((err: unknown) => {
        throw new InvalidParameterError(`${field}.version`, `${field}.version: ${(err as Error).message}`);
      });
    };
    if (t?.data) await version(t.data.dataset, t.data.version, 'training.data');
    if (spec.gate.holdout) {
      const h = await version(spec.gate.holdout.dataset, spec.gate.holdout.version, 'gate.holdout');
      // A fairness feature must be a column of the holdout (checked again on the version the gate reads).
      const columns = new Set(((JSON.parse(h.schema) as { columns?: { name: string }[] }).columns ?? []).map((c) => c.name));
      (spec.gate.fairness ?? []).forEach((f, i) => {
        if (!columns.has(f.feature))
          throw new InvalidParameterError(
            `gate.fairness[${i}].feature`,
            `gate.fairness[${i}].feature: '${f.feature}' is not a column of ${spec.gate.holdout!.dataset} version ${h.version}.`,
          );
      });
    }
    for (const [i, tr] of spec.triggers.entries())
      if (tr.kind === 'dataset' && (await w.latestDatasetVersion(tr.dataset!)) === null)
        throw new InvalidParameterError(`triggers[${i}].dataset`, `Dataset '${tr.dataset}' does not exist.`);
  }

  async create(input: LoopCreateInput, by: string): Promise<LoopInfo> {
    const now = this.now();
    const spec = parseLoopSpec(input, now);
    if (!(await this.d.world.modelExists(input.model))) throw new InvalidParameterError('model', `Registered model '${input.model}' does not exist.`);
    await this.checkReferences(input.model, input.deployment, spec);
    if (await repo.findLoop(this.d.store.db, input.name)) throw new AlreadyExistsError(`Loop '${input.name}' already exists.`);
    const row: LoopTable = {
      name: input.name,
      model: input.model,
      deployment: input.deployment,
      description: input.description ?? null,
      state: 'active',
      spec: JSON.stringify(spec),
      cursors: JSON.stringify(await initialCursors(this.d.world, { deployment: input.deployment, model: input.model, spec }, now)),
      next_seq: 1,
      created_at: now,
      created_by: by,
      updated_at: now,
    };
    try {
      await repo.insertLoop(this.d.store.db, row);
    } catch (err) {
      if (isUniqueViolation(err)) throw new AlreadyExistsError(`Loop '${input.name}' already exists.`);
      throw err;
    }
    return loopInfo(row, undefined);
  }

  async list(f: { deployment?: string | undefined; model?: string | undefined }): Promise<LoopInfo[]> {
    const rows = await repo.listLoops(this.d.store.db, f);
    return Promise.all(rows.map(async (l) => loopInfo(l, await repo.lastRun(this.d.store.db, l.name))));
  }

  async get(name: string): Promise<LoopInfo> {
    const l = await this.loopRow(name);
    return loopInfo(l, await repo.lastRun(this.d.store.db, name));
  }

  async update(name: string, input: LoopUpdateInput): Promise<LoopInfo> {
    const l = await this.loopRow(name);
    const now = this.now();
    const spec = parseLoopSpec(input, now);
    await this.checkReferences(l.model, l.deployment, spec);
    // Triggers new to the spec start from now (an old alert must not fire a new trigger).
    // Cursors already kept stay (what the triggers have seen so far); a new dataset trigger starts from now.
    const old = JSON.parse(l.cursors) as Cursors;
    const fresh = await initialCursors(this.d.world, { deployment: l.deployment, model: l.model, spec }, now);
    const cursors: Cursors = { ...fresh, ...old, datasets: { ...fresh.datasets, ...old.datasets } };
    await repo.updateLoop(this.d.store.db, name, {
      spec: JSON.stringify(spec),
      description: input.description ?? l.description,
      cursors: JSON.stringify(cursors),
      updated_at: now,
    });
    return this.get(name);
  }

  async setState(name: string, state: 'active' | 'paused'): Promise<LoopInfo> {
    await this.loopRow(name);
    await repo.updateLoop(this.d.store.db, name, { state, updated_at: this.now() });
    return this.get(name);
  }

  async trigger(
    name: string,
    body: { reason?: string | undefined; candidate_version?: string | undefined; dry_run?: boolean | undefined },
    who: Principal,
  ): Promise<{ loop_run: LoopRunInfo; coalesced: boolean }> {
    const l = await this.loopRow(name);
    if (body.candidate_version !== undefined && !(await this.d.world.versionExists(l.model, body.candidate_version)))
      throw new InvalidParameterError('candidate_version', `Model '${l.model}' has no version ${body.candidate_version}.`);
    const detail = `Triggered by hand by ${who.name}${body.reason ? `: ${body.reason}` : ''}${body.candidate_version ? ` (judging version ${body.candidate_version})` : ''}`;
    const fired = await this.d.triggers.fire(l, {
      kind: 'manual',
      actor: who.name,
      detail,
      candidate: body.candidate_version ?? null,
      ...(body.dry_run !== undefined ? { dryRun: body.dry_run } : {}),
    });
    return { loop_run: runInfo(fired.run!), coalesced: fired.coalesced };
  }

  async runs(name: string, limit: number): Promise<LoopRunInfo[]> {
    await this.loopRow(name);
    return (await repo.listRuns(this.d.store.db, name, limit)).map(runInfo);
  }

  async run(name: string, seq: number): Promise<LoopRunDetail> {
    const r = await this.runRow(name, seq);
    return runDetail(r, await repo.stepsOf(this.d.store.db, r.id), await repo.triggersOf(this.d.store.db, r.id));
  }

  /** A person's act on a run: re-read and retried if the driver wrote a step meanwhile. */
  private async act(
    name: string,
    seq: number,
    make: (r: LoopRunTable, ctx: RunContext) => { steps: ReturnType<typeof step>[]; ctx: RunContext; patch?: Partial<LoopRunTable> },
  ): Promise<LoopRunDetail> {
    // The act is written under the run's lease, as the driver writes: an act with no step of its own (a cancel,
    // a reject) leaves next_step as it was, so without the lease a driver action under way would overwrite it.
    const owner = `act-${randomUUID()}`;
    for (let attempt = 0; attempt < 50; attempt++) {
      const row = await this.runRow(name, seq);
      make(row, loadRun(row).ctx); // its refusals (ended, not awaiting) answer at once, whoever holds the lease
      if (!(await repo.takeLease(this.d.store.db, row.id, owner, this.now(), ACT_LEASE_MS))) {
        await new Promise((res) => setTimeout(res, 100));
        continue;
      }
      let ok = false;
      try {
        const r = await this.runRow(name, seq);
        const m = make(r, loadRun(r).ctx);
        ok = await repo.advance(
          this.d.store.db,
          r,
          m.steps,
          {
            context: JSON.stringify(m.ctx),
            updated_at: this.now(),
            wake_at: this.now(),
            ...(m.steps.length ? { reason: m.steps[m.steps.length - 1]!.reason } : {}),
            ...m.patch,
          },
          owner,
        );
      } finally {
        await repo.releaseLease(this.d.store.db, row.id, owner);
      }
      if (ok) {
        this.d.poke();
        return this.run(name, seq);
      }
    }
    throw new InvalidStateError(`Loop '${name}' run ${seq} keeps changing; try again.`);
  }

  async approve(name: string, seq: number, decision: 'approve' | 'reject', reason: string | undefined, who: Principal): Promise<LoopRunDetail> {
    return this.act(name, seq, (r, ctx) => {
      if (r.state !== 'awaiting_approval' || !ctx.awaiting)
        throw new InvalidStateError(`Loop '${name}' run ${seq} is ${r.state.replace('_', ' ')}, not awaiting approval.`);
      const spec = JSON.parse(r.spec) as LoopSpec;
      const at = ctx.awaiting.at;
      const rule = at === 'judge' ? null : spec.approvals.find((p) => p.at === at);
      if ((rule?.distinct_from_author ?? at === 'judge') && who.name === r.author)
        throw new PermissionDeniedError(`The loop's policy asks for an approver other than the run's author (${r.author}).`);
      const where = at === 'judge' ? "on the judge's open verdict" : pointWords(at);
      const because = reason ? `: ${reason}` : '';
      if (decision === 'reject')
        return {
          steps: [],
          ctx: {
            ...ctx,
            awaiting: null,
            next: 'finish',
            ending: { state: 'rejected', kind: 'rejected', actor: who.name, reason: `Rejected by ${who.name} ${where}${because}.`, evidence: { point: at } },
          },
          patch: { state: 'running' },
        };
      return {
        steps: [step('approved', 'passed', `Approved by ${who.name} ${where}${because}.`, { actor: who.name, evidence: { point: at, author: r.author } })],
        ctx: { ...ctx, awaiting: null, approved: at === 'judge' ? ctx.approved : [...ctx.approved, at] },
        patch: { state: 'running' },
      };
    });
  }

  async forcePromote(name: string, seq: number, reason: string, who: Principal): Promise<LoopRunDetail> {
    return this.act(name, seq, (r, ctx) => {
      refuseEnded(r, name, seq);
      if (Number(r.dry_run) === 1) throw new InvalidStateError(`Loop '${name}' run ${seq} is a dry run: it never promotes.`);
      if (r.candidate_version === null) throw new InvalidStateError(`Loop '${name}' run ${seq} has no candidate version yet (it is at ${r.phase}).`);
      return {
        steps: [
          step('approved', 'info', `${who.name} forced the promotion of version ${r.candidate_version}: ${reason}.`.replace(/\.\.$/, '.'), {
            actor: who.name,
            evidence: { forced: true, reason },
          }),
        ],
        ctx: { ...ctx, awaiting: null, next: 'promote', forced: { by: who.name, reason } },
        patch: { state: 'running' },
      };
    });
  }

  async cancel(name: string, seq: number, reason: string | undefined, who: Principal): Promise<LoopRunDetail> {
    return this.act(name, seq, (r, ctx) => {
      refuseEnded(r, name, seq);
      return {
        steps: [],
        ctx: {
          ...ctx,
          awaiting: null,
          next: 'finish',
          ending: { state: 'cancelled', kind: 'cancelled', actor: who.name, reason: `Cancelled by ${who.name}${reason ? `: ${reason}` : ''}.`, evidence: {} },
        },
        patch: { state: 'running' },
      };
    });
  }

  /** The last run's rollout verdict in Argo Rollouts' web-metric shape. */
  async verdict(name: string): Promise<LoopVerdict> {
    await this.loopRow(name);
    const r = await repo.lastRun(this.d.store.db, name);
    if (!r)
      return {
        ok: false,
        inconclusive: true,
        verdict: null,
        lift: null,
        interval: null,
        loop_run: null,
        phase: null,
        reason: `Loop '${name}' has not run yet.`,
      };
    const steps = await repo.stepsOf(this.d.store.db, r.id);
    // While a step holds, the judge's latest look is newer than any recorded step.
    const live = r.ended_at === null ? loadRun(r).ctx.judgement : null;
    if (live) {
      const p = (live.primary ?? null) as { estimate?: number | null; lower?: number | null; upper?: number | null } | null;
      return {
        ok: live.verdict === 'pass',
        inconclusive: live.verdict !== 'pass' && live.verdict !== 'fail',
        verdict: live.verdict as LoopVerdict['verdict'],
        lift: p?.estimate ?? null,
        interval: p ? [p.lower ?? null, p.upper ?? null] : null,
        loop_run: Number(r.seq),
        phase: r.phase as LoopVerdict['phase'],
        reason: live.reason,
      };
    }
    const judged = [...steps].reverse().find((s) => s.kind === 'canary' || s.kind === 'shadow' || s.kind === 'promoted' || s.kind === 'rolled_back');
    const ev = judged ? (JSON.parse(judged.evidence) as Record<string, unknown>) : {};
    const primary = (ev['primary'] ?? null) as { estimate?: number | null; lower?: number | null; upper?: number | null } | null;
    const verdict = (ev['verdict'] ?? (r.state === 'promoted' ? 'pass' : r.state === 'rolled_back' ? 'fail' : null)) as LoopVerdict['verdict'];
    const ok = r.state === 'promoted' || (judged?.status === 'passed' && r.ended_at === null);
    const failed = verdict === 'fail' || ['rolled_back', 'rejected', 'failed', 'cancelled'].includes(r.state);
    return {
      ok,
      inconclusive: !ok && !failed,
      verdict,
      lift: primary?.estimate ?? null,
      interval: primary ? [primary.lower ?? null, primary.upper ?? null] : null,
      loop_run: Number(r.seq),
      phase: r.phase as LoopVerdict['phase'],
      reason: judged?.reason ?? r.reason ?? `Loop '${name}' run ${r.seq} is at ${r.phase}.`,
    };
  }
}

function refuseEnded(r: LoopRunTable, name: string, seq: number): void {
  if (r.ended_at !== null) throw new InvalidStateError(`Loop '${name}' run ${seq} has ended (${r.state.replace('_', ' ')}).`);
}
