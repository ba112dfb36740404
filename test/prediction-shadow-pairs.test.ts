import { expect, it } from 'vitest';
import { listSide, type LoggedRequest } from '../src/prediction-log/prediction-batch.js';
import { shadowPairs, type ShadowPair } from '../src/prediction-log/index.js';
import type { Database } from '../src/store/index.js';
import { flushedBatches, forEachStore, mainRequest, useFreshStore, writeBatches } from './support/stores.js';

const T0 = 1_790_000_000_000;

interface Logged extends LoggedRequest {
  /** Per row: the label and the two class probabilities. */
  out: { label: number; probabilities: number[] }[];
}

function outputs(rows: number, seed: number): Logged['out'] {
  return Array.from({ length: rows }, (_, j) => {
    const p = ((seed * 37 + j * 11) % 100) / 100;
    return { label: p >= 0.5 ? 1 : 0, probabilities: [1 - p, p] };
  });
}

function side(out: Logged['out']) {
  return listSide(
    ['label', 'probabilities'],
    [1, 2],
    out.length,
    out.flatMap((o) => [o.label, ...o.probabilities]),
  );
}

/**
 * 130 flushes (more main batches of the champion than one page of the reader): champion '1' and version '2' on
 * main, candidate '3' shadowing some of '1' (a few failing, a few logged late), version '4' shadowing others;
 * feedback of each kind, some on rows a request does not have.
 */
function traffic() {
  const logged: Logged[] = [];
  const feedback: Database['feedback'][] = [];
  const batches = flushedBatches(130, 6, (b, k, flush, i) => {
    const ts = T0 + flush * 40 + i * 3;
    const rows = 1 + (k % 3);
    const r: Logged = {
      ...mainRequest(ts, {
        deployment: k % 13 === 0 ? 'other' : 'credit',
        modelVersion: k % 4 === 0 ? '2' : '1',
        status: k % 19 === 0 ? 'error' : 'ok',
        rows,
        latencyUs: 100,
      }),
      out: outputs(rows, k),
    };
    b.add(
      r,
      listSide(
        ['x'],
        [],
        rows,
        Array.from({ length: rows }, () => k),
      ),
      side(r.out),
    );
    logged.push(r);
    if (k % 5 !== 0) {
      const s: Logged = {
        ...r,
        route: 'shadow',
        modelVersion: k % 10 === 3 ? '4' : '3',
        status: k % 23 === 0 ? 'error' : 'ok',
        ts: ts + (k % 31 === 0 ? 70_000 : 2),
        out: outputs(rows, k + 1000),
      };
      b.add(
        s,
        listSide(
          ['x'],
          [],
          rows,
          Array.from({ length: rows }, () => k),
        ),
        side(s.out),
      );
      logged.push(s);
    }
    for (let row = 0; row < rows + 1; row++) {
      if ((k + row) % 3 === 0) continue;
      const kind = (k + row) % 7 === 0 ? 'outcome' : (k + row) % 4 === 0 ? 'value' : 'label';
      feedback.push({ request_id: r.requestId, row, kind, value: JSON.stringify(kind === 'value' ? k * 0.5 : (k + row) % 2), ts, received_at: ts + 5 });
    }
  });
  return { logged, feedback, batches };
}

function expected(logged: Logged[], feedback: Database['feedback'][], from: number, to: number): ShadowPair[] {
  const out: ShadowPair[] = [];
  for (const f of feedback) {
    if (f.kind !== 'label' && f.kind !== 'value') continue;
    const main = logged.find((r) => r.requestId === f.request_id && r.route === 'main');
    const shadow = logged.find((r) => r.requestId === f.request_id && r.route === 'shadow');
    if (!main || !shadow || main.deployment !== 'credit' || main.modelVersion !== '1' || main.status !== 'ok') continue;
    if (shadow.modelVersion !== '3' || shadow.status !== 'ok' || shadow.ts - main.ts > 60_000) continue;
    if (main.ts < from || main.ts >= to || f.row >= main.rows) continue;
    out.push({
      requestId: f.request_id,
      row: f.row,
      ts: main.ts,
      kind: f.kind,
      truth: JSON.parse(f.value),
      champion: main.out[f.row]!,
      candidate: shadow.out[f.row]!,
    });
  }
  return out.sort((a, b) => a.ts - b.ts || (a.requestId < b.requestId ? -1 : 1) || a.row - b.row);
}

forEachStore('shadow pairs of the prediction log', (kind) => {
  const { logged, feedback, batches } = traffic();
  const store = useFreshStore(kind, async (s) => {
    await writeBatches(s, batches);
    await s.db.insertInto('feedback').values(feedback).execute();
  });

  it("pairs the champion's answers with the candidate's shadows per label or value feedback row, in [from, to)", async () => {
    for (const [from, to] of [
      [T0, T0 + 100_000],
      [T0 + 1_003, T0 + 3_777],
    ] as const) {
      const want = expected(logged, feedback, from, to);
      expect(want.length).toBeGreaterThan(50);
      expect(new Set(want.map((p) => p.kind))).toEqual(new Set(['label', 'value']));
      const got = await shadowPairs(store.db, 'credit', { champion: '1', candidate: '3', from, to, limit: 100_000 });
      expect(got).toEqual(want);
    }
  });

  it('answers the earliest pairs up to the limit (across pages of batches)', async () => {
    const want = expected(logged, feedback, T0, T0 + 100_000);
    for (const limit of [1, 17, want.length - 1]) {
      expect(await shadowPairs(store.db, 'credit', { champion: '1', candidate: '3', from: T0, to: T0 + 100_000, limit })).toEqual(want.slice(0, limit));
    }
  });

  it('finds nothing where the candidate never shadowed the champion, and refuses a bad window, limit or the same version twice', async () => {
    expect(await shadowPairs(store.db, 'credit', { champion: '2', candidate: '4', from: T0, to: T0 + 100_000, limit: 10 })).toEqual([]);
    await expect(shadowPairs(store.db, 'credit', { champion: '1', candidate: '3', from: T0, to: T0, limit: 10 })).rejects.toThrow(/from < to/);
    await expect(shadowPairs(store.db, 'credit', { champion: '1', candidate: '3', from: T0, to: T0 + 1, limit: 0 })).rejects.toThrow(/limit/);
    await expect(shadowPairs(store.db, 'credit', { champion: '1', candidate: '1', from: T0, to: T0 + 1, limit: 1 })).rejects.toThrow(/another version/);
  });
});
