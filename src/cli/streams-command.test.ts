/** `ferry deployments streams NAME` (built, as a child process) against a real server and a real redis-server. */
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAVE_REDIS, NO_REDIS_REASON, startRedis, type TestBroker } from '../../test/helpers/brokers.js';
import { type FerryServer, failed, ok, ROOT, runCli, startFerry } from '../../test/support/ferry-process.js';
import { FerryClient } from '../sdk/index.js';

const FIXTURES = join(ROOT, 'test', 'fixtures', 'models');

describe.skipIf(!HAVE_REDIS)(`ferry deployments streams${HAVE_REDIS ? '' : ` (${NO_REDIS_REASON})`}`, () => {
  let server: FerryServer;
  let broker: TestBroker;
  let env: Record<string, string>;
  const ferry = (...args: string[]) => runCli(args, env, { timeoutMs: 60_000 });

  beforeAll(async () => {
    [server, broker] = await Promise.all([startFerry(), startRedis()]);
    env = { FERRY_URL: server.url, FERRY_TOKEN: server.adminToken };
    ok(await ferry('models', 'register', join(FIXTURES, 'credit_gbdt.onnx'), '--name', 'credit'));
    ok(await ferry('deploy', 'risk', '--model', 'credit', '--version', '1'));
  }, 360_000);
  afterAll(async () => {
    await server?.stop();
    await broker?.close();
  });

  it('says when there are none, lists bindings with state, lag and counts, and prints the API answer with --json', { timeout: 120_000 }, async () => {
    const none = await ferry('deployments', 'streams', 'risk');
    expect(none.code).toBe(0);
    expect(none.stdout + none.stderr).toContain("Deployment 'risk' has no stream bindings.");
    const sdk = new FerryClient({ url: server.url, token: server.adminToken });
    await sdk.streams.create('risk', { name: 'apps', kind: 'redis', url: broker.url, input: 'apps', output: 'scores' });
    const redis = new Redis(broker.url, { protocol: 2 });
    await redis.xadd('apps', '*', 'value', '{"broken"');
    redis.disconnect();
    await expect.poll(async () => (await sdk.streams.get('risk', 'apps')).status.dead_lettered, { timeout: 30_000 }).toBe(1);
    const table = ok(await ferry('deployments', 'streams', 'risk'));
    expect(table).toMatch(/^BINDING +KIND +INPUT → OUTPUT +GROUP +STATE +LAG +IN +OUT +DEAD$/m);
    expect(table).toMatch(/^apps +redis +apps → scores +ferry-risk-apps +running +0 +1 +0 +1$/m);
    const json = JSON.parse(ok(await ferry('deployments', 'streams', 'risk', '--json')));
    expect(json.streams).toHaveLength(1);
    expect(json.streams[0]).toMatchObject({ name: 'apps', kind: 'redis', has_credentials: false, status: { state: 'running', dead_lettered: 1 } });
    expect(failed(await ferry('deployments', 'streams', 'nope'))).toMatch(/nope/);
  });
});
