/**
 * Once-per-cluster tasks. Every replica ticks; a tick runs the task only on the replica holding the task's lease
 * (taken by compare-and-set, renewed by running, handed back on a graceful stop). A lease outlives a few missed
 * ticks, so a slow tick does not hand the task over; a crashed holder's lease expires and the next tick elsewhere
 * takes it.
 */
import type { Kysely } from 'kysely';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Database } from '../store/index.js';
import { releaseLeases, takeLease } from './lease-repo.js';

/** How long a lease lasts past a tick: several intervals, and never less than this. */
const MIN_TTL_MS = 10_000;
export const leaseTtl = (intervalMs: number, minMs = MIN_TTL_MS) => Math.max(minMs, Math.round(intervalMs * 2.5));

/** What the capabilities are given: run `fn` now if this replica is the cluster's runner of `task`. */
export type RunOnce = (task: string, intervalMs: number, fn: () => Promise<void>) => Promise<boolean>;

export class ClusterTasks {
  private readonly runs: Counter<'task'>;
  private readonly held: Gauge<'task'>;
  private readonly holding = new Set<string>();
  private readonly inflight = new Set<Promise<unknown>>();
  private stopped = false;

  constructor(
    private readonly db: Kysely<Database>,
    readonly replicaId: string,
    registry: Registry,
    private readonly clock: () => number = Date.now,
    /** The shortest lease (tests shorten it). */
    private readonly minTtlMs = MIN_TTL_MS,
  ) {
    this.runs = new Counter({
      name: 'ferry_cluster_task_runs_total',
      help: 'Once-per-cluster task runs by this replica',
      labelNames: ['task'],
      registers: [registry],
    });
    this.held = new Gauge({ name: 'ferry_cluster_lease_held', help: '1 while this replica holds the task lease', labelNames: ['task'], registers: [registry] });
  }

  readonly runOnce: RunOnce = async (task, intervalMs, fn) => {
    if (this.stopped) return false;
    const ttl = leaseTtl(intervalMs, this.minTtlMs);
    const mine = await takeLease(this.db, task, this.replicaId, ttl, this.clock());
    this.held.set({ task }, mine ? 1 : 0);
    if (!mine) {
      this.holding.delete(task);
      return false;
    }
    this.holding.add(task);
    this.runs.inc({ task });
    // A run longer than the lease keeps it: renewed while it runs, so no other replica starts the task meanwhile.
    const renew = setInterval(() => void takeLease(this.db, task, this.replicaId, ttl, this.clock()).catch(() => {}), Math.max(50, Math.floor(ttl / 3)));
    renew.unref();
    const run = fn();
    this.inflight.add(run);
    try {
      await run;
    } finally {
      clearInterval(renew);
      this.inflight.delete(run);
    }
    return true;
  };

  /** Tasks this replica ran last (for the status answer). */
  heldTasks(): string[] {
    return [...this.holding].sort();
  }

  /** A graceful stop: no more runs here, and the leases go back so another replica takes over at its next tick. */
  async release(): Promise<void> {
    this.stopped = true;
    // A run in progress keeps its lease to the end: handing it back earlier would let another replica start it too.
    await Promise.allSettled([...this.inflight]);
    for (const task of this.holding) this.held.set({ task }, 0);
    this.holding.clear();
    await releaseLeases(this.db, this.replicaId);
  }
}
