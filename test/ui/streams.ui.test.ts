/**
 * The deployment page's Streams panel in a real chromium against a real `ferry server` and a real redis-server: a
 * binding consuming a Redis stream shows its broker, destinations, state, lag and message counts (compared with
 * the API's), a bad message counts as dead-lettered, and the lag is drawn once two readings are in. A deployment
 * without bindings says so. Screenshots go to test-results/ui/.
 */
import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FerryClient } from '../../src/sdk/index.js';
import { HAVE_REDIS, NO_REDIS_REASON, startRedis, type TestBroker } from '../helpers/brokers.js';
import { closeBrowser, describeUi, openUi, type UiSession } from '../support/browser.js';
import { type FerryServer, startFerry } from '../support/ferry-process.js';
import { expectedOf, fixture } from '../support/models.js';

const RECORDS = expectedOf('credit_gbdt').records as Record<string, unknown>[];

if (!HAVE_REDIS) it.skip(`Streams panel: ${NO_REDIS_REASON}`, () => {});
else
  describeUi('Streams panel of a deployment', () => {
    let server: FerryServer;
    let client: FerryClient;
    let redis: TestBroker;
    let producer: Redis;
    let ui: UiSession;

    beforeAll(async () => {
      [server, redis] = await Promise.all([startFerry(), startRedis()]);
      client = new FerryClient({ url: server.url, token: server.adminToken });
      producer = new Redis(redis.url, { protocol: 2 });
      await client.modelVersions.register('credit', readFileSync(fixture('credit_gbdt.onnx')));
      await client.deployments.create('credit-risk', { routes: [{ model: 'credit', version: '1' }] });
      await client.deployments.create('http-only', { routes: [{ model: 'credit', version: '1' }] });
      ui = await openUi(server.url);
      await ui.goto('#/deployments/credit-risk');
      await ui.signIn(server.adminToken);
    }, 180_000);
    afterAll(async () => {
      producer?.disconnect();
      await ui?.close();
      await closeBrowser();
      await server?.stop();
      await redis?.close();
    });

    it('shows a binding with its state, lag and counts, a dead letter, and draws the lag', async () => {
      await client.streams.create('credit-risk', { name: 'applications', kind: 'redis', url: redis.url, input: 'applications', output: 'scores' });
      const p = producer.pipeline();
      for (let i = 0; i < 300; i++) p.xadd('applications', '*', 'value', JSON.stringify(RECORDS[i % RECORDS.length]));
      p.xadd('applications', '*', 'value', '{"not": "a row"');
      await p.exec();
      await expect.poll(async () => (await client.streams.get('credit-risk', 'applications')).status.messages_out, { timeout: 30_000 }).toBe(300);
      await ui.goto('#/deployments/credit-risk');
      const table = ui.page.getByRole('table', { name: 'Stream bindings' });
      await expect.poll(() => table.locator('tbody tr').count(), { timeout: 20_000 }).toBe(1);
      const row = table.locator('tbody tr').first();
      await expect.poll(() => row.textContent(), { timeout: 20_000 }).toContain('300');
      const text = (await row.textContent())!;
      expect(text).toContain('applications');
      expect(text).toContain('applications → scores');
      expect(text).toContain(`redis · ${redis.url}`);
      expect(await row.getByTestId('stream-state').textContent()).toBe('running');
      const api = await client.streams.get('credit-risk', 'applications');
      expect(api.status).toMatchObject({ messages_in: 301, messages_out: 300, dead_lettered: 1 });
      // Lag, in, out, dead-lettered, redelivered: the last five cells.
      const cells = await row.locator('td').allTextContents();
      expect(cells.slice(-5)).toEqual(['0', '301', '300', '1', '0']);
      await expect.poll(() => ui.page.locator('.chart-card[data-chart="stream-lag"] canvas').count(), { timeout: 20_000 }).toBeGreaterThan(0);
      await ui.screenshot('streams');
    }, 90_000);

    it('says when a deployment has no bindings', async () => {
      await ui.goto('#/deployments/http-only');
      await expect.poll(async () => (await ui.page.getByTestId('streams').textContent()) ?? '', { timeout: 20_000 }).toContain('No stream bindings');
    });

    it('logged no console errors', () => {
      ui.expectNoConsoleErrors();
    });
  });
