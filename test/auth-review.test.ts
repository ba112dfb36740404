/**
 * Attacks on the sign-in limiter found in review (issue 21, part 6). Real app, real store, inject() from chosen
 * client addresses.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { LocalArtifactStore } from '../src/artifacts/index.js';
import { loadConfig } from '../src/config.js';
import type { Store } from '../src/store/index.js';
import { forEachStore, freshStore } from './support/stores.js';

const basic = (u: string, p: string) => ({ authorization: `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}` });

forEachStore('sign-in limiter under attack', (kind) => {
  let app: FastifyInstance;
  let admin: { authorization: string };
  let close: () => Promise<void>;
  beforeAll(async () => {
    const handle = await freshStore(kind);
    const store: Store = await handle.open();
    const dir = mkdtempSync(join(tmpdir(), 'ferry-auth-review-'));
    app = await buildApp({
      config: loadConfig({ dataDir: dir, store: handle.url }, {}),
      store,
      artifacts: new LocalArtifactStore(join(dir, 'a')),
      logger: false,
    });
    admin = { authorization: `Bearer ${(await app.ferry.auth.createToken('admin', 'admin', 'test')).token}` };
    close = async () => {
      await app.close();
      await store.close();
      await handle.cleanup();
      rmSync(dir, { recursive: true, force: true });
    };
  });
  afterAll(async () => close?.());

  const whoami = (headers: Record<string, string>, remoteAddress: string) => app.inject({ method: 'GET', url: '/api/v1/whoami', headers, remoteAddress });

  it("a token sent as the password under a victim's username does not clear the victim's failures", async () => {
    const made = await app.inject({ method: 'POST', url: '/api/v1/users', headers: admin, payload: { username: 'victim', role: 'viewer' } });
    expect(made.statusCode).toBe(200);
    // Any token will do, a prediction-only one handed to a third party included.
    const { token } = await app.ferry.auth.createToken('outsider', 'viewer', 'test', { deployment: 'fraud' });
    // Nine guesses, each from its own address (a botnet), then the trick that would reset the count, then more.
    for (let i = 0; i < 9; i++) expect((await whoami(basic('victim', `guess-${i}`), `203.0.113.${i + 1}`)).statusCode).toBe(401);
    const viaToken = await whoami(basic('victim', token), '203.0.113.100');
    expect(viaToken.statusCode).toBe(200);
    expect(viaToken.json()).toMatchObject({ name: 'outsider', kind: 'token' });
    expect((await whoami(basic('victim', 'guess-9'), '203.0.113.10')).statusCode).toBe(401);
    // The tenth failure locks the username: a token holder could otherwise guess without end from many addresses.
    const locked = await whoami(basic('victim', 'guess-10'), '203.0.113.11');
    expect(locked.statusCode).toBe(429);
    expect(locked.json().detail).toMatch(/for this user/);
  });
});
