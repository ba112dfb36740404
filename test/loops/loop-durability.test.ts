/**
 * A loop run survives its server being SIGKILLed at a step boundary: a real `ferry server` with
 * FERRY_LOOPS_CRASH=<action>:<before|after> kills itself right before recording that action (its effects done,
 * its step not written) or right after; a server started again on the same data dir, store and port, without
 * the hook, takes the run over once the dead one's lease runs out and drives it to its end, recorded once: one
 * job (run once, one MLflow run), one registered version, one revision per change and one promotion, steps
 * numbered 1..n with no step repeated and one terminal step, the alias on the candidate.
 *
 * The run trains (a job that registers a copy of the champion through the mlflow client), gates, shadows,
 * canaries one step and promotes; to reach `finish`, a run whose job registers a weaker model ends rejected at
 * the gate. Boundaries: every action, both sides, except the looks (await_training, await_shadow, await_canary):
 * the hook fires at their first look, where the job or the step is still under way, so the step written after
 * is the same hold as the one before — once each, before. One server at a time on one store and data dir, the
 * cases in turn (each leaves the deployment promoted to its candidate, the next one's champion).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/index.js';
import { ensureBuilt } from '../support/ferry-process.js';
import { type ServerSetup, serverSetup, tearDown } from '../support/ferry-servers.js';
import { forEachStore, freshStore, type StoreHandle } from '../support/stores.js';
import { HAVE_VENV } from '../jobs/support.js';
import {
  createTrainingLoop,
  creditFixtures,
  durabilityEnv,
  expectDrivenOnce,
  type ServerProcess,
  spawnServer,
  trigger,
  waitForDeath,
  waitForEnd,
} from './durability-support.js';

const MODEL = 'credit-risk';

/** [action, side, how the run ends]: a run ends rejected (its candidate weaker) to reach `finish`. */
const BOUNDARIES: [string, 'before' | 'after', 'promoted' | 'rejected'][] = [
  ['start', 'before', 'promoted'],
  ['train', 'before', 'promoted'],
  ['train', 'after', 'promoted'],
  ['await_training', 'before', 'promoted'],
  ['register', 'before', 'promoted'],
  ['register', 'after', 'promoted'],
  ['gate', 'before', 'promoted'],
  ['gate', 'after', 'promoted'],
  ['shadow', 'before', 'promoted'],
  ['shadow', 'after', 'promoted'],
  ['await_shadow', 'before', 'promoted'],
  ['canary', 'before', 'promoted'],
  ['canary', 'after', 'promoted'],
  ['await_canary', 'before', 'promoted'],
  ['promote', 'before', 'promoted'],
  ['promote', 'after', 'promoted'],
  ['finish', 'before', 'rejected'],
  ['finish', 'after', 'rejected'],
];

/**
 * On PostgreSQL (the same code paths, another dialect under the compare-and-set and the lease), the boundaries
 * where an action has changed something outside the run before its step is written, and the promotion's after:
 * all of them would double the file's minutes for little.
 */
const ON_POSTGRES = new Set(['train:before', 'shadow:before', 'canary:before', 'promote:before', 'promote:after', 'finish:before']);

/**
 * The suite's default on SQLite (a killed server costs 15–40 s here): the boundaries where an action has changed
 * something outside the run (a job, a dataset version, a revision, the alias) — before its step is written — and
 * the promotion's after. FERRY_TEST_LOOP_DURABILITY=full runs every boundary above (about 8 minutes).
 */
const DEFAULT_SQLITE = new Set([
  'train:before',
  'register:after',
  'gate:after',
  'shadow:before',
  'canary:before',
  'promote:before',
  'promote:after',
  'finish:before',
]);
const FULL = process.env['FERRY_TEST_LOOP_DURABILITY'] === 'full';

forEachStore('loop runs killed at a step boundary', (kind) => {
  const wanted = kind === 'sqlite' ? (FULL ? null : DEFAULT_SQLITE) : FULL ? ON_POSTGRES : new Set(['train:before', 'promote:before']);
  const boundaries = wanted === null ? BOUNDARIES : BOUNDARIES.filter(([action, when]) => wanted.has(`${action}:${when}`));
  describe.skipIf(!HAVE_VENV)('SIGKILL, then a restart', () => {
    let handle: StoreHandle;
    let store: Store;
    let setup: ServerSetup;
    let dataDir: string;
    let server: ServerProcess | undefined;
    let project: string;

    beforeAll(async () => {
      await ensureBuilt();
      handle = await freshStore(kind);
      dataDir = mkdtempSync(join(tmpdir(), 'ferry-loop-durability-'));
      setup = serverSetup(handle.url, durabilityEnv());
      server = await spawnServer(setup, dataDir);
      project = await creditFixtures([server], [MODEL]);
      await server.stop();
      store = await handle.open();
    }, 400_000);
    afterAll(() => tearDown({ jobDirs: [dataDir], servers: [server], store, handle, dirs: [dataDir] }));

    it.each(boundaries)(
      '%s:%s (%s)',
      async (action, when, outcome) => {
        const loop = `${action.replace('_', '-')}-${when}`;
        try {
          server = await spawnServer(setup, dataDir, { env: { FERRY_LOOPS_CRASH: `${action}:${when}` } });
          await createTrainingLoop(server, loop, MODEL, MODEL, project, outcome === 'promoted' ? 'better.onnx' : 'worse.onnx');
          const seq = await trigger(server, loop);
          const dead = server;
          expect(await waitForDeath(dead, 90_000), dead.output()).toBe('SIGKILL');

          // It died where it was told to: before, the action's step is not written and the run still waits for it.
          const row = await store.db.selectFrom('loop_runs').selectAll().where('loop', '=', loop).executeTakeFirstOrThrow();
          const ctx = JSON.parse(row.context) as { next: string };
          if (when === 'before') expect({ next: ctx.next, ended: row.ended_at }).toEqual({ next: action, ended: null });
          else if (action === 'promote' || action === 'finish') expect(row.state).toBe(outcome);
          else expect(row.ended_at).toBeNull();

          server = await spawnServer(setup, dataDir, { port: Number(new URL(dead.url).port) });
          const run = await waitForEnd(server, loop, seq);
          expect(run.ended_at, server.output()).not.toBeNull();
          await expectDrivenOnce(server, loop, seq, MODEL, outcome);
        } finally {
          await server?.stop();
          server = undefined;
        }
      },
      240_000,
    );
  });
});
