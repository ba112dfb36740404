/**
 * Step 4: replayed traffic. Applicants from the training table are sent to the deployment's records endpoint
 * in small requests (4 rows every 50 ms), in real time, so the monitoring sees them arrive window by window.
 * For the first half of the replay (the first two monitoring windows, see startOfWindow) they look like the
 * training data; from then on a growing share, and after 60% all of them, come from a "new channel": younger,
 * higher incomes (×1.6), more debt, shorter employment, more renters and more business loans. The outcomes (the table's `default` column) come back as feedback labels
 * for 85% of the rows, so live accuracy has numbers — and falls, since the old outcomes no longer fit.
 */
import type { FeedbackItem, FerryClient } from '../../sdk/index.js';
import { type CreditRow, DEMO, inputsOf, seededRandom, sleep } from './assets.js';

const INTERVAL_MS = 50;
const ROWS_PER_REQUEST = 4;
const MAX_IN_FLIGHT = 8;
const FEEDBACK_SHARE = 0.85;
export const DRIFT_FROM = 0.5;
export const DRIFT_FULL = 0.6;

export interface TrafficOptions {
  seconds: number;
  /** The deployment's monitoring window: the replay starts early enough in one that it fills up. */
  windowMs?: number;
  onProgress?(done: number, total: number): void;
}

export interface TrafficStep extends TrafficCounts {
  started_at: string;
  drift_from: string;
  ended_at: string;
}

/** Share of drifted applicants at time t (0..1 of the replay). */
export function driftShareAt(t: number): number {
  return Math.min(1, Math.max(0, (t - DRIFT_FROM) / (DRIFT_FULL - DRIFT_FROM)));
}

/** The same applicant as the new channel brings them. */
export function drifted(row: CreditRow, rand: () => number): CreditRow {
  const scale = (v: number | null, f: number, step: number) => (v === null ? null : Math.round((v * f) / step) * step);
  return {
    ...row,
    age: row.age === null ? null : Math.max(18, row.age - 8),
    income: scale(row.income, 1.6, 100),
    debt_ratio: row.debt_ratio === null ? null : Math.min(0.95, Math.round(row.debt_ratio * 1350) / 1000),
    months_employed: scale(row.months_employed, 0.6, 1),
    home_ownership: row.home_ownership !== null && rand() < 0.5 ? 'rent' : row.home_ownership,
    purpose: row.purpose !== null && rand() < 0.35 ? 'business' : row.purpose,
  };
}

export function shuffled<T>(items: readonly T[], rand: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export interface TrafficCounts {
  requests: number;
  rows: number;
  errors: number;
  feedback: number;
  by_version: Record<string, { requests: number; rows: number }>;
}

/**
 * Sends prediction requests (a few in flight at once) and the labels of their rows as feedback, in batches,
 * counting what the server answered.
 */
export class TrafficSender {
  readonly counts: TrafficCounts = { requests: 0, rows: 0, errors: 0, feedback: 0, by_version: {} };
  /** The first failed feedback call (predict failures are counted instead). */
  failure: unknown = null;
  private pending: FeedbackItem[] = [];
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly client: FerryClient,
    private readonly onAnswer?: () => void,
  ) {}

  get busy(): number {
    return this.inFlight.size;
  }

  /** One request of these rows; the labelled ones' outcomes follow as feedback. */
  send(rows: readonly CreditRow[], labelled: readonly boolean[]): void {
    this.track(
      this.client.deployments
        .predict(DEMO.deployment, { instances: rows.map(inputsOf) })
        .then(
          (res) => {
            const c = this.counts;
            const v = (c.by_version[res.model_version] ??= { requests: 0, rows: 0 });
            v.requests++;
            v.rows += rows.length;
            c.requests++;
            c.rows += rows.length;
            rows.forEach((r, row) => {
              if (labelled[row]) this.pending.push({ request_id: res.request_id, row, label: r.default });
            });
            if (this.pending.length >= 200) this.flushFeedback();
          },
          () => void this.counts.errors++,
        )
        .finally(() => this.onAnswer?.()),
    );
  }

  flushFeedback(): void {
    if (this.pending.length === 0) return;
    const items = this.pending;
    this.pending = [];
    this.track(
      this.client.monitoring.feedback(items).then(
        (r) => void (this.counts.feedback += r.accepted),
        (err: unknown) => void (this.failure ??= err),
      ),
    );
  }

  /** Waits until fewer than `max` calls are in flight. */
  async room(max: number): Promise<void> {
    while (this.inFlight.size >= max) await Promise.race(this.inFlight);
  }

  /** Waits for every request, then sends the remaining feedback and waits for that too. */
  async drain(): Promise<void> {
    await this.room(1);
    this.flushFeedback();
    await this.room(1);
  }

  private track(p: Promise<void>): void {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }
}

/** `n` rows from the pool, starting at `next`; each drifted with probability `share`, labelled with FEEDBACK_SHARE. */
export function drawRows(pool: readonly CreditRow[], next: number, n: number, share: number, rand: () => number): { rows: CreditRow[]; labelled: boolean[] } {
  const rows = Array.from({ length: n }, (_, k) => {
    const row = pool[(next + k) % pool.length]!;
    return rand() < share ? drifted(row, rand) : row;
  });
  return { rows, labelled: rows.map(() => rand() < FEEDBACK_SHARE) };
}

/**
 * Waits for the next window when less than 60% of the current one is left: a window holding only a handful of
 * the replay's rows would read as drifted by chance (a small sample is far from its population), and the first
 * window is meant to show no drift.
 */
async function startOfWindow(windowMs: number): Promise<void> {
  const left = windowMs - (Date.now() % windowMs);
  if (left < windowMs * 0.6) await sleep(left + 20);
}

export async function replayTraffic(client: FerryClient, table: readonly CreditRow[], opts: TrafficOptions): Promise<TrafficStep> {
  if (opts.windowMs) await startOfWindow(opts.windowMs);
  const rand = seededRandom(7);
  const pool = shuffled(table, rand);
  const total = Math.max(1, Math.round((opts.seconds * 1000) / INTERVAL_MS));
  const sender = new TrafficSender(client, () => opts.onProgress?.(sender.counts.requests + sender.counts.errors, total));
  const t0 = Date.now();
  for (let i = 0; i < total; i++) {
    const due = t0 + i * INTERVAL_MS;
    if (due > Date.now()) await sleep(due - Date.now());
    await sender.room(MAX_IN_FLIGHT);
    if (sender.failure) throw sender.failure;
    const { rows, labelled } = drawRows(pool, i * ROWS_PER_REQUEST, ROWS_PER_REQUEST, driftShareAt(i / total), rand);
    sender.send(rows, labelled);
  }
  await sender.drain();
  if (sender.failure) throw sender.failure;
  if (sender.counts.requests === 0) throw new Error(`every prediction request to ${DEMO.deployment} failed`);
  return {
    ...sender.counts,
    started_at: new Date(t0).toISOString(),
    drift_from: new Date(t0 + DRIFT_FROM * opts.seconds * 1000).toISOString(),
    ended_at: new Date().toISOString(),
  };
}
