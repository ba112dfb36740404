/**
 * A batch held long (the deployment paused, its queue full) stays with the replica working on it, against the real
 * brokers: Redis entries have their idle time reset (XCLAIM … JUSTID), NATS messages their ack wait restarted
 * (`working`), so another replica does not take them over and score — and log — them a second time. Each case runs
 * with the keep-alive and, as the control, without it (the other replica then takes the batch), on short broker
 * timeouts so the test is quick.
 */
import { Redis } from 'ioredis';
import { connect, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NatsAdapter } from '../../src/serving/streams/nats-adapter.js';
import { RedisAdapter } from '../../src/serving/streams/redis-adapter.js';
import type { InMessage } from '../../src/serving/streams/stream-adapter.js';
import { HAVE_NATS, HAVE_REDIS, NO_NATS_REASON, NO_REDIS_REASON, startNats, startRedis, type TestBroker } from '../helpers/brokers.js';
import { binding } from './adapter-binding.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** A keep-alive far shorter than the broker's timeout below, or (the control) far longer than the hold. */
const KEEP_MS = 100;
const NO_KEEP_MS = 600_000;
/** How long the first replica holds its batch. */
const HOLD_MS = 4_000;

/** A handler that holds its first batch for HOLD_MS (a paused deployment) and records what it got. */
function holding() {
  const got: InMessage[] = [];
  let first!: () => void;
  const received = new Promise<void>((r) => (first = r));
  return {
    got,
    received,
    handle: async (batch: InMessage[]) => {
      got.push(...batch);
      first();
      await sleep(HOLD_MS);
    },
  };
}

describe.skipIf(!HAVE_REDIS)(`redis: a held batch stays with its consumer${NO_REDIS_REASON ? `: ${NO_REDIS_REASON}` : ''}`, () => {
  let broker: TestBroker;
  let client: Redis;
  beforeAll(async () => {
    broker = await startRedis();
    client = new Redis(broker.url, { protocol: 2 });
  }, 60_000);
  afterAll(async () => {
    client?.disconnect();
    await broker?.stop();
  });

  it.each([
    ['with the keep-alive, another consumer claims nothing', KEEP_MS, 0],
    ['without it (the control), another consumer claims the batch', NO_KEEP_MS, 3],
  ])('%s', { timeout: 60_000 }, async (_what, keepMs, claimed) => {
    const b = binding('redis', broker.url, `r-keep-${keepMs}`);
    for (let i = 0; i < 3; i++) await client.xadd(b.input, '*', 'value', JSON.stringify({ i }));
    const h = holding();
    const adapter = new RedisAdapter(b, 'replica-a', keepMs);
    await adapter.start(h.handle);
    try {
      await h.received;
      // Past an idle time of 2 s the batch counts as abandoned, as CLAIM_IDLE_MS does in production (a margin of
      // 1.9 s over the keep-alive, for a loaded machine).
      await sleep(3_000);
      const res = (await client.xautoclaim(b.input, b.group, 'replica-b', 2_000, '0-0', 'COUNT', 100, 'JUSTID')) as [string, string[]];
      expect(res[1]).toHaveLength(claimed);
    } finally {
      await adapter.close();
    }
    expect(h.got).toHaveLength(3);
  });
});

describe.skipIf(!HAVE_NATS)(`nats: a held batch stays with its consumer${NO_NATS_REASON ? `: ${NO_NATS_REASON}` : ''}`, () => {
  let broker: TestBroker;
  let nc: NatsConnection;
  beforeAll(async () => {
    broker = await startNats();
    nc = await connect({ servers: broker.url });
  }, 60_000);
  afterAll(async () => {
    await nc?.close();
    await broker?.stop();
  });

  it.each([
    ['with the keep-alive, nothing is delivered to the other replica', KEEP_MS, 0],
    ['without it (the control), the batch is delivered again to the other replica', NO_KEEP_MS, 3],
  ])('%s', { timeout: 60_000 }, async (_what, keepMs, redelivered) => {
    const b = binding('nats', broker.url, `keep.k${keepMs}`, { group: `keep-${keepMs}`, batch_size: 3 });
    const times = { ackWaitMs: 2_000, keepEveryMs: keepMs };
    const a = holding();
    const first = new NatsAdapter(b, 'replica-a', times);
    await first.start(a.handle);
    const other: InMessage[] = [];
    const second = new NatsAdapter(b, 'replica-b', times);
    try {
      const js = nc.jetstream();
      for (let i = 0; i < 3; i++) await js.publish(b.input, JSON.stringify({ i }));
      await a.received;
      await second.start(async (batch) => void other.push(...batch));
      // The first replica holds its batch for 4 s: twice the ack wait.
      await sleep(HOLD_MS - 500);
      expect(other).toHaveLength(redelivered);
      if (redelivered > 0) expect(other.every((m) => m.maybeSeen)).toBe(true);
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
    expect(a.got).toHaveLength(3);
  });
});
