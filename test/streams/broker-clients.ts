/**
 * The tests' own clients of each broker, behind one shape: make destinations, produce keyed messages, read a
 * destination from its start (results and dead letters, with their headers). Kafka through kafkajs, Redis Streams
 * through ioredis, NATS JetStream through nats — the clients users have.
 */
import { Redis } from 'ioredis';
import { Kafka, logLevel, type KafkaMessage } from 'kafkajs';
import { connect, headers as natsHeaders, type NatsConnection } from 'nats';
import { type BrokerKind, startKafka, startNats, startRedis, type TestBroker } from '../helpers/brokers.js';

export interface Read {
  key: string | null;
  value: Buffer;
  headers: Record<string, string>;
}

export interface BrokerClient {
  broker: TestBroker;
  /** Makes the destinations (kafka: topics of 4 partitions; nats: one stream per subject; redis: nothing to make). */
  create(...names: string[]): Promise<void>;
  produce(destination: string, messages: { key: string; value: string | Buffer }[]): Promise<void>;
  /** Everything in `destination` from its start once `done` says enough (or the time is up). */
  read(destination: string, done: (all: Read[]) => boolean, timeoutMs?: number): Promise<Read[]>;
  close(): Promise<void>;
}

export async function brokerClient(kind: BrokerKind): Promise<BrokerClient> {
  if (kind === 'kafka') return kafkaClient(await startKafka({ partitions: 4 }));
  if (kind === 'redis') return redisClient(await startRedis());
  return natsClient(await startNats());
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function kafkaClient(broker: TestBroker): Promise<BrokerClient> {
  const kafka = new Kafka({ clientId: 'ferry-test', brokers: [broker.url], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  // Idempotent: a send retried on a loaded machine (its first attempt stored after all) must not put a message in the
  // input twice, at two offsets — that would read as one message answered under two request ids.
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const asRead = (m: KafkaMessage): Read => ({
    key: m.key?.toString() ?? null,
    value: m.value ?? Buffer.alloc(0),
    headers: Object.fromEntries(Object.entries(m.headers ?? {}).map(([k, v]) => [k, String(v)])),
  });
  return {
    broker,
    async create(...names) {
      await admin.createTopics({ topics: names.map((topic) => ({ topic, numPartitions: 4, replicationFactor: 1 })), waitForLeaders: true });
    },
    async produce(topic, messages) {
      for (let i = 0; i < messages.length; i += 1000) await producer.send({ topic, messages: messages.slice(i, i + 1000) });
    },
    async read(topic, done, timeoutMs = 120_000) {
      const consumer = kafka.consumer({ groupId: `test-reader-${Math.random().toString(36).slice(2)}` });
      const all: Read[] = [];
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      let finish!: () => void;
      const finished = new Promise<void>((r) => (finish = r));
      await consumer.run({
        eachBatch: async ({ batch }) => {
          all.push(...batch.messages.map(asRead));
          if (done(all)) finish();
        },
      });
      const timer = setTimeout(finish, timeoutMs);
      await finished;
      clearTimeout(timer);
      await consumer.disconnect();
      return all;
    },
    async close() {
      await producer.disconnect();
      await admin.disconnect();
      await broker.close();
    },
  };
}

async function redisClient(broker: TestBroker): Promise<BrokerClient> {
  const redis = new Redis(broker.url);
  return {
    broker,
    async create() {},
    async produce(stream, messages) {
      for (let i = 0; i < messages.length; i += 1000) {
        const p = redis.pipeline();
        for (const m of messages.slice(i, i + 1000)) p.xadd(stream, '*', 'value', m.value, 'key', m.key);
        await p.exec();
      }
    },
    async read(stream, done, timeoutMs = 120_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const entries = (await redis.xrangeBuffer(stream, '-', '+')) as [Buffer, Buffer[]][];
        const all = entries.map(([, fields]): Read => {
          const f = new Map<string, Buffer>();
          for (let i = 0; i + 1 < fields.length; i += 2) f.set(fields[i]!.toString(), fields[i + 1]!);
          const headers: Record<string, string> = {};
          for (const [k, v] of f) if (k !== 'value' && k !== 'key') headers[k] = v.toString();
          return { key: f.get('key')?.toString() ?? null, value: f.get('value') ?? Buffer.alloc(0), headers };
        });
        if (done(all) || Date.now() > deadline) return all;
        await sleep(200);
      }
    },
    async close() {
      redis.disconnect();
      await broker.close();
    },
  };
}

async function natsClient(broker: TestBroker): Promise<BrokerClient> {
  const nc: NatsConnection = await connect({ servers: broker.url });
  const jsm = await nc.jetstreamManager();
  const js = nc.jetstream();
  const streamOf = (subject: string) => `T_${subject.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  return {
    broker,
    async create(...subjects) {
      for (const s of subjects) await jsm.streams.add({ name: streamOf(s), subjects: [s] });
    },
    async produce(subject, messages) {
      for (let i = 0; i < messages.length; i += 500)
        await Promise.all(
          messages.slice(i, i + 500).map((m) => {
            const h = natsHeaders();
            h.set('key', m.key);
            return js.publish(subject, typeof m.value === 'string' ? Buffer.from(m.value) : m.value, { headers: h });
          }),
        );
    },
    async read(subject, done, timeoutMs = 120_000) {
      // An ordered consumer reads the stream from its start (no acks, nothing left behind on the server).
      const consumer = await js.consumers.get(await jsm.streams.find(subject));
      const iter = await consumer.consume();
      const all: Read[] = [];
      const timer = setTimeout(() => void iter.close(), timeoutMs);
      if (!done(all))
        for await (const m of iter) {
          const headers: Record<string, string> = {};
          for (const [k, v] of m.headers ?? []) if (k !== 'key') headers[k] = v.join(',');
          all.push({ key: m.headers?.get('key') || null, value: Buffer.from(m.data), headers });
          if (done(all)) break;
        }
      clearTimeout(timer);
      await iter.close();
      return all;
    },
    async close() {
      await nc.drain();
      await broker.close();
    },
  };
}
