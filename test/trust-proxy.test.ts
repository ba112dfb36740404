/**
 * The audit log's caller address behind a load balancer: the peer's address by default (a forged X-Forwarded-For
 * changes nothing), the forwarded one when FERRY_TRUST_PROXY trusts the proxy.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { LocalArtifactStore } from '../src/artifacts/index.js';
import { loadConfig } from '../src/config.js';
import { freshStore } from './support/stores.js';

async function auditedIp(env: Record<string, string>): Promise<string> {
  const handle = await freshStore('sqlite');
  const store = await handle.open();
  const dir = mkdtempSync(join(tmpdir(), 'ferry-trust-'));
  const app = await buildApp({
    config: loadConfig({ dataDir: dir, store: handle.url }, env),
    store,
    artifacts: new LocalArtifactStore(join(dir, 'a')),
    logger: false,
  });
  try {
    const { token } = await app.ferry.auth.createToken('admin', 'admin', 'test');
    const headers = { authorization: `Bearer ${token}`, 'x-forwarded-for': '203.0.113.7' };
    const res = await app.inject({ method: 'POST', url: '/api/2.0/mlflow/experiments/create', headers, payload: { name: 'trust' }, remoteAddress: '10.0.0.2' });
    expect(res.statusCode).toBe(200);
    for (let i = 0; i < 100; i++) {
      const rows = await store.db.selectFrom('audit_log').select(['ip', 'path']).where('path', '=', '/api/2.0/mlflow/experiments/create').execute();
      if (rows.length > 0) return rows[0]!.ip as string;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('no audit row');
  } finally {
    await app.close();
    await store.close();
    await handle.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('FERRY_TRUST_PROXY', () => {
  it('records the peer by default, whatever X-Forwarded-For says', async () => {
    expect(await auditedIp({})).toBe('10.0.0.2');
  });
  it('records the forwarded address when the proxy is trusted (by address or CIDR)', async () => {
    expect(await auditedIp({ FERRY_TRUST_PROXY: 'true' })).toBe('203.0.113.7');
    expect(await auditedIp({ FERRY_TRUST_PROXY: '10.0.0.0/8' })).toBe('203.0.113.7');
    expect(await auditedIp({ FERRY_TRUST_PROXY: '192.168.0.1' })).toBe('10.0.0.2');
  });
  it('refuses a malformed value, naming it', () => {
    expect(() => loadConfig({}, { FERRY_TRUST_PROXY: 'proxy.example.com' })).toThrow(/FERRY_TRUST_PROXY entry 'proxy.example.com'/);
    expect(loadConfig({}, { FERRY_TRUST_PROXY: '2' }).trustProxy).toBe(2);
  });
});
