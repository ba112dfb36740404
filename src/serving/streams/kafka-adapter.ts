/**
 * Kafka through kafkajs: one consumer in the binding's group (partitions shared with the other replicas'), a
 * producer for results and dead letters, an admin client for the lag. A partition's messages are handed over in
 * chunks of `batch_size`, in order, two at a time: one is scored while the one before produces its results and
 * commits; each chunk's offsets are committed once its results and the chunk before it are, so at most two chunks
 * per partition are ever produced and not committed. After each group join, the first chunks of each
 * partition are the ones its previous owner may have scored: they are marked maybeSeen.
 */
import { type Admin, type Consumer, Kafka, type KafkaConfig, type KafkaMessage, logLevel, type Producer, type SASLOptions } from 'kafkajs';
import { PayloadTooLargeError } from '../../errors.js';
import type { RunnableBinding } from './binding-service.js';
import type { BatchHandler, InMessage, OutMessage, StreamAdapter } from './stream-adapter.js';

/** How many chunks per partition after a join may repeat what the previous owner produced (two, and a margin for a commit that failed). */
const SUSPECT_CHUNKS = 4;

/** Whether kafkajs's error (or one it wraps) is the broker refusing a message or batch for its size. */
function tooLarge(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 4) return false;
  const e = err as { type?: string; cause?: unknown; originalError?: unknown; errors?: unknown[] };
  if (e.type === 'MESSAGE_TOO_LARGE' || e.type === 'RECORD_LIST_TOO_LARGE') return true;
  return tooLarge(e.cause, depth + 1) || tooLarge(e.originalError, depth + 1) || (e.errors ?? []).some((x) => tooLarge(x, depth + 1));
}

function sasl(b: RunnableBinding): SASLOptions | undefined {
  const c = b.credentials;
  if (!c) return undefined;
  const mechanism = c.mechanism ?? 'plain';
  return { mechanism, username: c.username, password: c.password } as SASLOptions;
}

export class KafkaAdapter implements StreamAdapter {
  private readonly kafka: Kafka;
  private consumer: Consumer | null = null;
  private producer: Producer | null = null;
  private admin: Admin | null = null;
  /** Per partition, how many more messages after the last join are maybeSeen. */
  private suspect = new Map<number, number>();
  /** Chunks being handled, and whether close() was asked: it waits for them (their commits) before leaving the group. */
  private readonly inflight = new Set<Promise<void>>();
  private stopping = false;
  /** Set by close(): a start() still under way checks it after each step, and disconnects what it connected. */
  private closed = false;
  onFailure?: (err: Error) => void;

  constructor(
    private readonly b: RunnableBinding,
    clientId: string,
  ) {
    const config: KafkaConfig = {
      clientId,
      brokers: b.url.split(','),
      ssl: b.tls,
      logLevel: logLevel.NOTHING,
      retry: { retries: 8, initialRetryTime: 100, maxRetryTime: 5000 },
    };
    const s = sasl(b);
    if (s) config.sasl = s;
    this.kafka = new Kafka(config);
  }

  async start(handle: BatchHandler): Promise<void> {
    // Closed while starting: what this start connected is disconnected, and nothing more is done.
    const live = async (step: Promise<unknown>) => {
      await step;
      if (this.closed) throw new Error('closed while starting');
    };
    try {
      await this.run(handle, live);
    } catch (err) {
      // A step that failed because close() disconnected it is no failure either.
      if (!this.closed) throw err;
      await this.disconnect();
    }
  }

  private async run(handle: BatchHandler, live: (step: Promise<unknown>) => Promise<void>): Promise<void> {
    const b = this.b;
    // Few retries here: the consumer tries a failed produce again itself, and gives up with the reason.
    this.producer = this.kafka.producer({ allowAutoTopicCreation: true, retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1000 } });
    await live(this.producer.connect());
    this.admin = this.kafka.admin();
    await live(this.admin.connect());
    const consumer = this.kafka.consumer({ groupId: b.group, maxWaitTimeInMs: Math.max(b.max_wait_ms, 10), sessionTimeout: 10_000, heartbeatInterval: 1000 });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, (e) => {
      const mine = e.payload.memberAssignment[b.input] ?? [];
      this.suspect = new Map(mine.map((p) => [p, SUSPECT_CHUNKS * b.batch_size]));
    });
    consumer.on(consumer.events.CRASH, (e) => {
      if (!e.payload.restart) this.onFailure?.(e.payload.error);
    });
    await live(consumer.connect());
    await live(consumer.subscribe({ topics: [b.input], fromBeginning: true }));
    await live(
      consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        // Partitions are scored side by side; within one, chunks go in order.
        partitionsConsumedConcurrently: 4,
        eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
          const partition = batch.partition;
          // The chunk before, until it is scored, produced and committed. Two chunks per partition are in flight:
          // the next one is scored while this one produces and commits. Commits go in order, and a chunk whose
          // predecessor failed is not committed (an offset commit covers every message before it).
          let previous: Promise<void> | null = null;
          try {
            for (let i = 0; i < batch.messages.length; i += b.batch_size) {
              if (this.stopping || !isRunning() || isStale()) return;
              const chunk = batch.messages.slice(i, i + b.batch_size);
              const messages = this.inMessages(partition, chunk);
              const last = chunk[chunk.length - 1]!.offset;
              const before: Promise<void> | null = previous;
              const done = this.track(
                (async () => {
                  // A long chunk (the deployment paused) keeps the group membership alive.
                  const beat = setInterval(() => void heartbeat().catch(() => {}), 1000);
                  try {
                    await handle(messages);
                  } finally {
                    clearInterval(beat);
                  }
                  if (before) await before;
                  // The consumer's position (what it fetches next) moves on, then the group's committed offset.
                  resolveOffset(last);
                  await consumer.commitOffsets([{ topic: batch.topic, partition, offset: (BigInt(last) + 1n).toString() }]);
                })(),
              );
              // Awaited below, or by the next chunk: never left unhandled.
              done.catch(() => {});
              previous = done;
              if (before) await before;
            }
          } finally {
            if (previous) await previous;
          }
        },
      }),
    );
  }

  /** A chunk's messages as handed over; the first ones after a group join may have been scored by the previous owner. */
  private inMessages(partition: number, chunk: KafkaMessage[]): InMessage[] {
    let left = this.suspect.get(partition) ?? 0;
    const messages: InMessage[] = chunk.map((m) => {
      const maybeSeen = left > 0;
      if (left > 0) left--;
      return {
        partition: String(partition),
        position: m.offset,
        key: m.key ? m.key.toString('utf8') : null,
        value: m.value ?? Buffer.alloc(0),
        maybeSeen,
      };
    });
    this.suspect.set(partition, left);
    return messages;
  }

  /** Work close() waits for (chunks and their commits); marked handled here, its error still reaches whoever awaits it. */
  private track<T>(p: Promise<T>): Promise<T> {
    const settled = p.then(
      () => undefined,
      () => undefined,
    );
    this.inflight.add(settled);
    void settled.then(() => this.inflight.delete(settled));
    return p;
  }

  async produce(destination: string, messages: OutMessage[]): Promise<void> {
    try {
      await this.producer!.send({
        topic: destination,
        acks: -1,
        messages: messages.map((m) => ({ key: m.key, value: m.value, headers: m.headers })),
      });
    } catch (err) {
      if (tooLarge(err)) throw new PayloadTooLargeError(`Kafka refused the message for its size (topic '${destination}'): ${(err as Error).message}`);
      throw err;
    }
  }

  async lag(): Promise<number | null> {
    if (!this.admin) return null;
    const [ends, committed] = await Promise.all([
      this.admin.fetchTopicOffsets(this.b.input),
      this.admin.fetchOffsets({ groupId: this.b.group, topics: [this.b.input] }),
    ]);
    const done = new Map((committed[0]?.partitions ?? []).map((p) => [p.partition, BigInt(p.offset)]));
    let lag = 0n;
    for (const p of ends) {
      const end = BigInt(p.high);
      const at = done.get(p.partition) ?? -1n;
      // -1: the group has committed nothing there; everything from the partition's start is unread.
      lag += at < 0n ? end - BigInt(p.low) : end > at ? end - at : 0n;
    }
    return Number(lag);
  }

  async close(): Promise<void> {
    // No new chunk starts; the ones being handled finish and commit while the consumer is still in its group.
    this.stopping = true;
    this.closed = true;
    // Nothing more is fetched while the chunks in flight finish (a paused topic is not fetched).
    try {
      this.consumer?.pause([{ topic: this.b.input }]);
    } catch {
      // Not running yet: nothing is being fetched.
    }
    await Promise.allSettled([...this.inflight]);
    await this.disconnect();
  }

  private async disconnect(): Promise<void> {
    await this.consumer?.disconnect().catch(() => {});
    await this.producer?.disconnect().catch(() => {});
    await this.admin?.disconnect().catch(() => {});
  }
}
