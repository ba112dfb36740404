/**
 * The stream-binding tests every broker passes, against the real broker started here, on both stores: 10,000
 * messages in, 10,000 results out with scikit-learn's predictions, bad messages dead-lettered with their reasons
 * (without holding up the others), each request logged once; and a SIGKILL in the middle of a stream, after which
 * every message has a result, a message scored twice answered the same request id both times, and the prediction
 * log holds each request once.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { BrokerKind } from '../helpers/brokers.js';
import { adminCall, type ChaosRig, ok200, seeded, seededInt } from '../chaos/support.js';
import { forEachStore } from '../support/stores.js';
import { waitFor } from '../support/ferry-servers.js';
import { type BrokerClient, brokerClient } from './broker-clients.js';
import { BAD_MESSAGES, expectResult, goodMessage, loggedIds, produceInWaves, requestIdsByKey, streamRig } from './support.js';

const N = 10_000;

/** What a position id looks like for each broker: the broker, the input, the partition and the place. */
const POSITION: Record<BrokerKind, string> = { kafka: '[0-3]:\\d+', redis: '0:\\d+-\\d+', nats: '0:\\d+' };

/** A binding field the broker would refuse (redis takes any key the API's schema lets through). */
const BAD_NAME: Record<BrokerKind, Record<string, string> | null> = { kafka: { output: '..' }, redis: null, nats: { input: 'loans..applications' } };

export function streamSuite(broker: BrokerKind): void {
  forEachStore(`${broker} stream binding`, (kind) => {
    let client: BrokerClient;
    let rig: ChaosRig;
    beforeAll(async () => {
      client = await brokerClient(broker);
      rig = await streamRig(kind);
    }, 240_000);
    afterAll(async () => {
      await rig?.close();
      await client?.close();
    });
    const url = () => client.broker.url;

    it('keeps credentials write-only and names the field of a bad binding', async () => {
      const created = await ok200(rig.server, 'POST', '/api/v1/deployments/risk/streams', {
        name: 'with-secret',
        kind: broker,
        url: url(),
        input: 'never-used',
        output: 'never-used-out',
        credentials: { username: 'svc', password: 'hunter2-very-secret' },
        enabled: false,
      });
      expect(created.stream).toMatchObject({ has_credentials: true, group: 'ferry-risk-with-secret', dead_letter: 'never-used.dlq', format: 'records' });
      expect(JSON.stringify(created)).not.toContain('hunter2');
      const listed = await ok200(rig.server, 'GET', '/api/v1/deployments/risk/streams');
      expect(JSON.stringify(listed)).not.toContain('hunter2');
      expect(listed.streams.find((s: any) => s.name === 'with-secret').status.state).toBe('stopped');
      const badUrl = broker === 'kafka' ? 'kafka://x' : 'http://x:1';
      const bad = await adminCall(rig.server, 'POST', '/api/v1/deployments/risk/streams', { name: 'bad', kind: broker, url: badUrl, input: 'a', output: 'b' });
      expect(bad.status).toBe(400);
      expect(JSON.stringify(bad.body)).toContain('url');
      const loop = await adminCall(rig.server, 'POST', '/api/v1/deployments/risk/streams', { name: 'loop', kind: broker, url: url(), input: 'a', output: 'a' });
      expect(loop.status).toBe(400);
      expect(JSON.stringify(loop.body)).toContain('output');
      // A name the broker would refuse (a NATS subject with an empty token, Kafka's '..') is refused here, naming its field.
      const badName = BAD_NAME[broker];
      if (badName) {
        const res = await adminCall(rig.server, 'POST', '/api/v1/deployments/risk/streams', {
          name: 'badname',
          kind: broker,
          url: url(),
          input: 'a',
          output: 'b',
          ...badName,
        });
        expect(res.status).toBe(400);
        expect(res.body.errors?.[0]?.field ?? res.body.error_code, JSON.stringify(res.body)).toBe(Object.keys(badName)[0]);
      }
      const none = await adminCall(rig.server, 'POST', '/api/v1/deployments/nope/streams', { name: 'x', kind: broker, url: url(), input: 'a', output: 'b' });
      expect(none.status).toBe(404);
      await ok200(rig.server, 'DELETE', '/api/v1/deployments/risk/streams/with-secret');
    });

    it(`scores ${N} messages with scikit-learn's answers, dead-letters bad ones with the reason, logs each once`, async () => {
      const [input, output, dlq] = [`in-${kind}`, `out-${kind}`, `in-${kind}.dlq`];
      await client.create(input, output, dlq);
      const good = Array.from({ length: N }, (_, i) => goodMessage(i));
      // The bad ones first: they must not hold up the rest.
      const bad = BAD_MESSAGES.map((b, j) => ({ key: `bad-${j}`, value: b.value }));
      await client.produce(input, [...bad, ...good]);
      await ok200(rig.server, 'POST', '/api/v1/deployments/risk/streams', {
        name: 'scores',
        kind: broker,
        url: url(),
        input,
        output,
        id_field: 'event_id',
        batch_size: 200,
      });
      const results = await client.read(output, (all) => all.length >= N);
      expect(results.length).toBe(N);
      const seen = new Set<number>();
      for (const m of results) {
        const body = JSON.parse(m.value.toString());
        const i = Number(String(body.request_id).slice(3));
        expect(m.headers['ferry-request-id']).toBe(body.request_id);
        expect(m.key).toBe(`user-${i % 97}`);
        expectResult(i, body);
        seen.add(i);
      }
      expect(seen.size).toBe(N);
      const dead = await client.read(dlq, (all) => all.length >= bad.length, 60_000);
      expect(dead.length).toBe(bad.length);
      for (const m of dead) {
        const j = Number(m.key!.slice(4));
        expect(m.value.toString()).toBe(BAD_MESSAGES[j]!.value);
        expect(m.headers['ferry-error'], `bad message ${j}`).toMatch(BAD_MESSAGES[j]!.reason);
        expect(m.headers['ferry-error-code']).toBe('INVALID_PARAMETER_VALUE');
        if (BAD_MESSAGES[j]!.field) expect(m.headers['ferry-error-field']).toBe(BAD_MESSAGES[j]!.field);
      }
      const logged = await loggedIds(rig.server);
      for (let i = 0; i < N; i++) expect(logged.get(`ev-${i}`), `ev-${i}`).toBe(1);
      const status = await waitFor(
        async () => (await ok200(rig.server, 'GET', '/api/v1/deployments/risk/streams/scores')).stream.status,
        (s) => s.lag === 0,
        30_000,
      );
      expect(status).toMatchObject({ state: 'running', lag: 0, messages_out: N, dead_lettered: bad.length, redelivered: 0 });
      expect(status.messages_in).toBe(N + bad.length);
      const metrics = await (await fetch(`${rig.server.url}/metrics`, { headers: { authorization: `Bearer ${rig.server.adminToken}` } })).text();
      expect(metrics).toContain(`ferry_stream_messages_total{deployment="risk",binding="scores",direction="out"} ${N}`);
      await ok200(rig.server, 'DELETE', '/api/v1/deployments/risk/streams/scores');
    }, 400_000);

    it('gives every message a result across a SIGKILL, repeats with the same request id, each logged once', async () => {
      const [input, output] = [`kill-in-${kind}`, `kill-out-${kind}`];
      await client.create(input, output, `${input}.dlq`);
      const total = 6000;
      await ok200(rig.server, 'POST', '/api/v1/deployments/risk/streams', { name: 'killed', kind: broker, url: url(), input, output, batch_size: 50 });
      // The stream arrives over time (waves of 100), so the kill lands while messages are being scored. Keys unique
      // per message: a result names its message by the key it keeps. No id field: the ids are the messages' places.
      const producing = produceInWaves(client, input, total, 50);
      const killAfter = seededInt(seeded(`${broker}-kill-${kind}`), 300, 1500);
      const before = await client.read(output, (all) => all.length >= killAfter, 60_000);
      if (before.length < killAfter) {
        const status = await adminCall(rig.server, 'GET', '/api/v1/deployments/risk/streams/killed');
        throw new Error(
          `only ${before.length} results before the kill; status: ${JSON.stringify(status.body?.stream?.status)}\n${rig.server.output().slice(-4000)}`,
        );
      }
      await rig.kill();
      await rig.restart();
      await producing;
      const results = await client.read(output, (all) => new Set(all.map((m) => m.key)).size >= total, 180_000);
      // A message scored twice (not acknowledged at the kill) answered the same request id both times.
      const ids = new Set(requestIdsByKey(results, total).values());
      for (const id of ids) expect(id).toMatch(new RegExp(`^${broker}:${input}:${POSITION[broker]}$`));
      const logged = await loggedIds(rig.server);
      for (const id of ids) expect(logged.get(id), id).toBe(1);
      expect([...logged.keys()].filter((id) => id.startsWith(`${broker}:${input}:`)).length).toBe(total);
      console.log(
        `[streams ${broker} ${kind}] killed after ${killAfter}+ results; ${results.length} results for ${total} messages (${results.length - total} repeated)`,
      );
    }, 400_000);
  });
}
