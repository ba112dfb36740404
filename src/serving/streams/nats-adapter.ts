/**
 * NATS JetStream through the `nats` client: a durable pull consumer (named after the binding's group, shared by
 * the replicas) on the stream that holds the input subject, explicit acks once a batch's results are published.
 * A message's key is its `key` header. Where no stream holds the input, output or dead-letter subject, one is
 * made for it (named FERRY_ and the subject), as Kafka makes a missing topic. A message not acknowledged within
 * ACK_WAIT_MS (a replica that died) is delivered again, marked redelivered: maybeSeen.
 */
import {
  AckPolicy,
  connect,
  type ConnectionOptions,
  type Consumer,
  DeliverPolicy,
  headers as natsHeaders,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
  type NatsConnection,
  nanos,
} from 'nats';
import { PayloadTooLargeError } from '../../errors.js';
import type { RunnableBinding } from './binding-service.js';
import type { BatchHandler, OutMessage, StreamAdapter } from './stream-adapter.js';

/** How long a delivered message may go unacknowledged before it is delivered again. */
export const ACK_WAIT_MS = 30_000;
/** While a batch is being handled, its messages' ack wait is restarted this often (`working`), well before ACK_WAIT_MS. */
export const KEEP_EVERY_MS = 10_000;

export class NatsAdapter implements StreamAdapter {
  private nc: NatsConnection | null = null;
  private js: JetStreamClient | null = null;
  private jsm: JetStreamManager | null = null;
  private stream = '';
  private running = false;
  /** Set by close(): a start() still under way stops after the step it is in, and drains what it connected. */
  private closed = false;
  private loop: Promise<void> | null = null;
  /** Subjects known to be held by a stream (publish acks need one). */
  private readonly held = new Set<string>();
  onFailure?: (err: Error) => void;

  constructor(
    private readonly b: RunnableBinding,
    private readonly clientName: string,
    /** Shorter times for tests; the defaults otherwise. */
    private readonly times: { ackWaitMs: number; keepEveryMs: number } = { ackWaitMs: ACK_WAIT_MS, keepEveryMs: KEEP_EVERY_MS },
  ) {}

  async start(handle: BatchHandler): Promise<void> {
    const b = this.b;
    const opts: ConnectionOptions = { servers: b.url.split(','), name: this.clientName, maxReconnectAttempts: -1 };
    if (b.credentials) Object.assign(opts, { user: b.credentials.username, pass: b.credentials.password });
    if (b.tls) opts.tls = {};
    this.nc = await connect(opts);
    if (this.closed) return this.drain();
    this.jsm = await this.nc.jetstreamManager();
    this.js = this.nc.jetstream();
    this.stream = await this.streamFor(b.input);
    if (this.closed) return this.drain();
    await this.durable();
    if (this.closed) return this.drain();
    const consumer = await this.js.consumers.get(this.stream, b.group);
    if (this.closed) return this.drain();
    this.running = true;
    this.loop = this.consume(consumer, handle).catch((err: unknown) => {
      if (this.running) this.onFailure?.(err as Error);
    });
  }

  /**
   * The binding's durable consumer, made when missing. One left by the binding before its input changed filters the
   * old subject: it is made again for the new one (read from the stream's start, as a new binding's is).
   */
  private async durable(): Promise<void> {
    const b = this.b;
    const jsm = this.jsm!;
    const info = await jsm.consumers.info(this.stream, b.group).catch(() => null);
    if (info && info.config.filter_subject === b.input) return;
    if (info) await jsm.consumers.delete(this.stream, b.group);
    await jsm.consumers.add(this.stream, {
      durable_name: b.group,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      filter_subject: b.input,
      ack_wait: nanos(this.times.ackWaitMs),
      max_ack_pending: Math.max(1000, b.batch_size * 20),
    });
  }

  /** The stream holding `subject`, made when none does. */
  private async streamFor(subject: string): Promise<string> {
    const jsm = this.jsm!;
    try {
      const name = await jsm.streams.find(subject);
      this.held.add(subject);
      return name;
    } catch {
      const name = `FERRY_${subject.replace(/[^A-Za-z0-9_-]/g, '_')}`.slice(0, 200);
      await jsm.streams.add({ name, subjects: [subject] });
      this.held.add(subject);
      return name;
    }
  }

  private async consume(consumer: Consumer, handle: BatchHandler): Promise<void> {
    const b = this.b;
    while (this.running) {
      const batch: JsMsg[] = [];
      // fetch() ends when max_messages arrived or `expires` passed (the client takes no less than a second).
      const iter = await consumer.fetch({ max_messages: b.batch_size, expires: Math.max(1000, b.max_wait_ms) });
      for await (const m of iter) batch.push(m);
      if (batch.length === 0) continue;
      // The messages stay this consumer's while it works on them (a paused deployment can hold a batch for
      // minutes): `working` restarts their ack wait, so the server does not hand them to another replica, which
      // would score (and log) them a second time.
      const keep = setInterval(() => {
        for (const m of batch) m.working();
      }, this.times.keepEveryMs);
      try {
        await handle(
          batch.map((m) => ({
            partition: '0',
            position: String(m.seq),
            key: m.headers?.get('key') || null,
            value: Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength),
            maybeSeen: m.redelivered,
          })),
        );
      } finally {
        clearInterval(keep);
      }
      for (const m of batch) m.ack();
      // The acks reach the server before the next fetch.
      await this.nc!.flush();
    }
  }

  async produce(destination: string, messages: OutMessage[]): Promise<void> {
    if (!this.held.has(destination)) await this.streamFor(destination);
    await Promise.all(
      messages.map((m) => {
        const h = natsHeaders();
        if (m.key !== null) h.set('key', m.key);
        for (const [k, v] of Object.entries(m.headers)) h.set(k, v.replace(/[\r\n]/g, ' '));
        return this.js!.publish(destination, m.value, { headers: h });
      }),
    ).catch((err: unknown) => {
      // The server's max_payload (client side) or the stream's max_msg_size: refused on every try.
      const e = err as { code?: string; message?: string };
      if (e.code === 'MAX_PAYLOAD_EXCEEDED' || /max(imum)? payload|message size exceeds/i.test(e.message ?? ''))
        throw new PayloadTooLargeError(`NATS refused the message for its size (subject '${destination}'): ${e.message}`);
      throw err;
    });
  }

  async lag(): Promise<number | null> {
    if (!this.jsm) return null;
    const info = await this.jsm.consumers.info(this.stream, this.b.group);
    return info.num_pending + info.num_ack_pending;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.running = false;
    // The fetch in progress ends within its expiry; the batch being handled is acknowledged first.
    await this.loop;
    await this.drain();
  }

  private async drain(): Promise<void> {
    if (this.nc && !this.nc.isClosed()) await this.nc.drain().catch(() => {});
  }
}
