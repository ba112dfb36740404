/**
 * Prometheus gauges of the loops, read from the store when scraped (every replica answers the same numbers):
 * the last run's state and the judge's verdict as state sets (one series per value, 1 for the current one), the
 * primary metric's lift and interval and the step's margin, and ended runs by outcome. Names and labels:
 * docs/loops-interop.md.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import { JUDGE_VERDICTS, LOOP_RUN_STATES, TERMINAL_LOOP_RUN_STATES } from '../contract/loops.js';
import type { Store } from '../store/index.js';
import { type JudgedStepRow, endedRunCounts, judgedSteps, loopsWithLastRun } from './metrics-repo.js';

interface Primary {
  estimate?: number | null;
  lower?: number | null;
  upper?: number | null;
  margin?: number | null;
}

/** What a scrape shows of one loop. */
export interface LoopSnapshot {
  loop: string;
  seq: number | null;
  state: string | null;
  verdict: string | null;
  primary: Primary | null;
}

const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/** The verdict as getLoopVerdict reads it (the last judged step, else the ending), and the last primary evidence. */
function judged(state: string, steps: JudgedStepRow[]): { verdict: string | null; primary: Primary | null } {
  let verdict: string | null = null;
  let primary: Primary | null = null;
  const last = steps[steps.length - 1];
  for (const s of steps) {
    const ev = JSON.parse(s.evidence) as Record<string, unknown>;
    if (ev['primary'] && typeof ev['primary'] === 'object') primary = ev['primary'] as Primary;
    if (s === last) verdict = typeof ev['verdict'] === 'string' ? ev['verdict'] : null;
  }
  verdict ??= state === 'promoted' ? 'pass' : state === 'rolled_back' ? 'fail' : null;
  return { verdict: verdict && (JUDGE_VERDICTS as readonly string[]).includes(verdict) ? verdict : null, primary };
}

/** Every loop's snapshot, in three queries (four with the run counts the counter reads). */
export async function loopSnapshots(store: Store): Promise<LoopSnapshot[]> {
  const loops = await loopsWithLastRun(store.db);
  const steps = await judgedSteps(
    store.db,
    loops.flatMap((l) => (l.run ? [l.run.id] : [])),
  );
  const byRun = new Map<string, JudgedStepRow[]>();
  for (const s of steps) byRun.set(s.run_id, [...(byRun.get(s.run_id) ?? []), s]);
  return loops.map(({ name, run }) => {
    if (!run) return { loop: name, seq: null, state: null, verdict: null, primary: null };
    return { loop: name, seq: run.seq, state: run.state, ...judged(run.state, byRun.get(run.id) ?? []) };
  });
}

export function loopMetrics(registry: Registry, store: Store): void {
  // One read per scrape, shared by the gauges (a scrape starts every collect at once).
  let pending: Promise<LoopSnapshot[]> | null = null;
  const snapshots = (): Promise<LoopSnapshot[]> => {
    pending ??= loopSnapshots(store).finally(() => {
      pending = null;
    });
    return pending;
  };
  const registers = [registry];
  new Gauge({
    name: 'ferry_loop_run',
    help: "The sequence number of the loop's current or last run (absent: the loop has not run)",
    labelNames: ['loop'],
    registers,
    async collect() {
      this.reset();
      for (const s of await snapshots()) if (s.seq !== null) this.set({ loop: s.loop }, s.seq);
    },
  });
  new Gauge({
    name: 'ferry_loop_run_state',
    help: "The state of the loop's current or last run: 1 for its state, 0 for the others",
    labelNames: ['loop', 'state'],
    registers,
    async collect() {
      this.reset();
      for (const s of await snapshots()) {
        if (s.state === null) continue;
        for (const st of LOOP_RUN_STATES) this.set({ loop: s.loop, state: st }, st === s.state ? 1 : 0);
      }
    },
  });
  new Gauge({
    name: 'ferry_loop_verdict',
    help: "The judge's last verdict on the loop's current or last run: 1 for it, 0 for the others (all 0: none yet)",
    labelNames: ['loop', 'verdict'],
    registers,
    async collect() {
      this.reset();
      for (const s of await snapshots()) {
        if (s.state === null) continue;
        for (const v of JUDGE_VERDICTS) this.set({ loop: s.loop, verdict: v }, v === s.verdict ? 1 : 0);
      }
    },
  });
  const primaryGauge = (name: string, help: string, pick: (p: Primary) => unknown) =>
    new Gauge({
      name,
      help,
      labelNames: ['loop'],
      registers,
      async collect() {
        this.reset();
        for (const s of await snapshots()) {
          const v = s.primary ? pick(s.primary) : null;
          // Absent rather than NaN when the judge has no number yet.
          if (finite(v)) this.set({ loop: s.loop }, v);
        }
      },
    });
  primaryGauge('ferry_loop_primary_lift', "The primary metric's estimated effect of candidate over champion (the judge's last reading)", (p) => p.estimate);
  primaryGauge('ferry_loop_primary_lift_lower', "The lower bound of the primary metric's interval", (p) => p.lower);
  primaryGauge('ferry_loop_primary_lift_upper', "The upper bound of the primary metric's interval", (p) => p.upper);
  primaryGauge('ferry_loop_margin', "The margin the primary metric's interval must clear at the judged step", (p) => p.margin);
  new Counter({
    name: 'ferry_loop_runs_total',
    help: 'Loop runs ended, by outcome (counted in the store)',
    labelNames: ['loop', 'outcome'],
    registers,
    async collect() {
      this.reset();
      const counts = await endedRunCounts(store.db);
      const loops = new Set((await snapshots()).map((s) => s.loop));
      for (const c of counts) loops.add(c.loop);
      for (const loop of loops)
        for (const outcome of TERMINAL_LOOP_RUN_STATES) this.inc({ loop, outcome }, counts.find((c) => c.loop === loop && c.state === outcome)?.n ?? 0);
    },
  });
}
