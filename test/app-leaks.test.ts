/** An app built and closed (then its store) leaves no connection to the database and no timer behind. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { LocalArtifactStore } from '../src/artifacts/index.js';
import { loadConfig } from '../src/config.js';
import { forEachStore, freshStore } from './support/stores.js';

forEachStore('an app built and closed', (kind) => {
  it('build, close, close the store: no backend and no new timer remain', async () => {
    const handle = await freshStore(kind);
    const dir = mkdtempSync(join(tmpdir(), 'ferry-leak-'));
    const resources = () => process.getActiveResourcesInfo().filter((r) => r !== 'TTYWRAP' && r !== 'PipeWrap');
    const count = (xs: string[]) => xs.reduce<Record<string, number>>((m, x) => ((m[x] = (m[x] ?? 0) + 1), m), {});
    let before: Record<string, number> = {};
    // The first app warms what a process keeps once (module-level pools); the next ones must add nothing.
    for (let i = 0; i < 6; i++) {
      if (i === 1) before = count(resources());
      const store = await handle.open();
      const config = loadConfig({ dataDir: join(dir, `r${i}`), store: handle.url }, {});
      const app = await buildApp({ config, store, artifacts: new LocalArtifactStore(join(dir, 'artifacts')), logger: false });
      await app.close();
      await store.close();
    }
    await new Promise((r) => setTimeout(r, 1000));
    const after = count(resources());
    const grown = Object.entries(after).filter(([k, n]) => n > (before[k] ?? 0));
    if (kind === 'postgres') {
      const admin = new pg.Client({ connectionString: handle.url });
      await admin.connect();
      const db = new URL(handle.url).pathname.slice(1);
      const n = (await admin.query('select count(*)::int as n from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [db])).rows[0].n;
      await admin.end();
      expect(n).toBe(0);
    }
    await handle.cleanup();
    rmSync(dir, { recursive: true, force: true });
    expect(grown).toEqual([]);
  });
});
