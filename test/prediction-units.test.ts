/**
 * A/B test units in the prediction log, over HTTP on both stores: while a test is assigned to a deployment,
 * routed requests are split by the test's salt and logged with their unit and the test's id (the unit keyed
 * with the installation's PII key when the deployment's PII rules hash or drop the sticky key's field, so
 * the raw value is stored nowhere); shadows and requests before the test carry neither; batches written
 * before units existed still read; requestUnit finds a logged request's unit.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashValue } from '../src/prediction-log/index.js';
import { BatchBuilder, listSide } from '../src/prediction-log/prediction-batch.js';
import { requestId } from '../src/serving/deployments/request-id.js';
import { recordsToFeeds } from '../src/serving/protocols/records-codec.js';
import type { PredictionEvent } from '../src/serving/index.js';
import { startTestApp, type TestApp } from './support/app.js';
import { expectedOf } from './support/models.js';
import { forEachStore } from './support/stores.js';
import { deployTwoVersions, registerCreditVersions } from './support/abtest-fixtures.js';

const SALT = 'salt-of-the-test';
const TEST_ID = 'abt-1';

/** The arm (route index) a unit gets with weights 50/50 under SALT: sha256(salt, NUL, unit), as issue 16 asks. */
function armOf(unit: string): number {
  const point = (createHash('sha256').update(`${SALT}\0${unit}`).digest().readUInt32BE(0) / 2 ** 32) * 100;
  return point < 50 ? 0 : 1;
}

forEachStore('A/B test units in the prediction log', (kind) => {
  let t: TestApp;
  const credit = expectedOf('credit_gbdt');
  const one = { dataframe_records: [credit.records[0]] };
  beforeAll(async () => {
    t = await startTestApp(kind);
    await registerCreditVersions(t);
    await deployTwoVersions(t, 'ab', [50, 50], { shadow: [{ model: 'credit', version: '2' }] });
  });
  afterAll(async () => {
    t.app.ferry.runtime.setAssignment('ab', null);
    await t?.close();
  });

  const predict = (body: object) => t.call('POST', '/api/v1/deployments/ab/predict', body);
  const logged = async (query = '') => {
    const res = await t.call('GET', `/api/v1/deployments/ab/predictions?limit=1000${query}`);
    expect(res.status).toBe(200);
    return res.body.predictions as Record<string, any>[];
  };
  const byRequest = (ps: Record<string, any>[], id: string, route = 'main') => ps.filter((p) => p.request_id === id && p.route === route);

  describe('units as sent', () => {
    const before: string[] = [];
    const served = new Map<string, { customer: string | null; version: string }>();

    beforeAll(async () => {
      // Requests before the test: no unit, and in the same batches as the test's first ones.
      for (let i = 0; i < 3; i++) before.push((await predict({ ...one, customer: `c-${i}` })).body.request_id);
      t.app.ferry.runtime.setAssignment('ab', { abtestId: TEST_ID, salt: SALT });
      for (let i = 0; i < 40; i++) {
        const customer = `c-${i % 20}`;
        const res = await predict({ ...one, customer });
        expect(res.status).toBe(200);
        served.set(res.body.request_id, { customer, version: res.body.model_version });
      }
      for (let i = 0; i < 5; i++) {
        const res = await predict(one);
        served.set(res.body.request_id, { customer: null, version: res.body.model_version });
      }
    });

    it("routes each unit by the test's salt (the same unit always to the same arm)", () => {
      const arms = new Set<number>();
      for (const { customer, version } of served.values()) {
        if (customer === null) continue;
        arms.add(armOf(customer));
        expect(version).toBe(armOf(customer) === 0 ? '1' : '2');
      }
      expect(arms.size).toBe(2); // 20 units: both arms have some (a 50/50 split leaves one empty once in 2^19)
    });

    it('logs the unit (the sticky value, or the request id without one) and the test; shadows and earlier requests carry neither', async () => {
      // Shadows are answered after the caller is: wait for them to be logged.
      let ps = await logged();
      for (let i = 0; i < 200 && ps.filter((p) => p.route === 'shadow' && served.has(p.request_id)).length < served.size; i++) {
        await new Promise((r) => setTimeout(r, 20));
        ps = await logged();
      }
      for (const [id, s] of served) {
        const [p] = byRequest(ps, id);
        expect(p).toMatchObject({ unit: s.customer ?? id, abtest: TEST_ID, model_version: s.version });
        const shadow = byRequest(ps, id, 'shadow');
        expect(shadow).toHaveLength(1);
        expect(shadow[0]).not.toHaveProperty('unit');
        expect(shadow[0]).not.toHaveProperty('abtest');
      }
      for (const id of before) {
        const [p] = byRequest(ps, id);
        expect(p).toBeDefined();
        expect(p).not.toHaveProperty('unit');
        expect(p).not.toHaveProperty('abtest');
      }
      // The CSV export has them as columns (empty for requests no test counted).
      const csv = await t.app.inject({ method: 'GET', url: '/api/v1/deployments/ab/predictions?format=csv&route=main', headers: t.auth });
      const [header, ...lines] = csv.body.trim().split('\n');
      const cols = header!.split(',');
      const cells = new Map(lines.map((l) => l.split(',')).map((c) => [c[cols.indexOf('request_id')], c]));
      for (const [id, s] of served) expect([cells.get(id)![cols.indexOf('unit')], cells.get(id)![cols.indexOf('abtest')]]).toEqual([s.customer ?? id, TEST_ID]);
      expect([cells.get(before[0])![cols.indexOf('unit')], cells.get(before[0])![cols.indexOf('abtest')]]).toEqual(['', '']);
    });

    it('finds a logged request’s unit, test, version and time (requestUnit); null for an unknown or untested one', async () => {
      const svc = t.app.ferry.monitoring.service;
      const ps = await logged();
      for (const [id, s] of [...served].slice(0, 10)) {
        const [p] = byRequest(ps, id);
        expect(await svc.requestUnit(id)).toEqual({
          deployment: 'ab',
          unit: s.customer ?? id,
          abtest: TEST_ID,
          modelVersion: s.version,
          ts: Date.parse(p!.timestamp),
        });
      }
      expect(await svc.requestUnit(before[0]!)).toMatchObject({ deployment: 'ab', unit: null, abtest: null });
      expect(await svc.requestUnit(requestId(Date.now() - 5_000))).toBeNull();
      expect(await svc.requestUnit('not-a-logged-id')).toBeNull();
    });

    it('is not tagged for a request addressed to a version (not traffic)', async () => {
      // As the Open Inference Protocol's /v2/models/ab/versions/2/infer calls it.
      const fields = { ...one, customer: 'c-1' };
      const res = await t.app.ferry.runtime.infer('ab', 'records', (r) => recordsToFeeds(fields, r.pool.signature, 10), { version: '2', sticky: 'c-1' });
      const [p] = byRequest(await logged(), res.requestId);
      expect(p).toBeDefined();
      expect(p).not.toHaveProperty('unit');
    });
  });

  describe('units covered by PII rules', () => {
    for (const rule of ['hash', 'drop'] as const) {
      it(`stores the unit keyed with the installation's PII key when the rules ${rule} the sticky key's field`, async () => {
        const put = await t.call('PUT', '/api/v1/deployments/ab/monitoring', { pii: { [rule]: ['customer'] } });
        expect(put.status).toBe(200);
        t.app.ferry.runtime.setAssignment('ab', { abtestId: `${TEST_ID}-${rule}`, salt: SALT });
        const raw = `secret-customer-${rule}-7`;
        const ids: string[] = [];
        for (let i = 0; i < 3; i++) ids.push((await predict({ ...one, customer: raw })).body.request_id);
        const noSticky = (await predict(one)).body.request_id as string;
        const key = t.app.ferry.monitoring.service.piiKey();
        expect(key.length).toBe(32);
        const keyed = hashValue(key, raw)!;
        expect(keyed).toMatch(/^h:[0-9a-f]{32}$/);
        const ps = await logged();
        for (const id of ids) expect(byRequest(ps, id)[0]).toMatchObject({ unit: keyed, abtest: `${TEST_ID}-${rule}` });
        expect((await t.app.ferry.monitoring.service.requestUnit(ids[0]!))!.unit).toBe(keyed);
        // The request id is no personal data: kept as it is.
        expect(byRequest(ps, noSticky)[0]).toMatchObject({ unit: noSticky });
        // The raw value is stored nowhere.
        const rows = await t.store.db.selectFrom('prediction_batches').select(['requests', 'payload']).where('deployment', '=', 'ab').execute();
        expect(rows.length).toBeGreaterThan(0);
        for (const r of rows) expect(r.requests + r.payload).not.toContain(raw);
        await t.call('PUT', '/api/v1/deployments/ab/monitoring', { pii: { drop: [], hash: [] } });
      });
    }
  });

  it('tells every observer of each request, one failing observer failing neither the request nor the others', async () => {
    const seen: PredictionEvent[] = [];
    t.app.ferry.runtime.addObserver({
      prediction: () => {
        throw new Error('an observer with a bug');
      },
    });
    t.app.ferry.runtime.addObserver({ prediction: (e) => void seen.push(e) });
    t.app.ferry.runtime.setAssignment('ab', { abtestId: 'abt-observers', salt: SALT });
    const res = await predict({ ...one, customer: 'c-observed' });
    expect(res.status).toBe(200);
    const mine = seen.filter((e) => e.requestId === res.body.request_id && e.route === 'main');
    expect(mine.map((e) => [e.unit, e.abtest, e.unitField, e.modelVersion])).toEqual([['c-observed', 'abt-observers', 'customer', res.body.model_version]]);
    expect(byRequest(await logged(), res.body.request_id)[0]).toMatchObject({ unit: 'c-observed', abtest: 'abt-observers' });
  });

  it('reads batches written before units were logged (no units in their requests)', async () => {
    const ts = Date.now() - 60_000;
    const b = new BatchBuilder();
    const ids = [requestId(ts), requestId(ts + 1)];
    for (const [i, id] of ids.entries())
      b.add(
        { requestId: id, deployment: 'ab', revision: 1, model: 'credit', modelVersion: '1', route: 'main', status: 'ok', ts: ts + i, rows: 1, latencyUs: 10 },
        listSide(['x'], [], 1, [i]),
        listSide(['label'], [1], 1, [i % 2]),
      );
    const batches = b.finish();
    // What the log wrote before: the same keys, none more.
    expect(Object.keys(JSON.parse(batches[0]!.requests) as object).sort()).toEqual(['ids', 'latency_us', 'rows', 'ts']);
    const w = t.store.predictionWriter();
    await w.insert(batches);
    await w.close();
    const ps = await logged(`&to=${ts + 10}`);
    expect(ps.map((p) => [p.request_id, p.inputs, p.outputs])).toEqual([
      [ids[1], { x: 1 }, { label: 1 }],
      [ids[0], { x: 0 }, { label: 0 }],
    ]);
    for (const p of ps) expect(p).not.toHaveProperty('unit');
    expect(await t.app.ferry.monitoring.service.requestUnit(ids[0]!)).toEqual({ deployment: 'ab', unit: null, abtest: null, modelVersion: '1', ts });
  });
});
