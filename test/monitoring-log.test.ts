import { describe, expect, it } from 'vitest';
import type { MonitoringState } from '../src/prediction-log/index.js';
import { BatchBuilder, expandBatch, listSide } from '../src/prediction-log/prediction-batch.js';
import { useTestApp } from './support/app.js';
import { expectedOf, registerFixture } from './support/models.js';
import { forEachStore } from './support/stores.js';

forEachStore('prediction log, exports and feedback', (kind) => {
  const t = useTestApp(kind);
  const credit = expectedOf('credit_gbdt');
  const predict = (name: string, body: object) => t.call('POST', `/api/v1/deployments/${name}/predict`, body);
  const logged = (name: string, query = '') => t.call('GET', `/api/v1/deployments/${name}/predictions${query}`);

  it('logs every answered request with its inputs, outputs, version, latency and status', async () => {
    await registerFixture(t, 'credit', 'credit_gbdt.onnx');
    expect((await t.call('POST', '/api/v1/deployments', { name: 'risk', routes: [{ model: 'credit', version: '1' }] })).status).toBe(200);
    const res = await predict('risk', { instances: credit.records.slice(0, 3) });
    expect(res.status).toBe(200);
    expect((await predict('risk', { instances: [{ age: 'old' }] })).status).toBe(400);
    const page = await logged('risk');
    expect(page.status).toBe(200);
    const mine = page.body.predictions.filter((p: any) => p.request_id === res.body.request_id).sort((a: any, b: any) => a.row - b.row);
    expect(mine.map((p: any) => p.row)).toEqual([0, 1, 2]);
    expect(mine[0]).toMatchObject({ deployment: 'risk', revision: 1, model: 'credit', model_version: '1', route: 'main', status: 'ok', error: null });
    expect(mine[0].inputs).toMatchObject({ age: credit.records[0].age, home_ownership: credit.records[0].home_ownership });
    expect(mine[0].outputs.label).toBe(credit.outputs.label[0]);
    expect(mine[0].outputs.probabilities).toHaveLength(2);
    expect(mine[0].latency_us).toBeGreaterThan(0);
    expect(Date.parse(mine[0].timestamp)).toBeGreaterThan(Date.now() - 60_000);
    const refused = page.body.predictions.find((p: any) => p.status === 'client_error');
    expect(refused.error).toMatch(/age/);
    expect((await logged('risk', '?status=client_error')).body.predictions).toHaveLength(1);
  });

  it('pages newest first with a token, and filters by model version and time', async () => {
    for (let i = 0; i < 5; i++) await predict('risk', { instances: [credit.records[i]!] });
    const first = await logged('risk', '?limit=4&status=ok');
    expect(first.body.predictions).toHaveLength(4);
    const second = await logged('risk', `?limit=4&status=ok&page_token=${first.body.next_page_token}`);
    const keys = (p: any) => `${p.request_id}/${p.row}`;
    const seen = new Set(first.body.predictions.map(keys));
    for (const p of second.body.predictions) expect(seen.has(keys(p))).toBe(false);
    const ts = [...first.body.predictions, ...second.body.predictions].map((p: any) => Date.parse(p.timestamp));
    expect(ts).toEqual([...ts].sort((a, b) => b - a));
    expect((await logged('risk', '?model_version=9')).body.predictions).toEqual([]);
    expect((await logged('risk', `?from=${Date.now() + 60_000}`)).body.predictions).toEqual([]);
    expect((await logged('risk', '?from=1h')).body.predictions.length).toBeGreaterThan(0);
  });

  it('reads durations in the one grammar (docs/api.md, Durations): 1h30m and 1.5h alike', async () => {
    for (const ago of ['1h30m', '1.5h']) expect((await logged('risk', `?from=${ago}`)).body.predictions.length, ago).toBeGreaterThan(0);
    const bad = await logged('risk', '?from=30m1h');
    expect([bad.status, bad.body.errors[0].field, bad.body.errors[0].message]).toEqual([
      400,
      'from',
      expect.stringMatching(/'from' must be an ISO 8601 time, epoch milliseconds or a duration ago/),
    ]);
    for (const window of ['1h30m', '1.5h']) {
      const res = await t.call('PUT', '/api/v1/deployments/risk/monitoring', { window });
      expect([res.status, res.body.settings?.window], window).toEqual([200, window]);
    }
    const refused = await t.call('PUT', '/api/v1/deployments/risk/monitoring', { window: '1H' });
    expect([refused.status, refused.body.errors[0].field]).toEqual([400, 'window']);
    expect((await t.call('PUT', '/api/v1/deployments/risk/monitoring', { window: '1h' })).status).toBe(200);
  });

  it('exports JSON Lines and CSV (with formula cells neutralised)', async () => {
    const jsonl = await t.app.inject({ method: 'GET', url: '/api/v1/deployments/risk/predictions?format=jsonl&status=ok', headers: t.auth });
    expect(jsonl.statusCode).toBe(200);
    expect(jsonl.headers['content-type']).toMatch(/ndjson/);
    const lines = jsonl.body
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.length).toBe(3 + 5);
    expect(lines[0]).toHaveProperty('inputs.age');
    await predict('risk', { instances: [{ ...credit.records[0], purpose: '=HYPERLINK("x")' }] });
    const csv = await t.app.inject({ method: 'GET', url: '/api/v1/deployments/risk/predictions?format=csv&status=ok', headers: t.auth });
    expect(csv.headers['content-disposition']).toMatch(/attachment; filename="risk-predictions.csv"/);
    const [header, ...rows] = csv.body.trim().split('\n');
    expect(header).toContain('input.age');
    expect(header).toContain('output.label');
    expect(rows).toHaveLength(3 + 5 + 1);
    expect(csv.body).toContain(`"'=HYPERLINK(""x"")"`);
    expect((await logged('risk', '?format=xml')).status).toBe(400);
  });

  it('applies PII rules before storing, and a sample rate (counting what it leaves out)', async () => {
    const bad = await t.call('PUT', '/api/v1/deployments/risk/monitoring', { sample_rate: 2 });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('sample_rate');
    expect((await t.call('PUT', '/api/v1/deployments/risk/monitoring', { pii: { drop: ['age'], hash: ['age'] } })).body.errors[0].field).toBe('pii');
    expect((await t.call('PUT', '/api/v1/deployments/risk/monitoring', { window: 'often' })).body.errors[0].field).toBe('window');
    expect((await t.call('PUT', '/api/v1/deployments/risk/monitoring', { colour: 'red' })).body.errors[0].field).toBe('colour');
    expect((await t.call('PUT', '/api/v1/deployments/nope/monitoring', {})).status).toBe(404);

    const ok = await t.call('PUT', '/api/v1/deployments/risk/monitoring', { pii: { drop: ['income'], hash: ['purpose'] } });
    expect(ok.body.settings).toMatchObject({ enabled: true, sample_rate: 1, pii: { drop: ['income'], hash: ['purpose'] } });
    expect((await t.call('PUT', '/api/v1/deployments/risk/monitoring', { enabled: 'yes' })).body.errors[0].field).toBe('enabled');
    const res = await predict('risk', { instances: [credit.records[1]!, credit.records[2]!] });
    const rows = (await logged('risk')).body.predictions.filter((p: any) => p.request_id === res.body.request_id);
    expect(rows).toHaveLength(2);
    for (const r of rows) {
      expect(r.inputs).not.toHaveProperty('income');
      expect(r.inputs.purpose).toMatch(/^h:[0-9a-f]{32}$/);
    }
    // The same value hashes alike (joins and category counts still work); different values do not.
    const same = credit.records[1]!.purpose === credit.records[2]!.purpose;
    expect(rows[0].inputs.purpose === rows[1].inputs.purpose).toBe(same);

    await t.call('PUT', '/api/v1/deployments/risk/monitoring', { sample_rate: 0 });
    const before = (await t.call('GET', '/api/v1/deployments/risk/monitoring')).body.log;
    const skipped = await predict('risk', { instances: [credit.records[3]!] });
    expect(skipped.status).toBe(200);
    expect((await logged('risk')).body.predictions.some((p: any) => p.request_id === skipped.body.request_id)).toBe(false);
    const after = (await t.call('GET', '/api/v1/deployments/risk/monitoring')).body.log;
    expect(after.sampled_out - before.sampled_out).toBe(1);
    // Monitoring off: nothing logged, nothing counted.
    await t.call('PUT', '/api/v1/deployments/risk/monitoring', { enabled: false, sample_rate: 1 });
    const off = await predict('risk', { instances: [credit.records[4]!] });
    expect((await logged('risk')).body.predictions.some((p: any) => p.request_id === off.body.request_id)).toBe(false);
    expect((await t.call('GET', '/api/v1/deployments/risk/monitoring')).body.log).toEqual(after);
    await t.call('PUT', '/api/v1/deployments/risk/monitoring', { enabled: true, sample_rate: 1, pii: { drop: [], hash: [] } });
  });

  it('takes feedback for known predictions, reports unknown ones per item, and refuses malformed items', async () => {
    const res = await predict('risk', { instances: credit.records.slice(0, 2) });
    const id = res.body.request_id;
    const mixed = await t.call('POST', '/api/v1/feedback', [
      { request_id: id, row: 0, label: 1 },
      { request_id: id, row: 1, label: 0, timestamp: '2026-11-01T00:00:00Z' },
      { request_id: 'no-such-request', label: 1 },
    ] as unknown as object);
    expect(mixed.status).toBe(200);
    expect(mixed.body).toEqual({ accepted: 2, unknown: [{ index: 2, request_id: 'no-such-request', row: 0 }] });
    const allUnknown = await t.call('POST', '/api/v1/feedback', { feedback: [{ request_id: 'nope', value: 1.5 }] });
    expect(allUnknown.status).toBe(404);
    expect(allUnknown.body.errors[0].field).toBe('feedback[0].request_id');
    for (const [item, field] of [
      [{ request_id: id }, 'feedback[0]'],
      [{ request_id: id, label: 1, value: 2 }, 'feedback[0]'],
      [{ request_id: id, value: 'high' }, 'feedback[0].value'],
      [{ request_id: '', label: 1 }, 'feedback[0].request_id'],
      [{ request_id: id, row: -1, label: 1 }, 'feedback[0].row'],
      [{ request_id: id, label: 1, timestamp: 'yesterday-ish' }, 'feedback[0].timestamp'],
    ] as const) {
      const r = await t.call('POST', '/api/v1/feedback', [item] as unknown as object);
      expect(r.status, JSON.stringify(item)).toBe(400);
      expect(r.body.errors[0].field).toBe(field);
    }
    expect((await t.call('POST', '/api/v1/feedback', [])).status).toBe(400);
    expect((await t.call('POST', '/api/v1/feedback', { feedback: 'x' })).status).toBe(400);
    // Latest feedback wins for a prediction.
    expect((await t.call('POST', '/api/v1/feedback', [{ request_id: id, row: 0, label: 0 }] as unknown as object)).body.accepted).toBe(1);
    const stored = await t.store.db.selectFrom('feedback').selectAll().where('request_id', '=', id).orderBy('row').execute();
    expect(stored.map((s) => [Number(s.row), s.kind, JSON.parse(s.value)])).toEqual([
      [0, 'label', 0],
      [1, 'label', 0],
    ]);
    expect(Number(stored[1]!.ts)).toBe(Date.parse('2026-11-01T00:00:00Z'));
  });

  it('keeps windowed profiles of inputs and outputs, counting requests by status', async () => {
    const m = t.app.ferry.monitoring;
    const byVersion = await m.state.profiles('risk', Date.now() - 86_400_000, Date.now() + 3_600_000);
    const p = byVersion.get('1')!;
    expect(p.counts.requests).toBeGreaterThan(10);
    expect(p.counts.client_error).toBe(1);
    expect(p.counts.sampled_out).toBe(1);
    const age = p.inputs.column('age').summary();
    expect(age.kind).toBe('numerical');
    expect(age.count).toBeGreaterThan(10);
    expect(p.outputs.column('label').summary().kind).toBe('numerical');
    expect(p.outputs.columns.has('probabilities[1]')).toBe(true);
    expect(p.latency.n).toBe(p.counts.ok);
  });

  it('logs shadow results beside the answers they mirror, never returning them', async () => {
    await registerFixture(t, 'credit', 'credit_gbdt_v2.onnx');
    expect(
      (
        await t.call('POST', '/api/v1/deployments', {
          name: 'mirror',
          routes: [{ model: 'credit', version: '1' }],
          shadow: [{ model: 'credit', version: '2' }],
        })
      ).status,
    ).toBe(200);
    const res = await predict('mirror', { instances: credit.records.slice(0, 2) });
    expect(res.body.model_version).toBe('1');
    // The shadow runs after the answer: wait for its rows to be logged.
    const shadowRows = async () => (await logged('mirror', '?route=shadow')).body.predictions.filter((p: any) => p.request_id === res.body.request_id);
    await expect.poll(async () => (await shadowRows()).length).toBe(2);
    const shadow = await shadowRows();
    expect(shadow.map((p: any) => [p.row, p.model_version, p.status])).toEqual(
      expect.arrayContaining([
        [0, '2', 'ok'],
        [1, '2', 'ok'],
      ]),
    );
    expect(shadow[0].outputs).toHaveProperty('label');
    const main = (await logged('mirror', '?route=main')).body.predictions.filter((p: any) => p.request_id === res.body.request_id);
    expect(main.map((p: any) => p.model_version)).toEqual(['1', '1']);
  });

  it('deletes rows past the retention period', async () => {
    const m = t.app.ferry.monitoring;
    await m.log.flush();
    const old = Date.now() - 40 * 86_400_000;
    const ancient = new BatchBuilder();
    ancient.add(
      {
        requestId: 'ancient',
        deployment: 'risk',
        revision: 1,
        model: 'credit',
        modelVersion: '1',
        route: 'main',
        status: 'ok',
        ts: old,
        rows: 1,
        latencyUs: 1,
      },
      listSide([], [], 1, []),
      listSide([], [], 1, []),
    );
    await t.store.db.insertInto('prediction_batches').values(ancient.finish()).execute();
    expect(await m.service.applyRetention(['risk'])).toBe(1);
    expect((await logged('risk', `?to=${old + 1}`)).body.predictions).toEqual([]);
  });
});

describe('prediction log under a full queue', () => {
  it('drops and counts rather than waiting', async () => {
    const { PredictionLog, localSink } = await import('../src/prediction-log/index.js');
    let droppedInProfiles = 0;
    const state = {
      settingsFor: () => ({ enabled: true, sample_rate: 1, retention_days: 1, pii: { drop: [], hash: [] }, window: '1h' }),
      countDropped: () => droppedInProfiles++,
      countSampledOut: () => {},
      countTraffic: () => {},
      profileColumns: () => {},
      windowStartOf: () => 0,
      persist: async () => {},
      piiKey: Buffer.alloc(1),
    } as unknown as MonitoringState;
    const written: unknown[] = [];
    const log = new PredictionLog(
      state,
      localSink(
        state,
        async (rows) => void written.push(...rows.flatMap(expandBatch)),
        () => {},
      ),
      undefined,
      { maxQueueRows: 3, flushIntervalMs: 60_000, flushRows: 100, flushRequests: 100 },
    );
    const event = (i: number) => ({
      deployment: 'd',
      revision: 1,
      model: 'm',
      modelVersion: '1',
      route: 'main' as const,
      requestId: `r${i}`,
      ts: 0,
      latencyUs: 1,
      status: 'ok' as const,
      rows: 1,
      inputFlat: () => ({ names: ['x'], values: [i] }),
      outputFlat: () => ({ names: ['y'], widths: [1], values: [i] }),
    });
    for (let i = 0; i < 5; i++) log.prediction(event(i));
    await log.close();
    expect(written).toHaveLength(3);
    expect(log.stats.get('d')).toMatchObject({ stored: 3, dropped: 2 });
    expect(droppedInProfiles).toBe(2); // dropped requests still count as traffic in the window profiles
  });

  it('starts a flush early once flushRequests requests or flushRows rows wait, without waiting for the timer', async () => {
    const { PredictionLog, localSink } = await import('../src/prediction-log/index.js');
    const state = {
      settingsFor: () => ({ enabled: true, sample_rate: 1, retention_days: 1, pii: { drop: [], hash: [] }, window: '1h' }),
      countDropped: () => {},
      countSampledOut: () => {},
      countTraffic: () => {},
      profileColumns: () => {},
      windowStartOf: () => 0,
      persist: async () => {},
      piiKey: Buffer.alloc(1),
    } as unknown as MonitoringState;
    const event = (i: number, rows: number) => ({
      deployment: 'd',
      revision: 1,
      model: 'm',
      modelVersion: '1',
      route: 'main' as const,
      requestId: `r${i}`,
      ts: 0,
      latencyUs: 1,
      status: 'ok' as const,
      rows,
      inputFlat: () => ({ names: ['x'], values: Array.from({ length: rows }, () => i) }),
      outputFlat: () => ({ names: ['y'], widths: [1], values: Array.from({ length: rows }, () => i) }),
    });
    for (const [what, rowsEach, expected] of [
      ['requests', 1, 4],
      ['rows', 5, 2],
    ] as const) {
      const batches: number[] = [];
      const log = new PredictionLog(
        state,
        localSink(
          state,
          async (rows) => void batches.push(rows.reduce((n, b) => n + b.request_count, 0)),
          () => {},
        ),
        undefined,
        { maxQueueRows: 1000, flushIntervalMs: 60_000, flushRows: 10, flushRequests: 4 },
      );
      // Two rounds, a turn of the event loop apart: each starts its own flush (the timer is a minute away).
      for (let round = 0; round < 2; round++) {
        for (let i = 0; i < expected; i++) log.prediction(event(i, rowsEach));
        await new Promise((r) => setImmediate(r));
      }
      await log.close();
      expect(batches, what).toEqual([expected, expected]);
    }
  });

  it('packs events for the monitoring thread and unpacks them unchanged', async () => {
    const { pack, unpack } = await import('../src/prediction-log/event-codec.js');
    const e = {
      deployment: 'd',
      revision: 3,
      model: 'm',
      modelVersion: '2',
      route: 'shadow' as const,
      requestId: 'r1',
      ts: 1700000000000,
      latencyUs: 12,
      status: 'ok' as const,
      rows: 2,
      inputFlat: () => ({ names: ['a', 'b'], values: [1, 'x', null, true] }),
      outputFlat: () => ({ names: ['label', 'p'], widths: [1, 2], values: [1, 0.2, 0.8, 0, 0.9, 0.1] }),
    };
    const err = {
      ...e,
      requestId: 'r2',
      status: 'error' as const,
      error: 'boom',
      rows: 0,
      inputFlat: () => ({ names: [], values: [] }),
      outputFlat: () => ({ names: [], widths: [], values: [] }),
    };
    const packed = pack([
      { e, disposition: 'store' },
      { e: err, disposition: 'sample_out' },
      { e, disposition: 'dropped' },
    ]);
    expect(packed.nums).toHaveLength(7); // the numbers travel in a typed array; strings in the JSON
    const [a, b, c] = unpack(packed);
    expect(a!.disposition).toBe('store');
    expect({ ...a!.e, inputFlat: a!.e.inputFlat(), outputFlat: a!.e.outputFlat() }).toEqual({ ...e, inputFlat: e.inputFlat(), outputFlat: e.outputFlat() });
    expect(b!.e).toMatchObject({ requestId: 'r2', status: 'error', error: 'boom', rows: 0 });
    expect(b!.disposition).toBe('sample_out');
    expect(c!.disposition).toBe('dropped');
    expect(c!.e.inputFlat().values).toEqual([]);
  });
});
