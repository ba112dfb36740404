/**
 * This replica's stream consumers: one per enabled binding, started, restarted with a changed binding, stopped
 * with a removed one (reconcile, on every change message and periodically), started again after a failure, and
 * each binding's lag read every few seconds. Every replica runs every binding in the same consumer group, so the
 * broker shares the partitions (kafka), entries (redis) or messages (nats) among them.
 */
import type { RunnableBinding, StreamBindingService } from './binding-service.js';
import { KafkaAdapter } from './kafka-adapter.js';
import { NatsAdapter } from './nats-adapter.js';
import { RedisAdapter } from './redis-adapter.js';
import type { StreamAdapter } from './stream-adapter.js';
import { type ConsumerDeps, StreamConsumer } from './stream-consumer.js';

export interface ManagerDeps extends ConsumerDeps {
  /** This replica's name at the brokers: kept across restarts (a redis consumer finds its pending entries). */
  consumerName: string;
  /** How long a failed consumer waits before it starts again. */
  restartMs?: number;
  lagEveryMs?: number;
  /** How long stopping one consumer may take before the manager goes on without it. */
  closeMs?: number;
}

/** A consumer's close: its batch in flight finishes and commits well within it. */
const CLOSE_MS = 15_000;
/** How long an API answer waits for a binding's lag. */
const LAG_READ_MS = 2_000;

export interface StreamStatusView {
  state: 'starting' | 'running' | 'paused' | 'stopped' | 'failed';
  reason?: string;
  lag: number | null;
  messages_in: number;
  messages_out: number;
  dead_lettered: number;
  redelivered: number;
  updated_at: number | null;
}

interface Running {
  consumer: StreamConsumer;
  /** What the binding was when started: a change restarts it. */
  version: string;
  lag: number | null;
  failed?: { reason: string; at: number };
  restart?: NodeJS.Timeout;
  /** Set once stop() began: resolves when the consumer has stopped. */
  closing?: Promise<void>;
  /** A lag read in flight. */
  reading?: Promise<void> | undefined;
}

const keyOf = (deployment: string, name: string) => `${deployment}\u0000${name}`;
const versionOf = (b: RunnableBinding) => `${b.created_at}:${b.updated_at}`;

export class StreamManager {
  private readonly running = new Map<string, Running>();
  /** One reconcile at a time (change messages can come in bursts). */
  private queue: Promise<unknown> = Promise.resolve();
  private lagTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly svc: StreamBindingService,
    private readonly deps: ManagerDeps,
  ) {}

  start(): void {
    this.lagTimer = setInterval(() => void this.readLags(), this.deps.lagEveryMs ?? 5000);
    this.lagTimer.unref();
  }

  /** Makes the running consumers match the stored bindings. */
  reconcile(): Promise<void> {
    const next = this.queue.then(() => this.doReconcile());
    this.queue = next.catch(() => {});
    return next;
  }

  private async doReconcile(): Promise<void> {
    if (this.closed) return;
    const bindings = await this.svc.runnable();
    const want = new Map(bindings.filter((b) => b.enabled).map((b) => [keyOf(b.deployment, b.name), b]));
    const stale = [...this.running].filter(([key, r]) => {
      const b = want.get(key);
      return !b || versionOf(b) !== r.version;
    });
    const restarting = new Set(stale.map(([key]) => key));
    for (const [key, b] of want) if (!this.running.has(key) && !restarting.has(key)) this.launch(key, b);
    // A changed binding starts again once its old consumer has stopped; the others do not wait for that.
    await Promise.all(
      stale.map(async ([key]) => {
        await this.stop(key);
        const b = want.get(key);
        if (b && !this.closed && !this.running.has(key)) this.launch(key, b);
      }),
    );
  }

  private adapterFor(b: RunnableBinding): StreamAdapter {
    const name = `${this.deps.consumerName}-${b.deployment}-${b.name}`.slice(0, 200);
    if (b.kind === 'kafka') return new KafkaAdapter(b, name);
    if (b.kind === 'redis') return new RedisAdapter(b, name);
    return new NatsAdapter(b, name);
  }

  private launch(key: string, b: RunnableBinding): void {
    const adapter = this.adapterFor(b);
    const consumer = new StreamConsumer(b, adapter, this.deps);
    const r: Running = { consumer, version: versionOf(b), lag: null };
    this.running.set(key, r);
    if (b.credentialsError) {
      // Never started (connecting without the credentials would only fail less clearly); a change starts it again.
      [consumer.state, consumer.reason] = ['failed', b.credentialsError];
      r.failed = { reason: b.credentialsError, at: Date.now() };
      return;
    }
    const fail = (err: Error) => {
      // Once per consumer: the consumer and its adapter can both report one failure.
      if (this.running.get(key) !== r || this.closed || r.closing || r.failed) return;
      consumer.state = 'failed';
      consumer.reason = err.message;
      r.failed = { reason: err.message, at: Date.now() };
      this.deps.warn({ err, deployment: b.deployment, binding: b.name }, 'stream consumer failed; starting it again');
      this.deps.metrics?.running.set({ deployment: b.deployment, binding: b.name }, 0);
      // The consumer, not only its adapter: its own waits (a paused batch, a produce being retried) end too.
      void consumer.close().catch(() => {});
      r.restart = setTimeout(() => {
        if (this.running.get(key) !== r || this.closed || r.closing) return;
        this.running.delete(key);
        this.launch(key, b);
      }, this.deps.restartMs ?? 5000);
      r.restart.unref();
    };
    adapter.onFailure = fail;
    consumer.onFailure = fail;
    consumer.start().then(
      () => this.deps.metrics?.running.set({ deployment: b.deployment, binding: b.name }, 1),
      (err: unknown) => fail(err as Error),
    );
  }

  /** Stops a consumer; it is listed (with its own state) until it has stopped, so `stopped` means stopped. */
  private stop(key: string): Promise<void> {
    const r = this.running.get(key);
    if (!r) return Promise.resolve();
    r.closing ??= (async () => {
      if (r.restart) clearTimeout(r.restart);
      const b = r.consumer.binding;
      this.deps.metrics?.running.remove({ deployment: b.deployment, binding: b.name });
      this.deps.metrics?.lag.remove({ deployment: b.deployment, binding: b.name });
      // A broker that went away can keep a client's disconnect retrying: the other bindings do not wait for it.
      const closing = r.consumer
        .close()
        .catch((err: unknown) => this.deps.warn({ err, deployment: b.deployment, binding: b.name }, 'stream consumer did not close cleanly'));
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.deps.closeMs ?? CLOSE_MS)));
      await Promise.race([closing, late]);
      clearTimeout(timer);
      if (this.running.get(key) === r) this.running.delete(key);
    })();
    return r.closing;
  }

  private async readLags(): Promise<void> {
    await Promise.all([...this.running.values()].map((r) => this.readLag(r)));
  }

  /**
   * Reads one binding's lag, at most LAG_READ_MS: a broker that is away (a client queueing commands until it is
   * back) must not hold up an API answer. One read at a time per binding; the lag shown is the last known.
   */
  private async readLag(r: Running): Promise<void> {
    if (r.failed || r.closing || r.reading) return;
    const b = r.consumer.binding;
    let timer: NodeJS.Timeout | undefined;
    r.reading = r.consumer.adapter
      .lag()
      .then((lag) => {
        r.lag = lag;
        if (lag !== null) this.deps.metrics?.lag.set({ deployment: b.deployment, binding: b.name }, lag);
      })
      .catch(() => {})
      .finally(() => {
        r.reading = undefined;
      });
    await Promise.race([r.reading, new Promise<void>((resolve) => (timer = setTimeout(resolve, LAG_READ_MS)))]);
    clearTimeout(timer);
  }

  /** What this replica knows of a binding: its consumer's state and counts, and the lag last read. */
  statusOf(deployment: string, name: string, enabled: boolean): StreamStatusView {
    const r = this.running.get(keyOf(deployment, name));
    if (!r) return { state: enabled ? 'starting' : 'stopped', lag: null, messages_in: 0, messages_out: 0, dead_lettered: 0, redelivered: 0, updated_at: null };
    const c = r.consumer;
    return {
      state: c.state,
      ...(c.reason !== undefined ? { reason: c.reason } : {}),
      lag: r.lag,
      messages_in: c.counts.in,
      messages_out: c.counts.out,
      dead_lettered: c.counts.dead,
      redelivered: c.counts.redelivered,
      updated_at: c.updatedAt,
    };
  }

  /** Reads the lag of one binding now (the API's answer should not be 5 s old when asked). */
  async refreshLag(deployment: string, name: string): Promise<void> {
    const r = this.running.get(keyOf(deployment, name));
    if (r) await this.readLag(r);
  }

  /** Graceful: every consumer stops reading, finishes and acknowledges what it is scoring, and disconnects. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.lagTimer) clearInterval(this.lagTimer);
    await this.queue;
    await Promise.all([...this.running.keys()].map((k) => this.stop(k)));
  }
}
