/**
 * Two Ferry replicas (real `ferry server` processes on one PostgreSQL, separate data dirs) in one Kafka consumer
 * group on a topic of 4 partitions: both take partitions and score messages; one is stopped (SIGTERM) in the middle
 * of the stream, its partitions move to the other, and every message has a result, scored with scikit-learn's
 * answer, logged once. Needs the Kafka jars (scripts/stream-brokers.sh build) and PostgreSQL.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { HAVE_KAFKA, NO_KAFKA_REASON } from '../helpers/brokers.js';
import { Replica } from '../helpers/replica.js';
import { ensureBuilt, unusedPort } from '../support/ferry-process.js';
import { fixture } from '../support/models.js';
import { freshStore, storeKinds, type StoreHandle } from '../support/stores.js';
import { ok200 } from '../chaos/support.js';
import { type BrokerClient, brokerClient } from './broker-clients.js';
import { loggedIds, produceInWaves, requestIdsByKey } from './support.js';

const HAVE_POSTGRES = storeKinds().includes('postgres') && inject('postgresUrl') !== null;
const SKIP = !HAVE_KAFKA ? NO_KAFKA_REASON : !HAVE_POSTGRES ? 'PostgreSQL is not available (FERRY_TEST_STORES leaves it out)' : '';

describe.skipIf(SKIP !== '')('two replicas in one Kafka consumer group', () => {
  let handle: StoreHandle;
  let client: BrokerClient;
  let dir: string;
  const replicas: Replica[] = [];
  const adminToken = `ferry-test-${randomBytes(16).toString('hex')}`;
  const server = (r: Replica) => ({ url: r.url, adminToken });

  beforeAll(async () => {
    await ensureBuilt();
    [handle, client] = await Promise.all([freshStore('postgres'), brokerClient('kafka')]);
    dir = mkdtempSync(join(tmpdir(), 'ferry-stream-replicas-'));
    const secretKey = randomBytes(24).toString('hex');
    for (const name of ['r1', 'r2'])
      replicas.push(
        new Replica({
          name,
          port: await unusedPort(),
          storeUrl: handle.url,
          artifactsDir: join(dir, 'artifacts'),
          dataDir: join(dir, name),
          adminToken,
          secretKey,
        }),
      );
    for (const r of replicas) await r.start();
    const up = await fetch(`${replicas[0]!.url}/api/v1/models/credit/versions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/octet-stream' },
      body: readFileSync(fixture('credit_gbdt.onnx')),
    });
    expect(up.status).toBe(200);
    await ok200(server(replicas[0]!), 'POST', '/api/v1/deployments', { name: 'risk', routes: [{ model: 'credit', version: '1' }] });
  }, 300_000);
  afterAll(async () => {
    for (const r of replicas) await r.stop('SIGTERM').catch(() => {});
    await client?.close();
    await handle?.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('shares the partitions, and moves a stopped replica’s to the other without losing a message', async () => {
    const [input, output] = ['shared-in', 'shared-out'];
    await client.create(input, output, `${input}.dlq`);
    const total = 6000;
    await ok200(server(replicas[0]!), 'POST', '/api/v1/deployments/risk/streams', {
      name: 'shared',
      kind: 'kafka',
      url: client.broker.url,
      input,
      output,
      batch_size: 20,
    });
    // The stream arrives over time (waves of 100), so both replicas are in the group while it flows.
    const producing = produceInWaves(client, input, total, 100);
    // Both replicas score part of the stream before one leaves.
    const counts = async () =>
      Promise.all(
        replicas
          .filter((r) => r.running())
          .map(async (r) => (await ok200(server(r), 'GET', '/api/v1/deployments/risk/streams/shared')).stream.status.messages_out as number),
      );
    const deadline = Date.now() + 120_000;
    let seen: number[] = [];
    while (Date.now() < deadline) {
      seen = await counts();
      if (seen.length === 2 && seen.every((n) => n > 0)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(
      seen.every((n) => n > 0),
      `results per replica before the stop: ${seen.join(', ')}`,
    ).toBe(true);
    const exit = await replicas[1]!.stop('SIGTERM');
    expect(exit.code, replicas[1]!.output()).toBe(0);
    await producing;
    const results = await client.read(output, (all) => new Set(all.map((m) => m.key)).size >= total, 180_000);
    const ids = requestIdsByKey(results, total);
    const logged = await loggedIds(server(replicas[0]!));
    for (const id of ids.values()) expect(logged.get(id)).toBe(1);
    console.log(`[streams kafka replicas] before the stop: ${seen.join(' + ')} results; after: ${results.length} results for ${total} messages`);
  }, 400_000);
});
