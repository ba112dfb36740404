/**
 * The broker adapters' own lifecycle, against the real brokers: an adapter closed while it is still starting
 * (connecting, making its group, subscribing) leaves nothing running behind — no member in the Kafka group, no
 * Redis connection, no NATS connection pulling from the durable consumer.
 */
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { connect } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KafkaAdapter } from '../../src/serving/streams/kafka-adapter.js';
import { NatsAdapter } from '../../src/serving/streams/nats-adapter.js';
import { READ_TIMEOUT_MARGIN_MS, RedisAdapter } from '../../src/serving/streams/redis-adapter.js';
import type { StreamAdapter } from '../../src/serving/streams/stream-adapter.js';
import { HAVE_KAFKA, HAVE_NATS, HAVE_REDIS, NO_KAFKA_REASON, NO_NATS_REASON, NO_REDIS_REASON, type TestBroker } from '../helpers/brokers.js';
import { startKafka, startNats, startRedis } from '../helpers/brokers.js';
import type { RunnableBinding } from '../../src/serving/streams/binding-service.js';
import { binding } from './adapter-binding.js';

/** Starts the adapter and closes it at once, while start() is at its first step; start() must settle without failing. */
async function closeWhileStarting(adapter: StreamAdapter): Promise<{ batches: number }> {
  const seen = { batches: 0 };
  const starting = adapter.start(async () => {
    seen.batches++;
  });
  await adapter.close();
  await starting;
  return seen;
}

describe.skipIf(!HAVE_KAFKA)(`kafka adapter lifecycle${NO_KAFKA_REASON ? `: ${NO_KAFKA_REASON}` : ''}`, () => {
  let broker: TestBroker;
  beforeAll(async () => {
    broker = await startKafka();
  }, 120_000);
  afterAll(async () => broker?.close());

  it('closed while starting, leaves no member in the group', { timeout: 120_000 }, async () => {
    const b = binding('kafka', broker.url, 'k-closed-early');
    const admin = new Kafka({ clientId: 'test-admin', brokers: [broker.url], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: b.input }], waitForLeaders: true });
    await closeWhileStarting(new KafkaAdapter(b, 'test'));
    const { groups } = await admin.describeGroups([b.group]);
    await admin.disconnect();
    expect(groups[0]?.members ?? []).toEqual([]);
  });
});

describe.skipIf(!HAVE_REDIS)(`redis adapter lifecycle${NO_REDIS_REASON ? `: ${NO_REDIS_REASON}` : ''}`, () => {
  let broker: TestBroker;
  let redis: Redis;
  beforeAll(async () => {
    broker = await startRedis();
    redis = new Redis(broker.url, { protocol: 2 });
  }, 60_000);
  afterAll(async () => {
    redis?.disconnect();
    await broker?.close();
  });

  it('closed while starting, keeps no connection open', { timeout: 60_000 }, async () => {
    const clients = async () =>
      String(await redis.client('LIST'))
        .trim()
        .split('\n').length;
    const before = await clients();
    await closeWhileStarting(new RedisAdapter(binding('redis', broker.url, 'r-closed-early'), 'test'));
    expect(await clients()).toBe(before);
  });
});

describe.skipIf(!HAVE_NATS)(`nats adapter lifecycle${NO_NATS_REASON ? `: ${NO_NATS_REASON}` : ''}`, () => {
  let broker: TestBroker;
  beforeAll(async () => {
    broker = await startNats();
  }, 60_000);
  afterAll(async () => broker?.close());

  it('closed while starting, pulls nothing from the durable consumer', { timeout: 60_000 }, async () => {
    const b = binding('nats', broker.url, 'n-closed-early');
    const nc = await connect({ servers: broker.url });
    const jsm = await nc.jetstreamManager();
    await jsm.streams.add({ name: 'N_CLOSED_EARLY', subjects: [b.input] });
    await nc.jetstream().publish(b.input, Buffer.from('{}'));
    const adapter = new NatsAdapter(b, 'test');
    const seen = await closeWhileStarting(adapter);
    // A second close waits for a consume loop that start() may have begun after the first: nothing may have been read.
    await adapter.close();
    const info = await jsm.consumers.info('N_CLOSED_EARLY', b.group).catch(() => null);
    await nc.drain();
    expect(seen.batches).toBe(0);
    expect(info?.delivered.consumer_seq ?? 0).toBe(0);
  });
});

describe.skipIf(!HAVE_REDIS)(`redis adapter on a hung connection${NO_REDIS_REASON ? `: ${NO_REDIS_REASON}` : ''}`, () => {
  let broker: TestBroker;
  beforeAll(async () => {
    broker = await startRedis();
  }, 60_000);
  afterAll(async () => broker?.close());

  it('fails the consumer when the server stops answering its reads, instead of waiting for ever', { timeout: 60_000 }, async () => {
    const adapter = new RedisAdapter(binding('redis', broker.url, 'r-hung'), 'test');
    const failed = new Promise<Error>((resolve) => (adapter.onFailure = resolve));
    await adapter.start(async () => {});
    // The server takes no command for longer than the read's BLOCK plus its margin: the connection is hung.
    const admin = new Redis(broker.url, { protocol: 2 });
    await admin.call('CLIENT', 'PAUSE', String(READ_TIMEOUT_MARGIN_MS * 4), 'ALL');
    admin.disconnect();
    expect((await failed).message).toMatch(/timed out/i);
    await adapter.close();
  });
});

describe.skipIf(!HAVE_NATS)(`nats adapter after the input changes${NO_NATS_REASON ? `: ${NO_NATS_REASON}` : ''}`, () => {
  let broker: TestBroker;
  beforeAll(async () => {
    broker = await startNats();
  }, 60_000);
  afterAll(async () => broker?.close());

  /** Consumes with the binding until `n` messages came; answers their values. */
  async function consume(b: RunnableBinding, n: number): Promise<string[]> {
    const adapter = new NatsAdapter(b, 'test');
    const values: string[] = [];
    let enough!: () => void;
    const done = new Promise<void>((resolve) => (enough = resolve));
    await adapter.start(async (batch) => {
      values.push(...batch.map((m) => m.value.toString()));
      if (values.length >= n) enough();
    });
    await done;
    await adapter.close();
    return values;
  }

  it('consumes the new subject with the same durable consumer name', { timeout: 60_000 }, async () => {
    const nc = await connect({ servers: broker.url });
    const jsm = await nc.jetstreamManager();
    // One stream holds both subjects: the durable consumer stays in it, and must filter the new one.
    await jsm.streams.add({ name: 'LOANS', subjects: ['loans.>'] });
    const js = nc.jetstream();
    await js.publish('loans.a', Buffer.from('a1'));
    await js.publish('loans.b', Buffer.from('b1'));
    await js.publish('loans.b', Buffer.from('b2'));
    const before = binding('nats', broker.url, 'loans.a', { group: 'g-loans' });
    expect(await consume(before, 1)).toEqual(['a1']);
    expect(await consume({ ...before, input: 'loans.b', dead_letter: 'loans.b.dlq' }, 2)).toEqual(['b1', 'b2']);
    const info = await jsm.consumers.info('LOANS', 'g-loans');
    await nc.drain();
    expect(info.config.filter_subject).toBe('loans.b');
  });
});
