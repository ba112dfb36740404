/**
 * Two `ferry server` replicas on one store, both with their loop driver running (own data dirs, shared
 * artifacts, the same store and secret key): three loops on three deployments, each triggered twice through
 * either replica, every run trained, gated, shadowed, canaried and promoted — each driven once under its lease:
 * no step written twice, one job, one registered version, one revision per change, one promotion. While they
 * run, the runs' lease owners are sampled from the store: both replicas' drivers took runs.
 */
import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/index.js';
import { ensureBuilt, type FerryServer } from '../support/ferry-process.js';
import { serverSetup, tearDown } from '../support/ferry-servers.js';
import { forEachStore, freshStore, type StoreHandle } from '../support/stores.js';
import { HAVE_VENV } from '../jobs/support.js';
import { createTrainingLoop, creditFixtures, durabilityEnv, expectDrivenOnce, spawnServer, trigger, waitForEnd } from './durability-support.js';

const LOOPS = ['rep-a', 'rep-b', 'rep-c'];
const ROUNDS = 2;

forEachStore('two replicas driving loops', (kind) => {
  describe.skipIf(!HAVE_VENV)('one store, two drivers', () => {
    let handle: StoreHandle;
    let store: Store;
    let shared: string;
    const servers: FerryServer[] = [];

    beforeAll(async () => {
      await ensureBuilt();
      handle = await freshStore(kind);
      shared = mkdtempSync(join(tmpdir(), 'ferry-loop-replicas-'));
      // Artifacts (the stored project, the models the jobs log) on a volume both replicas see; the rest apart.
      mkdirSync(join(shared, 'artifacts'));
      for (const name of ['a', 'b']) {
        mkdirSync(join(shared, name));
        symlinkSync(join(shared, 'artifacts'), join(shared, name, 'artifacts'));
      }
      const setup = serverSetup(handle.url, durabilityEnv());
      // One after the other: the first migrates the store.
      servers.push(await spawnServer(setup, join(shared, 'a')));
      servers.push(await spawnServer(setup, join(shared, 'b')));
      const project = await creditFixtures(servers, LOOPS);
      for (const [i, name] of LOOPS.entries()) await createTrainingLoop(servers[(i + 1) % 2]!, name, name, name, project);
      store = await handle.open();
    }, 400_000);
    afterAll(() => tearDown({ jobDirs: servers.map((s) => s.dataDir), servers, store, handle, dirs: [shared] }));

    it('drives each run to its end once, both replicas taking runs', async () => {
      const owners = new Set<string>();
      let sampling = true;
      const sampler = (async () => {
        while (sampling) {
          const rows = await store.db.selectFrom('loop_runs').select(['lease_owner', 'lease_until']).execute();
          for (const r of rows) if (r.lease_owner && r.lease_until !== null) owners.add(r.lease_owner);
          await new Promise((r) => setTimeout(r, 20));
        }
      })();
      try {
        for (let round = 1; round <= ROUNDS; round++) {
          // Each loop triggered through a different replica than the last, all at once.
          const seqs = await Promise.all(LOOPS.map((name, i) => trigger(servers[(i + round) % 2]!, name)));
          expect(seqs).toEqual(LOOPS.map(() => round));
          const runs = await Promise.all(LOOPS.map((name, i) => waitForEnd(servers[(i + round + 1) % 2]!, name, round, 180_000)));
          for (const [i, name] of LOOPS.entries()) {
            expect(runs[i].ended_at, servers.map((s) => s.output()).join('\n')).not.toBeNull();
            await expectDrivenOnce(servers[i % 2]!, name, round, name, 'promoted');
          }
        }
      } finally {
        sampling = false;
        await sampler;
      }
      // Both drivers held runs (otherwise one replica did all the work and the lease was never contested).
      expect(owners.size, [...owners].join(', ')).toBeGreaterThanOrEqual(2);
    }, 420_000);
  });
});
