/**
 * Client traffic for the replica test: concurrent loops, each sending one kind of request through the load balancer
 * (a prediction, a tracking log-batch to its own run, a small CSV pushed to its own dataset) one after the other,
 * recording every request's outcome and every write the server acknowledged, so the test can count failures and
 * then read each acknowledged write back.
 */
import { createHash } from 'node:crypto';
import { SERVED_BY } from '../helpers/haproxy.js';

export type Kind = 'predict' | 'track' | 'data';

export interface Outcome {
  kind: Kind;
  ok: boolean;
  /** HTTP status, or the network error's text. */
  status: number | string;
  /** The replica that answered (haproxy's header; absent when haproxy itself answered or nothing did). */
  servedBy?: string;
  startedAt: number;
  endedAt: number;
  detail?: string;
}

export interface AckedPrediction {
  deployment: string;
  requestId: string;
  servedBy: string;
  revision: number;
  at: number;
}

export interface AckedDataset {
  dataset: string;
  version: number;
  digest: string;
  csv: string;
}

/** What every loop of every phase acknowledged, accumulated over the test. */
export interface Acked {
  predictions: AckedPrediction[];
  /** run id → metric steps the server acknowledged (value = step). */
  metrics: Map<string, Set<number>>;
  datasets: AckedDataset[];
}

export interface LoopTarget {
  kind: Kind;
  /** predict: the deployment; track: the run id; data: the dataset name. */
  target: string;
}

export interface TrafficOptions {
  url: string;
  token: string;
  loops: LoopTarget[];
  /** One input row per prediction. */
  record: Record<string, unknown>;
  acked: Acked;
  /** Pause between two requests of a loop (keeps a 2-core machine answering the health checks). */
  pauseMs?: number;
}

/** Running traffic: its outcomes so far, how many requests are in flight now, and a stop that waits for the loops. */
export class Traffic {
  readonly outcomes: Outcome[] = [];
  inFlight = 0;
  private stopping = false;
  private readonly done: Promise<void>;
  /** Per-loop counters that make every metric step and every CSV unique across phases. */
  private static seq = 0;

  constructor(private readonly o: TrafficOptions) {
    this.done = Promise.all(o.loops.map((l) => this.loop(l))).then(() => undefined);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.done;
  }

  failures(): Outcome[] {
    return this.outcomes.filter((x) => !x.ok);
  }

  count(kind?: Kind): { sent: number; ok: number; failed: number } {
    const xs = kind ? this.outcomes.filter((x) => x.kind === kind) : this.outcomes;
    const ok = xs.filter((x) => x.ok).length;
    return { sent: xs.length, ok, failed: xs.length - ok };
  }

  private async loop(l: LoopTarget): Promise<void> {
    while (!this.stopping) {
      await this.once(l);
      if (this.o.pauseMs) await new Promise((r) => setTimeout(r, this.o.pauseMs));
    }
  }

  private async once(l: LoopTarget): Promise<void> {
    const n = ++Traffic.seq;
    const auth = { authorization: `Bearer ${this.o.token}` };
    let path: string;
    let init: RequestInit;
    let csv = '';
    if (l.kind === 'predict') {
      path = `/api/v1/deployments/${l.target}/predict`;
      init = { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ instances: [this.o.record] }) };
    } else if (l.kind === 'track') {
      path = '/api/2.0/mlflow/runs/log-batch';
      const body = { run_id: l.target, metrics: [{ key: 'm', value: n, step: n, timestamp: Date.now() }] };
      init = { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(body) };
    } else {
      csv = `id,seq,value\n${n},${n},${(n * 0.37).toFixed(2)}\n${n + 1},${n},${(n * 0.11).toFixed(2)}\n`;
      path = `/api/v1/datasets/${l.target}/versions?filename=part-${n}.csv`;
      init = { method: 'POST', headers: { ...auth, 'content-type': 'text/csv' }, body: csv };
    }
    const startedAt = Date.now();
    this.inFlight++;
    let outcome: Outcome;
    try {
      const res = await fetch(`${this.o.url}${path}`, { ...init, signal: AbortSignal.timeout(60_000) });
      const text = await res.text();
      const servedBy = res.headers.get(SERVED_BY) ?? undefined;
      const ok = res.status >= 200 && res.status < 300;
      outcome = { kind: l.kind, ok, status: res.status, ...(servedBy ? { servedBy } : {}), startedAt, endedAt: Date.now() };
      if (!ok) outcome.detail = text.slice(0, 300);
      else {
        try {
          this.acknowledge(l, n, text, servedBy, csv);
        } catch (err) {
          // A 2xx whose body says something else than what was sent is a failure too.
          outcome.ok = false;
          outcome.detail = String(err);
        }
      }
    } catch (err) {
      const cause = (err as { cause?: unknown }).cause;
      outcome = { kind: l.kind, ok: false, status: `${String(err)}${cause ? ` (${String(cause)})` : ''}`, startedAt, endedAt: Date.now() };
    } finally {
      this.inFlight--;
    }
    this.outcomes.push(outcome);
  }

  private acknowledge(l: LoopTarget, n: number, text: string, servedBy: string | undefined, csv: string): void {
    const a = this.o.acked;
    if (l.kind === 'predict') {
      const body = JSON.parse(text) as { request_id: string; revision: number };
      a.predictions.push({ deployment: l.target, requestId: body.request_id, servedBy: servedBy ?? '?', revision: body.revision, at: Date.now() });
    } else if (l.kind === 'track') {
      let steps = a.metrics.get(l.target);
      if (!steps) a.metrics.set(l.target, (steps = new Set()));
      steps.add(n);
    } else {
      const body = JSON.parse(text) as { version: { version: number; digest: string } };
      const digest = createHash('sha256').update(csv).digest('hex');
      if (body.version.digest !== digest) throw new Error(`dataset ${l.target} acknowledged digest ${body.version.digest} for bytes whose sha256 is ${digest}`);
      a.datasets.push({ dataset: l.target, version: body.version.version, digest: body.version.digest, csv });
    }
  }
}
