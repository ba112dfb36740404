/** The background scheduler (interval, stop) and its environment settings. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertEngine, alertSettingsFromEnv } from '../src/alerts/index.js';
import type { Store } from '../src/store/index.js';
import { freshStore, type StoreHandle } from './support/stores.js';

describe('alert scheduler', () => {
  let handle: StoreHandle;
  let store: Store;
  beforeAll(async () => {
    handle = await freshStore('sqlite');
    store = await handle.open();
  });
  afterAll(async () => {
    await store?.close();
    await handle?.cleanup();
  });

  it('evaluates every interval once started, and not after stop', async () => {
    let calls = 0;
    const engine = new AlertEngine(store, { value: async () => (calls++, 1) }, { intervalMs: 20, repeatIntervalMs: 1000 });
    await engine.rules.createRule({ name: 'tick', deployment: 'd', metric: 'error_rate', comparison: '>', threshold: 0 }, 'test');
    engine.start();
    engine.start(); // idempotent
    const deadline = Date.now() + 5000;
    while (calls < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    await engine.stop();
    expect(calls).toBeGreaterThanOrEqual(3);
    const after = calls;
    await new Promise((r) => setTimeout(r, 80));
    expect(calls).toBe(after);
    expect((await engine.rules.currentAlerts({}))[0]).toMatchObject({ rule: 'tick', state: 'firing' });
  });

  it('reads FERRY_ALERT_EVAL_SECONDS and FERRY_ALERT_REPEAT_INTERVAL, refusing bad values', () => {
    expect(alertSettingsFromEnv({})).toEqual({ intervalMs: 30_000, repeatIntervalMs: 4 * 3_600_000 });
    expect(alertSettingsFromEnv({ FERRY_ALERT_EVAL_SECONDS: '5', FERRY_ALERT_REPEAT_INTERVAL: '30m' })).toEqual({
      intervalMs: 5000,
      repeatIntervalMs: 1_800_000,
    });
    expect(() => alertSettingsFromEnv({ FERRY_ALERT_EVAL_SECONDS: '0' })).toThrow(/FERRY_ALERT_EVAL_SECONDS/);
    expect(() => alertSettingsFromEnv({ FERRY_ALERT_EVAL_SECONDS: 'soon' })).toThrow(/FERRY_ALERT_EVAL_SECONDS/);
    expect(() => alertSettingsFromEnv({ FERRY_ALERT_REPEAT_INTERVAL: '-1h' })).toThrow(/FERRY_ALERT_REPEAT_INTERVAL/);
  });

  it('treats a failing metric source as no data', async () => {
    const engine = new AlertEngine(
      store,
      {
        value: async () => {
          throw new Error('monitoring down');
        },
      },
      { intervalMs: 1000, repeatIntervalMs: 1000 },
    );
    const r = await engine.evaluateNow();
    expect(r.transitions.map((t) => [t.rule, t.event, t.value])).toEqual([['tick', 'resolved', null]]);
  });
});
