/**
 * A fairness report's analyses run on a thread of their own in the compiled server: bootstrap intervals cost up to
 * 4·10⁸ row resamples (about 0.1 s per million on one core), which on the request's thread froze every other
 * request — predictions, health checks — for tens of seconds. Checked on dist/ (the worker is a compiled file):
 * the event loop keeps turning while a large bootstrap runs, the answer is the in-process one, and a refusal comes
 * back as a 400 naming its field.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, expect, it } from 'vitest';
import { type AnalyseOptions, type ScoredColumns, analyses } from '../src/analysis/fairness-report.js';
import { ROOT, ensureBuilt } from './support/ferry-process.js';

type ThreadModule = typeof import('../src/analysis/fairness-thread.js');

const n = 20_000;
const cols: ScoredColumns = {
  yTrue: Array.from({ length: n }, (_, i) => ((i * 7919) % 3 === 0 ? 1 : 0)),
  yPred: Array.from({ length: n }, (_, i) => ((i * 104729) % 5 < 2 ? 1 : 0)),
  sensitive: { g: Array.from({ length: n }, (_, i) => ['a', 'b', 'c', 'd'][i % 4]!) },
};
const options: AnalyseOptions = {
  metrics: ['selection_rate', 'true_positive_rate'],
  posLabel: null,
  minGroupSize: 30,
  bootstrap: { samples: 300, seed: 7, level: 0.95 },
};

/** Timer turns while `work` runs, and its duration. */
async function turnsDuring<T>(work: () => Promise<T> | T): Promise<{ value: T; turns: number; ms: number }> {
  let turns = 0;
  const timer = setInterval(() => turns++, 5);
  const t0 = performance.now();
  try {
    const value = await work();
    return { value, turns, ms: performance.now() - t0 };
  } finally {
    clearInterval(timer);
  }
}

let thread: ThreadModule;
beforeAll(async () => {
  await ensureBuilt();
  thread = (await import(pathToFileURL(join(ROOT, 'dist', 'analysis', 'fairness-thread.js')).href)) as ThreadModule;
}, 600_000);

it('a large bootstrap runs off the event loop, with the in-process answer', async () => {
  expect(thread.analysesOffThread()).toBe(true);
  // In-process, the same work lets no timer fire: what a fairness request did to the server.
  const inline = await turnsDuring(() => analyses(cols, ['g'], options));
  expect(inline.turns).toBe(0);
  const off = await turnsDuring(() => thread.analysesInThread(cols, ['g'], options));
  expect(off.value).toEqual(inline.value);
  // The loop turned through the work (a 5 ms timer, allowed to run at a quarter of its rate on a busy machine).
  expect(off.turns).toBeGreaterThan(off.ms / 5 / 4);
}, 120_000);

it('a refusal from the thread is a 400 naming the field, as in-process', async () => {
  const err = await thread.analysesInThread(cols, ['g'], { ...options, bootstrap: { samples: 100_000, seed: 1, level: 0.95 } }).catch((e: unknown) => e);
  expect(err).toMatchObject({ status: 400, errors: [{ field: 'bootstrap.samples' }] });
}, 60_000);
