/**
 * Advances loop runs, one action at a time, each under the run's lease (so two replicas never drive the same
 * run) and each recorded with compare-and-set on the run (so a person's approval and the driver never both
 * write the next step). An action that throws is retried at the next look; one that keeps failing ends the run
 * as failed with its error, after the deployment is put back.
 */
import { randomUUID } from 'node:crypto';
import type { Store } from '../store/index.js';
import { type Act, type DriverOptions, type Result, endWith } from './act.js';
import { awaitTraining, register, start, train } from './actions-training.js';
import { gate } from './actions-gate.js';
import { awaitCanary, awaitShadow, canary, promote, shadow } from './actions-rollout.js';
import { finish, terminal } from './actions-finish.js';
import * as repo from './loop-repo.js';
import type { LoopWorld } from './loop-world.js';
import { type LoadedRun, type NextAction, loadRun } from './run-context.js';

const ACTIONS: Record<NextAction, (a: Act) => Promise<Result>> = {
  start,
  train,
  await_training: awaitTraining,
  register,
  gate,
  shadow,
  await_shadow: awaitShadow,
  canary,
  await_canary: awaitCanary,
  promote,
  finish,
};

export interface LoopDriverOptions extends DriverOptions {
  store: Store;
  world: LoopWorld;
  leaseMs: number;
  tickMs: number;
  /** Failures of one action in a row before the run ends as failed. */
  maxErrors: number;
  log?: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
  /** Called after each tick (the trigger poller runs here). */
  beforeTick?: () => Promise<void>;
  clock?: () => number;
  /**
   * For the durability tests only (FERRY_LOOPS_CRASH=<action>:<before|after>): the process kills itself with
   * SIGKILL right before recording that action (its effects done, its step not written) or right after.
   */
  crashAt?: { action: NextAction; when: 'before' | 'after' };
}

export class LoopDriver {
  readonly owner = `loops-${randomUUID()}`;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  /** Errors in a row per run (in memory: after a restart a run gets its tries again). */
  private errors = new Map<string, number>();

  constructor(private readonly o: LoopDriverOptions) {}

  private now(): number {
    return (this.o.clock ?? Date.now)();
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Looks now (a trigger or an approval just made a run due). */
  poke(): void {
    if (this.stopped || this.running) return;
    this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.tick()
        .then(() => {})
        .catch((err: unknown) => this.o.log?.error({ err }, 'loop driver tick failed'))
        .finally(() => {
          this.running = null;
          this.schedule(this.o.tickMs);
        });
    }, ms);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One pass: triggers, then every due run one action further. Tests call it directly. */
  async tick(): Promise<number> {
    if (this.o.beforeTick) await this.o.beforeTick().catch((err: unknown) => this.o.log?.warn({ err }, 'loop triggers failed'));
    let acted = 0;
    for (const row of await repo.dueRuns(this.o.store.db, this.now(), 20)) {
      if (this.stopped) break;
      if (!(await repo.takeLease(this.o.store.db, row.id, this.owner, this.now(), this.o.leaseMs))) continue;
      try {
        // Several actions in a row while each is immediate (start → train …), under the one lease.
        for (let i = 0; i < 10 && !this.stopped; i++) {
          // The lease covers one action, not the whole chain: renewed before each, so a chain longer than the lease
          // never runs on while another replica, finding it expired, does the same action beside it.
          if (i > 0 && !(await repo.takeLease(this.o.store.db, row.id, this.owner, this.now(), this.o.leaseMs))) break;
          const fresh = await repo.runById(this.o.store.db, row.id);
          if (!fresh || fresh.ended_at !== null || fresh.lease_owner !== this.owner || fresh.wake_at > this.now()) break;
          acted++;
          // A heartbeat keeps the lease while the action runs (loading a model for a revision, scoring a gate can
          // outlast it): another replica never finds it expired and starts the same action beside this one.
          const beat = setInterval(
            () => {
              void repo.takeLease(this.o.store.db, row.id, this.owner, this.now(), this.o.leaseMs).catch(() => {});
            },
            Math.max(50, this.o.leaseMs / 3),
          );
          beat.unref();
          let more: boolean;
          try {
            more = await this.act(loadRun(fresh));
          } finally {
            clearInterval(beat);
          }
          if (!more) break;
        }
      } finally {
        await repo.releaseLease(this.o.store.db, row.id, this.owner);
      }
    }
    return acted;
  }

  /** One action; answers whether the run may go on at once. */
  private async act(run: LoadedRun): Promise<boolean> {
    const loop = await repo.findLoop(this.o.store.db, run.row.loop);
    if (!loop) return false;
    const a: Act = { run, loop, world: this.o.world, now: this.now(), options: { pollMs: this.o.pollMs } };
    let result: Result;
    try {
      result = await ACTIONS[run.ctx.next](a);
      this.errors.delete(run.row.id);
    } catch (err) {
      const n = (this.errors.get(run.row.id) ?? 0) + 1;
      this.errors.set(run.row.id, n);
      this.o.log?.warn({ err, loop: run.row.loop, seq: run.row.seq, action: run.ctx.next, attempt: n }, 'loop run action failed');
      if (n < this.o.maxErrors) {
        await repo.advance(this.o.store.db, run.row, [], { wake_at: a.now + this.o.pollMs * n, updated_at: a.now }, this.owner);
        return false;
      }
      this.errors.delete(run.row.id);
      // Putting things back keeps failing (the deployment or its baseline is gone): the run ends anyway, saying so.
      if (run.ctx.next === 'finish')
        result = terminal(a, {}, { restore_error: (err as Error).message }, `restoring what the run changed failed: ${(err as Error).message}`);
      else
        result = endWith(a, {
          state: 'failed',
          kind: 'failed',
          actor: 'loop',
          reason: `The ${run.ctx.next.replace('_', ' ')} step failed ${n} times; last error: ${(err as Error).message}`.replace(/\.?$/, '.'),
          evidence: { action: run.ctx.next, attempts: n, error: (err as Error).message },
        });
    }
    const wake = a.now + (result.wakeInMs ?? 0);
    // The hook marks a step boundary: a result that only records what to put back first is not one.
    const boundary = result.steps.length > 0 || result.state !== undefined;
    if (boundary) this.maybeCrash(run.ctx.next, 'before');
    const ok = await repo.advance(
      this.o.store.db,
      run.row,
      result.steps,
      {
        context: JSON.stringify(result.ctx),
        ...(result.state ? { state: result.state } : {}),
        ...(result.phase ? { phase: result.phase } : {}),
        ...(result.steps.length ? { reason: result.steps[result.steps.length - 1]!.reason } : {}),
        wake_at: wake,
        updated_at: a.now,
        ...result.patch,
      },
      this.owner,
    );
    if (ok && boundary) this.maybeCrash(run.ctx.next, 'after');
    return ok && (result.wakeInMs ?? 0) === 0;
  }

  private maybeCrash(action: NextAction, when: 'before' | 'after'): void {
    const c = this.o.crashAt;
    if (c && c.action === action && c.when === when) process.kill(process.pid, 'SIGKILL');
  }
}
