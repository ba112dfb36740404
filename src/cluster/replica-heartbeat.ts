/**
 * This replica's heartbeat: every period it writes who it is, whether it is draining, and its serving counters,
 * so any replica can list the cluster and sum its traffic. A graceful stop deletes the row; a crashed replica's row
 * goes quiet (not live after three periods) and is forgotten after an hour.
 */
import { hostname } from 'node:os';
import type { Kysely } from 'kysely';
import type { Registry } from 'prom-client';
import type { Database } from '../store/index.js';
import { deleteReplica, forgetReplicas, upsertReplica } from './replica-repo.js';
import { ownTraffic } from './traffic-samples.js';

const FORGET_AFTER_MS = 3_600_000;

export class ReplicaHeartbeat {
  state: 'serving' | 'draining' = 'serving';
  url: string | null = null;
  private timer: NodeJS.Timeout | undefined;
  private readonly startedAt: number;
  private beating: Promise<void> = Promise.resolve();
  /** A beat waiting behind the one in flight (at most one: a store that hangs does not pile them up). */
  private queued: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly db: Kysely<Database>,
    readonly id: string,
    private readonly registry: Registry,
    private readonly version: string,
    readonly periodMs: number,
    private readonly onError: (err: unknown) => void,
    private readonly clock: () => number = Date.now,
  ) {
    this.startedAt = clock();
  }

  start(): void {
    if (this.timer) return;
    void this.beat();
    this.timer = setInterval(() => void this.beat(), this.periodMs);
    this.timer.unref();
  }

  /** Writes the row now (one write at a time; errors go to onError: a heartbeat never throws). */
  beat(): Promise<void> {
    if (this.stopped) return this.beating;
    if (this.queued) return this.queued;
    const next = this.beating.then(async () => {
      this.queued = null;
      if (this.stopped) return;
      try {
        const now = this.clock();
        const traffic = JSON.stringify(await ownTraffic(this.registry));
        await upsertReplica(this.db, {
          id: this.id,
          host: hostname(),
          pid: process.pid,
          url: this.url,
          version: this.version,
          started_at: this.startedAt,
          seen_at: now,
          state: this.state,
          traffic,
        });
        await forgetReplicas(this.db, now - FORGET_AFTER_MS);
      } catch (err) {
        this.onError(err);
      }
    });
    this.queued = next;
    this.beating = next;
    return next;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.timer = undefined;
    await this.beating;
    await deleteReplica(this.db, this.id).catch(this.onError);
  }
}
