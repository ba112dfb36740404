import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, MonitoringState } from '../src/prediction-log/index.js';
import type { PredictionEvent } from '../src/serving/index.js';
import type { Store } from '../src/store/index.js';
import { forEachStore, freshStore, type StoreHandle } from './support/stores.js';

const T0 = 1_790_000_000_000 - (1_790_000_000_000 % 60_000);

function event(deployment: string, modelVersion: string, ts: number, status: PredictionEvent['status'] = 'ok'): PredictionEvent {
  return {
    deployment,
    revision: 1,
    model: deployment,
    modelVersion,
    route: 'main',
    requestId: `${deployment}-${ts}`,
    ts,
    latencyUs: 500,
    status,
    rows: 2,
    inputFlat: () => ({ names: [], values: [] }),
    outputFlat: () => ({ names: [], widths: [], values: [] }),
  };
}

forEachStore('monitoring state', (kind) => {
  let h: StoreHandle;
  let store: Store;
  let now = T0;
  let state: MonitoringState;
  beforeAll(async () => {
    h = await freshStore(kind);
    store = await h.open();
    state = new MonitoringState(store, 'replica-a', () => now);
    await state.load();
  });
  afterAll(async () => {
    await store.close();
    await h.cleanup();
  });

  const requestsPerWindow = async (deployment: string, from: number, to: number) =>
    (await state.windowSeries(deployment, from, to)).map((w) => [w.start - T0, w.profile.counts.requests, w.profile.counts.rows]);

  it('counts each event in its own deployment, version and window, however they interleave', async () => {
    const minute = { ...DEFAULT_SETTINGS, window: '1m' };
    state.setSettings('a', minute);
    state.setSettings('b', minute);
    // Runs of one window, then a switch of deployment, of version, of window, and back.
    const events = [
      event('a', '1', T0),
      event('a', '1', T0 + 1),
      event('a', '2', T0 + 2),
      event('a', '1', T0 + 3),
      event('b', '1', T0 + 4),
      event('a', '1', T0 + 59_999),
      event('a', '1', T0 + 60_000),
      event('a', '1', T0 + 5),
      event('b', '1', T0 + 60_001, 'error'),
      event('a', '2', T0 + 61_000),
    ];
    for (const e of events) state.countTraffic(e);
    await state.persist();
    // Versions are merged per window in the series; both versions' rows are there.
    expect(await requestsPerWindow('a', T0, T0 + 120_000)).toEqual([
      [0, 6, 12],
      [60_000, 2, 4],
    ]);
    expect(await requestsPerWindow('b', T0, T0 + 120_000)).toEqual([
      [0, 1, 2],
      [60_000, 1, 2],
    ]);
    const v2 = await state.profiles('a', T0, T0 + 120_000, '2');
    expect(v2.get('2')!.counts.requests).toBe(2);
  });

  it('follows a change of window length at once', async () => {
    const base = T0 + 600_000;
    state.setSettings('c', { ...DEFAULT_SETTINGS, window: '1m' });
    state.countTraffic(event('c', '1', base + 30_000));
    state.setSettings('c', { ...DEFAULT_SETTINGS, window: '10s' });
    state.countTraffic(event('c', '1', base + 30_001));
    state.countTraffic(event('c', '1', base + 45_000));
    await state.persist();
    expect(await requestsPerWindow('c', base, base + 60_000)).toEqual([
      [600_000, 1, 2],
      [630_000, 1, 2],
      [640_000, 1, 2],
    ]);
  });

  it('keeps a setting changed while a reload was reading, and takes the stored rows for the rest', async () => {
    state.setSettings('d', { ...DEFAULT_SETTINGS, window: '1m' });
    const reading = state.reload();
    // Saved (in this test, only in memory) after the reload began its read: newer than what the read returns.
    state.setSettings('e', { ...DEFAULT_SETTINGS, sample_rate: 0.25 });
    await reading;
    expect(state.settingsFor('e').sample_rate).toBe(0.25);
    expect(state.settingsFor('d')).toEqual(DEFAULT_SETTINGS);
    // The next reload has nothing newer to keep: the store's rows (none for 'e') rule again.
    await state.reload();
    expect(state.settingsFor('e')).toEqual(DEFAULT_SETTINGS);
  });

  it('adds a late event to a window already written and forgotten (not overwriting it, nor counting into a lost copy)', async () => {
    const base = T0 + 1_200_000;
    state.setSettings('d', { ...DEFAULT_SETTINGS, window: '10s' });
    state.countTraffic(event('d', '1', base));
    state.countTraffic(event('d', '1', base + 1));
    now = base + 60_000; // the window is long past: persist writes it, then forgets it
    await state.persist();
    state.countTraffic(event('d', '1', base + 2));
    await state.persist();
    state.countTraffic(event('d', '1', base + 3, 'error'));
    state.countTraffic(event('d', '1', base + 11_000));
    await state.persist();
    expect(await requestsPerWindow('d', base, base + 20_000)).toEqual([
      [1_200_000, 4, 8],
      [1_210_000, 1, 2],
    ]);
    now = T0;
  });
});
