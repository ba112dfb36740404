/**
 * Attacks on the sign-in limiter found in review (issue 21, part 6). Real app, real store, inject() from chosen
 * client addresses.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { LocalArtifactStore } from '../src/artifacts/index.js';
import { loadConfig } from '../src/config.js';
import { addressKey } from '../src/server/sign-in-guard.js';
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

forEachStore('sign-in limiter and IPv6', (kind) => {
  let app: FastifyInstance;
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
    close = async () => {
      await app.close();
      await store.close();
      await handle.cleanup();
      rmSync(dir, { recursive: true, force: true });
    };
  });
  afterAll(async () => close?.());

  const whoami = (remoteAddress: string) =>
    app.inject({ method: 'GET', url: '/api/v1/whoami', headers: { authorization: 'Bearer fry_not_a_token_at_all' }, remoteAddress });

  it('counts an IPv6 caller by its /64: one subscriber holds 2^64 addresses, so a per-address limit would never bite', async () => {
    for (let i = 1; i <= 20; i++) expect((await whoami(`2001:db8:1:2::${i.toString(16)}`)).statusCode, `attempt ${i}`).toBe(401);
    // Another address of the same /64, written the long way and in capitals: the same lock.
    const locked = await whoami('2001:DB8:1:2:0:0:ffff:abcd');
    expect(locked.statusCode).toBe(429);
    expect(locked.json().detail).toMatch(/from this address/);
    // The next /64 is someone else's.
    expect((await whoami('2001:db8:1:3::1')).statusCode).toBe(401);
  });

  it('counts an IPv4-mapped IPv6 caller as its IPv4 address', async () => {
    for (let i = 1; i <= 20; i++) expect((await whoami(i % 2 ? '192.0.2.7' : '::ffff:192.0.2.7')).statusCode, `attempt ${i}`).toBe(401);
    expect((await whoami('::ffff:192.0.2.7')).statusCode).toBe(429);
    expect((await whoami('192.0.2.7')).statusCode).toBe(429);
    expect((await whoami('192.0.2.8')).statusCode).toBe(401);
  });
});

describe('the address a sign-in failure counts against', () => {
  it('is an IPv4 address as is, an IPv6 address by its /64 however written, a mapped IPv4 address as IPv4', () => {
    expect(addressKey('198.51.100.7')).toBe('198.51.100.7');
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('2001:0DB8:0000:0000:ffff:0:0:1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('2001:db8:a:b:c::1%eth0')).toBe('2001:db8:a:b::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(addressKey('2001:db8:a::')).toBe('2001:db8:a:0::/64');
    expect(addressKey('')).toBe('');
  });
});

forEachStore('a username locked by failures', (kind) => {
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

  it('still lets a token sent as its basic-auth password through (MLflow clients send one under a shared username), never a password', async () => {
    const made = await app.inject({ method: 'POST', url: '/api/v1/users', headers: admin, payload: { username: 'mlflow', role: 'viewer' } });
    const { password } = made.json() as { password: string };
    const { token } = await app.ferry.auth.createToken('ci', 'editor', 'test');
    // Anyone who knows the username locks it: ten failures from ten addresses.
    for (let i = 0; i < 10; i++) expect((await whoami(basic('mlflow', `guess-${i}`), `198.18.0.${i + 1}`)).statusCode).toBe(401);
    // The user's right password is refused unchecked, and a user retrying it does not lock their own address.
    for (let i = 0; i < 25; i++) {
      const right = await whoami(basic('mlflow', password), '198.18.1.1');
      expect(right.statusCode, `retry ${i + 1}`).toBe(429);
      expect(right.json().detail).toMatch(/for this user/);
    }
    // A token is checked by its hash (no scrypt) and cannot be guessed: the lock does not stop it.
    const viaToken = await whoami(basic('mlflow', token), '198.18.1.2');
    expect(viaToken.statusCode).toBe(200);
    expect(viaToken.json()).toMatchObject({ name: 'ci', kind: 'token' });
    // A wrong one is refused as locked, and counts against its address: one address cannot query tokens without end.
    const ip = '198.18.1.3';
    for (let i = 0; i < 20; i++) {
      const res = await whoami(basic('mlflow', `fry_wrong_${i}`), ip);
      expect(res.statusCode, `attempt ${i + 1}`).toBe(429);
      expect(res.json().detail).toMatch(/for this user/);
    }
    const byAddress = await whoami(basic('mlflow', token), ip);
    expect(byAddress.statusCode).toBe(429);
    expect(byAddress.json().detail).toMatch(/from this address/);
  });
});
