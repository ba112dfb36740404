/**
 * Live performance over a busy window does not hold the server: the join with the log and the scoring yield to the
 * event loop as they go. SQLite's driver answers synchronously, so without those yields a scrape of /metrics (which
 * reads live performance once a minute) held every other request for as long as the join took — the 30-minute
 * soak's p99 grew 27× as the window's feedback grew. Counted in turns of the event loop, never in time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.js';
import { registerFixture } from './support/models.js';
import { storeKinds } from './support/stores.js';

const ROWS = 200;
const REQUESTS = 30; // 6,000 rows with feedback: several of the join's pages

describe.each(storeKinds())('live performance yields as it joins [%s]', (kind) => {
  let t: TestApp;
  const labels: number[] = [];
  const predicted: number[] = [];
  beforeAll(async () => {
    t = await startTestApp(kind);
    await registerFixture(t, 'credit', 'credit_gbdt.onnx');
    expect((await t.call('POST', '/api/v1/deployments', { name: 'busy', routes: [{ model: 'credit', version: '1' }] })).status).toBe(200);
    const expected = (await import('./support/models.js')).expectedOf('credit_gbdt');
    const records = expected.records as Record<string, unknown>[];
    for (let i = 0; i < REQUESTS; i++) {
      const instances = Array.from({ length: ROWS }, (_, k) => records[(i + k) % records.length]!);
      const res = await t.call('POST', '/api/v1/deployments/busy/predict', { instances });
      expect(res.status).toBe(200);
      const out = res.body.predictions as Record<string, unknown>[];
      const fb = instances.map((_, row) => ({ request_id: res.body.request_id, row, label: (i + row) % 2 }));
      for (let row = 0; row < ROWS; row++) {
        labels.push((i + row) % 2);
        predicted.push(Number(out[row]!['label']));
      }
      expect((await t.call('POST', '/api/v1/feedback', fb as unknown as object)).body).toMatchObject({ accepted: ROWS });
    }
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it('lets other callbacks run many times while it reads 6,000 joined rows, and answers the same accuracy', async () => {
    // The log's queue is written first, so that flush is not what lets the callbacks in.
    await t.app.ferry.monitoring.drift.performance('busy', { from: 0, to: Date.now() + 1 });
    let turns = 0;
    let counting = true;
    const turn = () => {
      if (!counting) return;
      turns++;
      setImmediate(turn);
    };
    setImmediate(turn);
    const report = await t.app.ferry.monitoring.drift.performance('busy', { from: 0, to: Date.now() + 1 });
    counting = false;
    expect(report.n).toBe(ROWS * REQUESTS);
    const accuracy = labels.filter((l, i) => l === predicted[i]).length / labels.length;
    expect(report.overall).toMatchObject({ task: 'classification' });
    expect((report.overall as { accuracy: number }).accuracy).toBeCloseTo(accuracy, 12);
    // Six pages of the join and three steps of the parse at least; a join that never yielded gives none or one.
    expect(turns).toBeGreaterThanOrEqual(8);
  });
});
