/**
 * Producing results that the broker refuses, against a real Kafka, on both stores: a result too large for the output
 * topic is dead-lettered with the reason (not retried for ever) and the messages after it go on; a refusal that
 * persists (a compacted topic refusing a result without a key) shows the binding failed with the reason, and once
 * the topic is fixed the restarted consumer produces the result.
 */
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { HAVE_KAFKA, NO_KAFKA_REASON } from '../helpers/brokers.js';
import { type ChaosRig, ok200 } from '../chaos/support.js';
import { forEachStore } from '../support/stores.js';
import { waitFor } from '../support/ferry-servers.js';
import { type BrokerClient, brokerClient } from './broker-clients.js';
import { expectResult, goodMessage, streamRig } from './support.js';

if (!HAVE_KAFKA) it.skip(`stream produce errors: ${NO_KAFKA_REASON}`, () => {});
else
  forEachStore('stream produce errors (kafka)', (kind) => {
    let client: BrokerClient;
    let admin: Admin;
    let kafka: Kafka;
    let rig: ChaosRig;
    beforeAll(async () => {
      client = await brokerClient('kafka');
      kafka = new Kafka({ clientId: 'test-admin', brokers: [client.broker.url], logLevel: logLevel.NOTHING });
      admin = kafka.admin();
      await admin.connect();
      rig = await streamRig(kind);
    }, 240_000);
    afterAll(async () => {
      await rig?.close();
      await admin?.disconnect();
      await client?.close();
    });
    const status = (name: string) => async () => (await ok200(rig.server, 'GET', `/api/v1/deployments/risk/streams/${name}`)).stream.status;
    const topic = (name: string, configEntries: { name: string; value: string }[] = []) =>
      admin.createTopics({ topics: [{ topic: name, numPartitions: 1, configEntries }], waitForLeaders: true });

    it('dead-letters a result too large for the output topic, with the reason, and goes on', { timeout: 120_000 }, async () => {
      const [input, output, dlq] = [`big-in-${kind}`, `big-out-${kind}`, `big-in-${kind}.dlq`];
      await topic(input);
      await topic(dlq);
      // Smaller than any result (a record batch with one result and its headers).
      await topic(output, [{ name: 'max.message.bytes', value: '64' }]);
      await client.produce(input, [goodMessage(0), goodMessage(1)]);
      await ok200(rig.server, 'POST', '/api/v1/deployments/risk/streams', {
        name: 'big',
        kind: 'kafka',
        url: client.broker.url,
        input,
        output,
        id_field: 'event_id',
      });
      const dead = await client.read(dlq, (all) => all.length >= 2, 60_000);
      expect(dead.map((m) => m.key).sort()).toEqual([goodMessage(0).key, goodMessage(1).key].sort());
      for (const m of dead) {
        expect(m.headers['ferry-error-code']).toBe('PAYLOAD_TOO_LARGE');
        expect(m.headers['ferry-error']).toMatch(/size/);
        expect(m.headers['ferry-request-id']).toMatch(/^ev-[01]$/);
      }
      const s = await waitFor(status('big'), (x) => x.lag === 0, 30_000);
      expect(s).toMatchObject({ state: 'running', messages_out: 0, dead_lettered: 2 });
      await ok200(rig.server, 'DELETE', '/api/v1/deployments/risk/streams/big');
    });

    it('shows the binding failed with the reason while producing keeps failing, and produces once it can', { timeout: 120_000 }, async () => {
      const [input, output] = [`stuck-in-${kind}`, `stuck-out-${kind}`];
      await topic(input);
      // A compacted topic refuses a message without a key (INVALID_RECORD), every time: the result keeps the input's none.
      await topic(output, [{ name: 'cleanup.policy', value: 'compact' }]);
      const producer = kafka.producer();
      await producer.connect();
      await producer.send({ topic: input, messages: [{ key: null, value: goodMessage(7).value }] });
      await producer.disconnect();
      await ok200(rig.server, 'POST', '/api/v1/deployments/risk/streams', {
        name: 'stuck',
        kind: 'kafka',
        url: client.broker.url,
        input,
        output,
        id_field: 'event_id',
      });
      const failed = await waitFor(status('stuck'), (x) => x.state === 'failed', 60_000);
      expect(failed.state).toBe('failed');
      expect(failed.reason, JSON.stringify(failed)).toContain(output);
      await admin.alterConfigs({
        validateOnly: false,
        resources: [{ type: 2 /* TOPIC */, name: output, configEntries: [{ name: 'cleanup.policy', value: 'delete' }] }],
      });
      const out = await client.read(output, (all) => all.length >= 1, 60_000);
      expect(out.length).toBeGreaterThanOrEqual(1);
      expectResult(7, JSON.parse(out[0]!.value.toString()));
      await ok200(rig.server, 'DELETE', '/api/v1/deployments/risk/streams/stuck');
    });
  });
