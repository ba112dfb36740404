/** A real app (real store, real artifact folder) driven by app.inject(): HTTP semantics without a socket. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { buildApp } from '../../src/app.js';
import { LocalArtifactStore } from '../../src/artifacts/index.js';
import { loadConfig } from '../../src/config.js';
import type { Store } from '../../src/store/index.js';
import { freshStore, type StoreKind } from './stores.js';

export interface TestApp {
  app: FastifyInstance;
  store: Store;
  adminToken: string;
  dataDir: string;
  /** Authorization header for the admin. */
  auth: { authorization: string };
  /** A JSON call as the admin: status and parsed body. */
  call(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: object): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

export async function startTestApp(kind: StoreKind, flags: { insecureNoAuth?: boolean; maxArtifactBytes?: number } = {}): Promise<TestApp> {
  const handle = await freshStore(kind);
  const store = await handle.open();
  const dataDir = mkdtempSync(join(tmpdir(), 'ferry-app-'));
  const config = loadConfig({ dataDir, store: handle.url, insecureNoAuth: flags.insecureNoAuth ?? false, maxArtifactBytes: flags.maxArtifactBytes }, {});
  // Every JSON answer is checked against its response schema: a test that provokes a violation fails.
  const app = await buildApp({ config, store, artifacts: new LocalArtifactStore(join(dataDir, 'artifacts')), logger: false, contractCheck: true });
  const { token } = await app.ferry.auth.createToken('admin', 'admin', 'test');
  return {
    app,
    store,
    adminToken: token,
    dataDir,
    auth: { authorization: `Bearer ${token}` },
    call: async (method, url, payload) => {
      const res = await app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });
      return { status: res.statusCode, body: res.json() };
    },
    close: async () => {
      await app.close();
      await store.close();
      await handle.cleanup();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A test app for the enclosing describe block: started in beforeAll, closed in afterAll. The returned
 * handle forwards to it, so tests write `t.call(...)` / `t.app` as with startTestApp.
 */
export function useTestApp(kind: StoreKind, flags: Parameters<typeof startTestApp>[1] = {}): TestApp {
  let inner: TestApp | undefined;
  beforeAll(async () => {
    inner = await startTestApp(kind, flags);
  });
  afterAll(async () => inner?.close());
  const get = (): TestApp => {
    if (!inner) throw new Error('The test app starts in beforeAll; use it inside tests.');
    return inner;
  };
  return {
    get app() {
      return get().app;
    },
    get store() {
      return get().store;
    },
    get adminToken() {
      return get().adminToken;
    },
    get dataDir() {
      return get().dataDir;
    },
    get auth() {
      return get().auth;
    },
    call: (...args) => get().call(...args),
    close: async () => get().close(),
  };
}
