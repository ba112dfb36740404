/**
 * Triggers: how a loop run starts. Every trigger is recorded; it starts a run unless one is going (or one started
 * within the debounce), in which case it is recorded as coalesced into that run. The automatic kinds are polled
 * from the store — alert history, feedback, dataset versions, registry versions, the clock — each from a cursor
 * kept on the loop, so a restart or a second replica neither misses nor repeats one.
 */
import { randomUUID } from 'node:crypto';
import { Cron } from 'croner';
import type { Store } from '../store/index.js';
import type { LoopRunTable, LoopTable } from '../store/index.js';
import { InvalidStateError } from '../errors.js';
import * as repo from './loop-repo.js';
import { type LoopSpec, ms } from './loop-spec.js';
import type { LoopWorld } from './loop-world.js';
import { newContext, step } from './run-context.js';

export type TriggerKind = LoopSpec['triggers'][number]['kind'] | 'manual';

export interface Fired {
  kind: TriggerKind;
  actor: string;
  detail: string;
  /** A version to judge instead of training one (a registry event, a manual trigger that names one). */
  candidate?: string | null;
  dryRun?: boolean;
}

/** What each automatic trigger has already seen. */
export interface Cursors {
  alert: number;
  schedule: number;
  labels: number;
  registry: number;
  datasets: Record<string, number>;
}

export async function initialCursors(world: LoopWorld, loop: { deployment: string; model: string; spec: LoopSpec }, now: number): Promise<Cursors> {
  const firings = await world.firings(loop.deployment, undefined, 0);
  const versions = await world.versions(loop.model).catch(() => []);
  const datasets: Record<string, number> = {};
  for (const t of loop.spec.triggers) if (t.kind === 'dataset') datasets[t.dataset!] = (await world.latestDatasetVersion(t.dataset!)) ?? 0;
  return {
    alert: firings.reduce((m, f) => Math.max(m, f.id), 0),
    schedule: now,
    labels: now,
    registry: versions.reduce((m, v) => Math.max(m, Number(v.version)), 0),
    datasets,
  };
}

export class Triggers {
  private lastPoll = 0;

  constructor(
    private readonly store: Store,
    private readonly world: LoopWorld,
    private readonly pollMs: number,
    private readonly onRun: () => void,
    private readonly clock: () => number = Date.now,
    private readonly onError?: (err: unknown, loop: string) => void,
  ) {}

  /**
   * Records a trigger and starts a run unless one is going. Manual triggers skip the debounce; on a paused loop
   * they are refused, while automatic ones are recorded without a run.
   */
  async fire(loop: LoopTable, f: Fired): Promise<{ run: LoopRunTable | null; coalesced: boolean }> {
    const now = this.clock();
    const spec = JSON.parse(loop.spec) as LoopSpec;
    const base = { id: randomUUID(), loop: loop.name, kind: f.kind, actor: f.actor, detail: f.detail, at: now };
    if (loop.state === 'paused') {
      if (f.kind === 'manual') throw new InvalidStateError(`Loop '${loop.name}' is paused; resume it to start a run.`);
      await repo.insertTrigger(this.store.db, { ...base, run_id: null, coalesced: 0 });
      return { run: null, coalesced: false };
    }
    for (let attempt = 0; attempt < 3; attempt++) {
      const going = await repo.activeRun(this.store.db, loop.name);
      const last = going ?? (await repo.lastRun(this.store.db, loop.name));
      const debounced = f.kind !== 'manual' && last !== undefined && now - last.started_at < ms(spec.debounce, 'debounce');
      if (going || (debounced && last)) {
        const into = (going ?? last)!;
        await repo.insertTrigger(this.store.db, { ...base, run_id: into.id, coalesced: 1 });
        return { run: into, coalesced: true };
      }
      const other = await repo.activeRunOn(this.store.db, loop.deployment);
      if (other) {
        const why = `loop ${other.loop}'s run ${other.seq} is rolling out on ${loop.deployment}: one run at a time per deployment`;
        if (f.kind === 'manual') throw new InvalidStateError(`Loop '${loop.name}': ${why}.`);
        await repo.insertTrigger(this.store.db, { ...base, detail: `${f.detail} (no run: ${why})`, run_id: null, coalesced: 0 });
        return { run: null, coalesced: false };
      }
      const dryRun = f.dryRun ?? spec.dry_run;
      const run: LoopRunTable = {
        id: randomUUID(),
        loop: loop.name,
        seq: 0,
        state: 'running',
        phase: 'triggered',
        dry_run: dryRun ? 1 : 0,
        author: f.actor,
        trigger: f.kind,
        spec: JSON.stringify({ ...spec, dry_run: dryRun }),
        context: JSON.stringify(newContext(f.candidate ?? null)),
        candidate_version: null,
        champion_version: null,
        promotion_key: null,
        lease_owner: null,
        lease_until: null,
        wake_at: now,
        started_at: now,
        updated_at: now,
        ended_at: null,
        reason: null,
        next_step: 1,
      };
      const first = step('triggered', 'info', `${f.detail}${dryRun ? ' (a dry run: nothing will be changed)' : ''}`.replace(/\.?$/, '.'), {
        actor: f.actor,
        at: now,
        evidence: { kind: f.kind, ...(f.candidate ? { candidate_version: f.candidate } : {}), dry_run: dryRun },
      });
      run.reason = first.reason;
      if (await repo.insertRun(this.store, run, [first], { ...base, coalesced: 0 })) {
        this.onRun();
        return { run: (await repo.runById(this.store.db, run.id))!, coalesced: false };
      }
    }
    throw new InvalidStateError(`Loop '${loop.name}': another trigger is starting a run at this moment; try again.`);
  }

  /** Looks at every loop's automatic triggers (at most every pollMs); a paused loop's are recorded without a run. */
  async poll(force = false): Promise<void> {
    const now = this.clock();
    if (!force && now - this.lastPoll < this.pollMs) return;
    this.lastPoll = now;
    for (const loop of await repo.listLoops(this.store.db, {}))
      // One loop's failure (a model gone, a store blip) must not keep the others' triggers from being looked at.
      await this.pollLoop(loop, now).catch((err: unknown) => this.onError?.(err, loop.name));
  }

  private async pollLoop(loop: LoopTable, now: number): Promise<void> {
    const spec = JSON.parse(loop.spec) as LoopSpec;
    if (spec.triggers.length === 0) return;
    const c = JSON.parse(loop.cursors) as Cursors;
    // Every alert trigger reads from where the last poll stopped (one moving the cursor must not hide another's).
    const alertAfter = c.alert;
    const fired: Fired[] = [];
    for (const t of spec.triggers) {
      if (t.kind === 'alert') {
        const f = await this.world.firings(loop.deployment, t.rule, alertAfter);
        for (const x of f) c.alert = Math.max(c.alert, x.id);
        const first = f[0];
        if (first)
          fired.push({
            kind: 'alert',
            actor: `alert:${first.rule}`,
            detail: `Alert rule ${first.rule} fired on ${loop.deployment}${first.value !== null ? ` (value ${Number(first.value.toPrecision(4))})` : ''}`,
          });
      } else if (t.kind === 'schedule') {
        const next = new Cron(t.cron!, { paused: true, ...(t.timezone ? { timezone: t.timezone } : {}) }).nextRun(new Date(c.schedule));
        if (next && next.getTime() <= now) {
          c.schedule = now;
          fired.push({ kind: 'schedule', actor: 'schedule', detail: `The schedule '${t.cron}' came due at ${next.toISOString()}` });
        }
      } else if (t.kind === 'labels') {
        const n = await this.world.labelCount(loop.deployment, c.labels, now, t.min_labels!);
        if (n >= t.min_labels!) {
          c.labels = now;
          fired.push({
            kind: 'labels',
            actor: 'labels',
            detail: `${n} new labels arrived for ${loop.deployment}'s predictions (the trigger asks for ${t.min_labels})`,
          });
        }
      } else if (t.kind === 'dataset') {
        const latest = await this.world.latestDatasetVersion(t.dataset!);
        const seen = c.datasets[t.dataset!] ?? 0;
        if (latest !== null && latest > seen) {
          c.datasets[t.dataset!] = latest;
          fired.push({ kind: 'dataset', actor: 'dataset', detail: `Dataset ${t.dataset} has a new version, v${latest}` });
        }
      } else if (t.kind === 'registry') {
        const own = await repo.candidatesOf(this.store.db, loop.name);
        const fresh = (await this.world.versions(loop.model)).filter((v) => Number(v.version) > c.registry);
        for (const v of fresh) c.registry = Math.max(c.registry, Number(v.version));
        // The loop's own training registers versions too: those are already its runs' candidates.
        const jobs = await repo.trainingRunsOf(this.store.db, loop.name);
        const theirs = fresh.filter((v) => !own.has(v.version) && !(v.run_id !== null && jobs.has(v.run_id)));
        const newest = theirs[0];
        if (newest)
          fired.push({
            kind: 'registry',
            actor: newest.user_id || 'registry',
            detail: `Version ${newest.version} of ${loop.model} was registered${newest.user_id ? ` by ${newest.user_id}` : ''}`,
            candidate: newest.version,
          });
      }
    }
    if (fired.length === 0 && loop.cursors === JSON.stringify(c)) return;
    // Compare-and-set: a replica polling at the same moment records the triggers once, and a stale write never moves
    // a cursor back.
    if (!(await repo.updateCursors(this.store.db, loop.name, loop.cursors, JSON.stringify(c)))) return;
    for (const f of fired) await this.fire({ ...loop, cursors: JSON.stringify(c) }, f);
  }
}
