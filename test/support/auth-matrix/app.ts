/**
 * The matrix's app: a real app on a real store (as test/support/app.ts makes it), with the sign-in limiter off.
 * The matrix sends hundreds of refused credentials (revoked and expired tokens) from one address, inject's
 * 127.0.0.1; with the limiter on (docs/security.md) they would turn into 429s past its limit and hide the 401s the
 * matrix checks. The limiter's own tests cover it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../src/app.js';
import { LocalArtifactStore } from '../../../src/artifacts/index.js';
import { type ConfigFlags, loadConfig } from '../../../src/config.js';
import type { Store } from '../../../src/store/index.js';
import { freshStore, type StoreKind } from '../stores.js';

export interface MatrixApp {
  app: FastifyInstance;
  store: Store;
  adminToken: string;
  close(): Promise<void>;
}

/** 0 turns either limit off (src/config.ts). */
const SIGN_IN_LIMITER_OFF = { authMaxFailuresPerIp: 0, authMaxFailuresPerUser: 0 };

export async function startMatrixApp(kind: StoreKind): Promise<MatrixApp> {
  const handle = await freshStore(kind);
  const store = await handle.open();
  const dataDir = mkdtempSync(join(tmpdir(), 'ferry-matrix-'));
  const flags: ConfigFlags = { dataDir, store: handle.url, ...SIGN_IN_LIMITER_OFF };
  // No environment: a FERRY_* variable of the shell running the tests must not change what the matrix sees.
  const config = loadConfig(flags, {});
  // contractCheck: an answer that strays from its operation's schema becomes a 500, which the matrix reports.
  const app = await buildApp({ config, store, artifacts: new LocalArtifactStore(join(dataDir, 'artifacts')), logger: false, contractCheck: true });
  const { token } = await app.ferry.auth.createToken('matrix-admin', 'admin', 'test');
  return {
    app,
    store,
    adminToken: token,
    close: async () => {
      await app.close();
      await store.close();
      await handle.cleanup();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
