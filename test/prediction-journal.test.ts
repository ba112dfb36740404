/**
 * The prediction journal on a real store: what a killed server journalled is stored on the next start, once,
 * whether its batch had been stored before the kill or not; a tick's requests are written together before any is
 * answered; a record cut short is left out; past its cap the log drops (counted) rather than grow the journal.
 */
import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type LogSink, MonitoringState, PredictionJournal, PredictionLog, DEFAULT_LOG_OPTIONS, localSink } from '../src/prediction-log/index.js';
import { BatchPacker, unpack } from '../src/prediction-log/event-codec.js';
import { readSegment, type Segment } from '../src/prediction-log/prediction-journal.js';
import type { PredictionEvent } from '../src/serving/index.js';
import type { Store } from '../src/store/index.js';
import { forEachStore, freshStore, type StoreHandle } from './support/stores.js';

/** A one- to three-row request with a caller's (UUIDv4) id: its batch id is the one a replay must reproduce. */
function event(i: number, deployment = 'risk'): PredictionEvent {
  const rows = 1 + (i % 3);
  return {
    deployment,
    revision: 1,
    model: 'credit',
    modelVersion: '1',
    route: 'main',
    requestId: randomUUID(),
    ts: Date.now(),
    latencyUs: 100 + i,
    status: 'ok',
    rows,
    inputFlat: () => ({ names: ['age', 'purpose'], values: Array.from({ length: rows }, (_, r) => [i + r, `p${r}`]).flat() }),
    outputFlat: () => ({ names: ['score'], widths: [1], values: Array.from({ length: rows }, (_, r) => i / 10 + r) }),
  };
}

/** A journal whose commits never happen: as if the server were killed after storing each batch. */
class KilledAfterStore extends PredictionJournal {
  override commit(_seg: Segment): void {}
}

/** Request id → stored rows, from the batch rows themselves. */
async function storedRequests(store: Store): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const b of await store.db.selectFrom('prediction_batches').select(['requests']).execute()) {
    const req = JSON.parse(b.requests) as { ids: string[]; rows: number[] };
    req.ids.forEach((id, k) => out.set(id, (out.get(id) ?? 0) + req.rows[k]!));
  }
  return out;
}

forEachStore('prediction journal', (kind) => {
  let handle: StoreHandle;
  let store: Store;
  let dir: string;
  const errors: unknown[] = [];
  beforeAll(async () => {
    handle = await freshStore(kind);
    store = await handle.open();
  });
  afterAll(async () => {
    await store?.close();
    await handle?.cleanup();
  });

  async function log(journal: PredictionJournal | null, sink?: LogSink): Promise<{ log: PredictionLog; state: MonitoringState }> {
    const state = new MonitoringState(store, randomUUID());
    await state.load();
    const writer = store.predictionWriter();
    const s =
      sink ??
      localSink(
        state,
        (rows, ids) => writer.insert(rows, ids),
        (err) => errors.push(err),
      );
    return { log: new PredictionLog(state, s, undefined, DEFAULT_LOG_OPTIONS, journal, (err) => errors.push(err)), state };
  }

  it('stores what a killed server journalled, once, whether its batches were stored before the kill or not', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ferry-journal-'));
    try {
      await store.db.deleteFrom('prediction_batches').execute();
      // Server 1: every batch stored, none committed in the journal (killed between the two).
      const firstJournal = new KilledAfterStore(dir);
      const first = await log(firstJournal);
      const sent = Array.from({ length: 30 }, (_, i) => event(i));
      for (const e of sent.slice(0, 20)) first.log.prediction(e);
      await first.log.flush();
      for (const e of sent.slice(20)) first.log.prediction(e);
      await first.log.flush();
      expect((await storedRequests(store)).size).toBe(30);
      // Server 2: answered, journalled, never handed over (killed before its flush).
      const lost: LogSink = { process: async () => {}, sync: async () => {}, close: async () => {} };
      const secondJournal = new PredictionJournal(dir);
      const second = await log(secondJournal, lost);
      const late = Array.from({ length: 7 }, (_, i) => event(100 + i));
      for (const e of late) second.log.prediction(e);
      expect(readdirSync(dir)).toHaveLength(2);
      // A journal still open in this process is a live server's: not replayed.
      const bystander = new PredictionJournal(dir);
      expect(await (await log(bystander)).log.replay()).toBe(0);
      bystander.close();
      firstJournal.abandon();
      secondJournal.abandon();

      // Server 3 starts: replays both dead servers' folders.
      const third = await log(new PredictionJournal(dir));
      expect(await third.log.replay()).toBe(37);
      const stored = await storedRequests(store);
      for (const e of [...sent, ...late]) expect(stored.get(e.requestId), e.requestId).toBe(e.rows);
      expect(stored.size).toBe(37);
      expect(readdirSync(dir)).toHaveLength(1);
      expect(third.log.stats.get('risk')?.stored).toBeGreaterThan(0);
      expect(errors).toEqual([]);
      await third.log.close();
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("writes one tick's requests together, before any of them may be answered", async () => {
    dir = mkdtempSync(join(tmpdir(), 'ferry-journal-'));
    try {
      const { log: l } = await log(new PredictionJournal(dir));
      const [folder] = readdirSync(dir);
      const segments = () => readdirSync(join(dir, folder!)).filter((f) => f.endsWith('.seg'));
      // A batch's requests resolve in one tick: the log stages them, and serving awaits durable() before answering.
      const sent = Array.from({ length: 5 }, (_, i) => event(i));
      for (const e of sent) l.prediction(e);
      const written = l.durable();
      expect(written).not.toBeNull();
      expect(segments()).toEqual([]);
      await written;
      expect(l.durable()).toBeNull();
      const [seg] = segments();
      const journalled = JSON.parse(readSegment(join(dir, folder!, seg!))!.meta) as { ids: string[] };
      expect(journalled.ids).toEqual(sent.map((e) => e.requestId));
      // The next tick's requests go to the same segment, after them.
      l.prediction(event(9));
      await l.durable();
      expect((JSON.parse(readSegment(join(dir, folder!, seg!))!.meta) as { ids: string[] }).ids).toHaveLength(6);
      await l.close();
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('leaves out a record cut short at the end of a segment', () => {
    dir = mkdtempSync(join(tmpdir(), 'ferry-journal-'));
    try {
      const j = new PredictionJournal(dir);
      const packer = new BatchPacker();
      for (let i = 0; i < 3; i++) {
        packer.add(event(i), 'store');
        j.append(packer.delta());
      }
      const seg = j.seal()!;
      appendFileSync(seg.path, Buffer.from([200, 0, 0, 0, 1, 2, 3]));
      const read = unpack(readSegment(seg.path)!);
      expect(read.map((r) => r.e.rows)).toEqual([1, 2, 3]);
      expect(read[2]!.e.inputFlat().values).toEqual([2, 'p0', 3, 'p1', 4, 'p2']);
      // The journalled batch is the packed one, byte for byte.
      const whole = packer.finish();
      const again = readSegment(seg.path)!;
      expect([again.meta, [...again.heads], [...again.nums], [...again.tags]]).toEqual([whole.meta, [...whole.heads], [...whole.nums], [...whole.tags]]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('drops requests (counted) past the journal cap, and takes them again once batches are stored', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ferry-journal-'));
    try {
      // A cap of one byte: the first record fills it.
      const { log: l } = await log(new PredictionJournal(join(dir, 'capped'), 1));
      for (let i = 0; i < 8; i++) l.prediction(event(0, 'capped'));
      await l.flush();
      expect(l.stats.get('capped')).toMatchObject({ stored: 1, dropped: 7 });
      l.prediction(event(0, 'capped'));
      await l.close();
      expect(l.stats.get('capped')).toMatchObject({ stored: 2, dropped: 7 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports a failing journal write once per hand-over and still logs the requests (in memory only)', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ferry-journal-'));
    const seen: unknown[] = [];
    try {
      const state = new MonitoringState(store, randomUUID());
      await state.load();
      const writer = store.predictionWriter();
      const l = new PredictionLog(
        state,
        localSink(
          state,
          (rows, ids) => writer.insert(rows, ids),
          (err) => errors.push(err),
        ),
        undefined,
        DEFAULT_LOG_OPTIONS,
        new PredictionJournal(dir),
        (err) => seen.push(err),
      );
      // The journal's folder is gone (a disk taken away): its segment cannot be opened.
      rmSync(dir, { recursive: true, force: true });
      const sent = Array.from({ length: 4 }, (_, i) => event(i, 'unjournalled'));
      for (const e of sent) l.prediction(e);
      await l.flush();
      expect(seen).toHaveLength(1);
      expect(String(seen[0])).toMatch(/ENOENT/);
      const stored = await storedRequests(store);
      for (const e of sent) expect(stored.get(e.requestId)).toBe(e.rows);
      expect(l.stats.get('unjournalled')).toMatchObject({ stored: 7, dropped: 0 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
