/**
 * The A/B tests' exposure recorder: a PredictionObserver that notes, for each request an A/B test routed, its
 * unit's arm and time, and writes them in batches (every ~500 ms, and on close) as upserts into abtest_units.
 * Nothing is written on the request's path: the observer only updates a map. Units are keyed with the
 * installation's PII key when written, so raw user ids never reach the table.
 */
import type { PredictionEvent, PredictionObserver } from '../serving/index.js';
import type { AbTestUnitTable } from '../store/index.js';

interface Pending {
  abtest: string;
  unit: string;
  arm: string;
  first: number;
  last: number;
  requests: number;
}

export interface ExposureRecorderOptions {
  /** Writes a batch of exposures (upserts into abtest_units, with the tests' aggregates: AbTestAggregator). */
  writeUnits: (rows: AbTestUnitTable[]) => Promise<void>;
  /** The unit as stored: hashValue(installation key, raw). */
  unitKey: (raw: string) => string;
  flushEveryMs?: number;
  /** Distinct units buffered before a flush starts early (bounds memory under a burst). */
  maxBuffered?: number;
  onError?: (err: unknown) => void;
}

export class ExposureRecorder implements PredictionObserver {
  private buffer = new Map<string, Pending>();
  private flushing: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(private readonly o: ExposureRecorderOptions) {}

  start(): void {
    if (this.timer || this.closed) return;
    this.timer = setInterval(() => void this.flush(), this.o.flushEveryMs ?? 500);
    this.timer.unref();
  }

  prediction(e: PredictionEvent): void {
    if (e.route !== 'main' || e.abtest === undefined || e.unit === undefined) return;
    const key = `${e.abtest}\0${e.unit}`;
    const p = this.buffer.get(key);
    if (p) {
      // A unit keeps the arm it was first seen on (a weight change mid-test does not move it in the report).
      if (e.ts < p.first) p.first = e.ts;
      if (e.ts > p.last) p.last = e.ts;
      p.requests++;
      return;
    }
    this.buffer.set(key, { abtest: e.abtest, unit: e.unit, arm: e.modelVersion, first: e.ts, last: e.ts, requests: 1 });
    if (this.buffer.size >= (this.o.maxBuffered ?? 50_000)) void this.flush();
  }

  /** Writes what is buffered; resolves once everything noted before the call is in the store. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.write());
    return this.flushing;
  }

  private async write(): Promise<void> {
    if (this.buffer.size === 0) return;
    const batch = this.buffer;
    this.buffer = new Map();
    // One unit may be buffered under two raw values that key alike only in theory; merge by stored key anyway.
    const rows = new Map<string, AbTestUnitTable>();
    for (const p of batch.values()) {
      const unit = this.o.unitKey(p.unit);
      const k = `${p.abtest}\0${unit}`;
      const r = rows.get(k);
      if (r) {
        r.first_ts = Math.min(r.first_ts, p.first);
        r.last_ts = Math.max(r.last_ts, p.last);
        r.requests += p.requests;
      } else rows.set(k, { abtest_id: p.abtest, unit, arm: p.arm, first_ts: p.first, last_ts: p.last, requests: p.requests });
    }
    try {
      await this.o.writeUnits([...rows.values()]);
    } catch (err) {
      // Keep the exposures for the next flush (a store hiccup must not lose units), unless closing.
      if (!this.closed) for (const [k, p] of batch) this.merge(k, p);
      this.o.onError?.(err);
    }
  }

  private merge(key: string, p: Pending): void {
    const cur = this.buffer.get(key);
    if (!cur) this.buffer.set(key, p);
    else {
      cur.first = Math.min(cur.first, p.first);
      cur.last = Math.max(cur.last, p.last);
      cur.requests += p.requests;
      cur.arm = p.arm;
    }
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
    this.closed = true;
  }
}
