/**
 * The prediction log across process death: SIGKILL during heavy logging leaves a store that opens and
 * answers (rows written so far are whole); SIGTERM flushes everything answered before it.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { fixture, expectedOf } from './support/models.js';
import { type FerryServer, startFerry } from './support/ferry-process.js';
import { freshStore, storeKinds } from './support/stores.js';
import { expandBatch } from '../src/prediction-log/prediction-batch.js';
import type { PredictionBatchTable } from '../src/store/index.js';

const credit = expectedOf('credit_gbdt');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function call(s: FerryServer, method: string, path: string, body?: unknown, type = 'application/json') {
  const res = await fetch(`${s.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${s.adminToken}`, ...(body !== undefined ? { 'content-type': type } : {}) },
    ...(body !== undefined ? { body: type === 'application/json' ? JSON.stringify(body) : (body as unknown as BodyInit) } : {}),
  });
  return { status: res.status, body: (await res.json()) as any };
}

async function serverWithDeployment(dataDir: string, token: string, env: Record<string, string> = {}): Promise<FerryServer> {
  const s = await startFerry({ dataDir, adminToken: token, env });
  expect((await call(s, 'POST', '/api/v1/models/credit/versions', readFileSync(fixture('credit_gbdt.onnx')), 'application/octet-stream')).status).toBe(200);
  expect((await call(s, 'POST', '/api/v1/deployments', { name: 'risk', routes: [{ model: 'credit', version: '1' }] })).status).toBe(200);
  return s;
}

async function loggedIds(s: FerryServer): Promise<Set<string>> {
  const ids = new Set<string>();
  let token = '';
  for (;;) {
    const page = await call(s, 'GET', `/api/v1/deployments/risk/predictions?limit=1000${token ? `&page_token=${token}` : ''}`);
    expect(page.status).toBe(200);
    for (const p of page.body.predictions) ids.add(p.request_id);
    if (!page.body.next_page_token) return ids;
    token = page.body.next_page_token;
  }
}

describe('prediction log durability', () => {
  it('loses nothing answered before a graceful SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-durable-'));
    dirs.push(dir);
    const token = 'ferry-test-durable-token-0123456789';
    const s = await serverWithDeployment(dir, token);
    const answered = await Promise.all(
      Array.from({ length: 300 }, (_, i) => call(s, 'POST', '/api/v1/deployments/risk/predict', { instances: [credit.records[i % 20]] })),
    );
    expect(answered.every((a) => a.status === 200)).toBe(true);
    await s.signal('SIGTERM');
    const again = await startFerry({ dataDir: dir, adminToken: token });
    try {
      const ids = await loggedIds(again);
      for (const a of answered) expect(ids.has(a.body.request_id)).toBe(true);
    } finally {
      await again.stop();
    }
  }, 60_000);

  it('survives SIGKILL during heavy logging: the store opens, passes an integrity check and serves', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-killed-'));
    dirs.push(dir);
    const token = 'ferry-test-killed-token-0123456789';
    const s = await serverWithDeployment(dir, token);
    let sent = 0;
    let answered = 0;
    let stop = false;
    const clients = Array.from({ length: 16 }, async () => {
      while (!stop) {
        sent++;
        await call(s, 'POST', '/api/v1/deployments/risk/predict', { instances: credit.records.slice(0, 10) }).then(
          (res) => void (res.status === 200 && answered++),
          () => (stop = true),
        );
      }
    });
    // Kill it mid-stream: at least 1.5 s and 200 answers in (however slow the machine), requests still flowing.
    const started = Date.now();
    while ((answered < 200 || Date.now() - started < 1_500) && Date.now() - started < 30_000) await new Promise((r) => setTimeout(r, 50));
    await s.signal('SIGKILL');
    stop = true;
    await Promise.all(clients);
    expect(answered).toBeGreaterThanOrEqual(200);
    expect(sent).toBeGreaterThan(answered);

    const db = new Database(join(dir, 'ferry.db'));
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    // Requests are written whole: every logged request has all of its 10 rows.
    const stored = (db.prepare('select * from prediction_batches').all() as PredictionBatchTable[]).flatMap(expandBatch);
    expect(stored.length).toBeGreaterThan(0);
    const partial = stored.filter((r) => r.rows !== 10 || JSON.parse(r.inputs).values.length !== 70 || JSON.parse(r.outputs).values.length !== 30);
    expect(partial).toEqual([]);
    db.close();

    const again = await startFerry({ dataDir: dir, adminToken: token });
    try {
      // Deployments come back in the background after a restart.
      for (let i = 0; i < 100 && !(await call(again, 'GET', '/v2/models/risk/ready')).body.ready; i++) await new Promise((r) => setTimeout(r, 100));
      const res = await call(again, 'POST', '/api/v1/deployments/risk/predict', { instances: [credit.records[0]] });
      expect(res.status).toBe(200);
      const ids = await loggedIds(again);
      expect(ids.has(res.body.request_id)).toBe(true);
      expect(ids.size).toBeLessThanOrEqual(sent + 1);
    } finally {
      await again.stop();
    }
  }, 60_000);

  it.runIf(storeKinds().includes('postgres'))(
    'logs and profiles through the monitoring thread on PostgreSQL too',
    async () => {
      const pg = await freshStore('postgres');
      const dir = mkdtempSync(join(tmpdir(), 'ferry-pg-'));
      dirs.push(dir);
      const s = await serverWithDeployment(dir, 'ferry-test-pg-token-0123456789abc', { FERRY_STORE: pg.url });
      try {
        const answered = await Promise.all(
          Array.from({ length: 50 }, (_, i) =>
            call(s, 'POST', '/api/v1/deployments/risk/predict', { instances: [credit.records[i % 20], credit.records[(i + 1) % 20]] }),
          ),
        );
        const ids = await loggedIds(s);
        for (const a of answered) expect(ids.has(a.body.request_id)).toBe(true);
        const quality = await call(s, 'GET', '/api/v1/deployments/risk/quality?from=1h');
        expect(quality.body.features.find((f: any) => f.name === 'age').rows).toBe(100);
      } finally {
        await s.stop();
        await pg.cleanup();
      }
    },
    60_000,
  );
});
