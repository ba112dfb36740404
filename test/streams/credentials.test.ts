/**
 * A binding's credentials against brokers that demand them, on both stores: Kafka with SASL/PLAIN and NATS with a
 * user and password. Without the credentials the consumer fails and says why; with them (stored sealed, never
 * answered) messages are scored. Redis with a password: test/streams/formats.test.ts.
 */
import { connect, headers as natsHeaders } from 'nats';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { HAVE_KAFKA, HAVE_NATS, NO_KAFKA_REASON, NO_NATS_REASON, startKafka, startNats, type TestBroker } from '../helpers/brokers.js';
import { type ChaosRig, ok200 } from '../chaos/support.js';
import { forEachStore } from '../support/stores.js';
import { waitFor } from '../support/ferry-servers.js';
import { expectResult, rowMessage, streamRig } from './support.js';

const USER = { username: 'scorer', password: 'scorer-secret-31f9' };

/** Binds without credentials (it must fail, naming why), then with them; answers the status once running. */
async function failsThenRuns(rig: ChaosRig, kind: 'kafka' | 'nats', url: string, why: RegExp): Promise<void> {
  await ok200(rig.server, 'POST', '/api/v1/deployments/risk/streams', { name: `${kind}-anon`, kind, url, input: 'anon-in', output: 'anon-out' });
  const failed = await waitFor(
    async () => (await ok200(rig.server, 'GET', `/api/v1/deployments/risk/streams/${kind}-anon`)).stream.status,
    (s) => s.state === 'failed',
    60_000,
  );
  expect(failed.reason, JSON.stringify(failed)).toMatch(why);
  await ok200(rig.server, 'DELETE', `/api/v1/deployments/risk/streams/${kind}-anon`);
  const made = await ok200(rig.server, 'POST', '/api/v1/deployments/risk/streams', {
    name: `${kind}-auth`,
    kind,
    url,
    input: `${kind}-in`,
    output: `${kind}-out`,
    credentials: { ...USER, ...(kind === 'kafka' ? { mechanism: 'plain' } : {}) },
  });
  expect(made.stream.has_credentials).toBe(true);
  expect(JSON.stringify(made)).not.toContain(USER.password);
}

forEachStore('stream binding credentials', (kind) => {
  let rig: ChaosRig;
  beforeAll(async () => {
    rig = await streamRig(kind);
  }, 240_000);
  afterAll(async () => rig?.close());

  if (!HAVE_KAFKA) it.skip(`Kafka SASL/PLAIN: ${NO_KAFKA_REASON}`, () => {});
  else
    it('signs in to Kafka with SASL/PLAIN', async () => {
      const broker: TestBroker = await startKafka({ sasl: USER });
      try {
        const kafka = new Kafka({ brokers: [broker.url], sasl: { mechanism: 'plain', ...USER }, logLevel: logLevel.NOTHING });
        const admin = kafka.admin();
        await admin.connect();
        await admin.createTopics({
          topics: ['kafka-in', 'kafka-out'].map((topic) => ({ topic, numPartitions: 1, replicationFactor: 1 })),
          waitForLeaders: true,
        });
        await admin.disconnect();
        await failsThenRuns(rig, 'kafka', broker.url, /SASL|authenticat|disconnect|connection|closed/i);
        const producer = kafka.producer();
        await producer.connect();
        await producer.send({ topic: 'kafka-in', messages: Array.from({ length: 20 }, (_, i) => ({ key: `m-${i}`, value: rowMessage(i) })) });
        await producer.disconnect();
        const status = await waitFor(
          async () => (await ok200(rig.server, 'GET', '/api/v1/deployments/risk/streams/kafka-auth')).stream.status,
          (s) => s.messages_out >= 20,
          60_000,
        );
        expect(status.state).toBe('running');
        const consumer = kafka.consumer({ groupId: 'reader' });
        await consumer.connect();
        await consumer.subscribe({ topics: ['kafka-out'], fromBeginning: true });
        const got: any[] = [];
        await consumer.run({
          eachMessage: async ({ message }) => void got.push({ key: message.key!.toString(), body: JSON.parse(message.value!.toString()) }),
        });
        await waitFor(
          async () => got.length,
          (n) => n >= 20,
          30_000,
        );
        await consumer.disconnect();
        for (const g of got) expectResult(Number(g.key.slice(2)), g.body);
      } finally {
        await ok200(rig.server, 'DELETE', '/api/v1/deployments/risk/streams/kafka-auth').catch(() => {});
        await broker.close();
      }
    }, 240_000);

  if (!HAVE_NATS) it.skip(`NATS user and password: ${NO_NATS_REASON}`, () => {});
  else
    it('signs in to NATS with a user and password', async () => {
      const broker: TestBroker = await startNats({ auth: USER });
      try {
        await failsThenRuns(rig, 'nats', broker.url, /authoriz|auth/i);
        const nc = await connect({ servers: broker.url, user: USER.username, pass: USER.password });
        const jsm = await nc.jetstreamManager();
        // The binding made the input's stream (none held the subject); publish into it.
        await waitFor(
          () => jsm.streams.find('nats-in').catch(() => null),
          (s) => s !== null,
          30_000,
        );
        const js = nc.jetstream();
        for (let i = 0; i < 20; i++) {
          const h = natsHeaders();
          h.set('key', `m-${i}`);
          await js.publish('nats-in', Buffer.from(rowMessage(i)), { headers: h });
        }
        const status = await waitFor(
          async () => (await ok200(rig.server, 'GET', '/api/v1/deployments/risk/streams/nats-auth')).stream.status,
          (s) => s.messages_out >= 20,
          60_000,
        );
        expect(status.state).toBe('running');
        const out = await jsm.streams.find('nats-out');
        for (let seq = 1; seq <= 20; seq++) {
          const m = await jsm.streams.getMessage(out, { seq });
          expectResult(Number(m.header!.get('key').slice(2)), JSON.parse(Buffer.from(m.data).toString()));
        }
        await nc.drain();
      } finally {
        await ok200(rig.server, 'DELETE', '/api/v1/deployments/risk/streams/nats-auth').catch(() => {});
        await broker.close();
      }
    }, 240_000);
});
