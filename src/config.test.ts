import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('loadConfig', () => {
  it('uses defaults: loopback, port 5050, SQLite in ./ferry-data, auth on', () => {
    const c = loadConfig({}, {});
    expect(c).toMatchObject({ host: '127.0.0.1', port: 5050, insecureNoAuth: false });
    expect(c.storeUrl).toMatch(/^sqlite:.*ferry-data\/ferry\.db$/);
    expect(c.allowedHosts).toEqual(expect.arrayContaining(['localhost', '127.0.0.1']));
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('takes FERRY_* variables, and flags over them', () => {
    const env = {
      FERRY_PORT: '6000',
      FERRY_HOST: 'ferry.internal',
      FERRY_STORE: 'postgres://u:p@db/ferry',
      FERRY_ALLOWED_HOSTS: 'ml.example.com',
      FERRY_ADMIN_TOKEN: 'x'.repeat(20),
    };
    const c = loadConfig({ port: '0' }, env);
    expect(c).toMatchObject({ port: 0, host: 'ferry.internal', storeUrl: 'postgres://u:p@db/ferry', adminToken: 'x'.repeat(20) });
    expect(c.allowedHosts).toEqual(expect.arrayContaining(['ferry.internal', 'ml.example.com']));
  });

  it('does not allow every Host just because it binds to all interfaces', () => {
    expect(loadConfig({ host: '0.0.0.0' }, {}).allowedHosts).not.toContain('0.0.0.0');
  });

  it('reads the inference settings, with the inline threshold 0 meaning never', () => {
    expect(loadConfig({}, {})).toMatchObject({ inferenceWorkers: 2, intraOpThreads: 1, inlineInferenceUs: 100 });
    expect(loadConfig({}, { FERRY_INLINE_INFERENCE_US: '0', FERRY_INTRA_OP_THREADS: '2' })).toMatchObject({ inlineInferenceUs: 0, intraOpThreads: 2 });
    expect(() => loadConfig({}, { FERRY_INLINE_INFERENCE_US: '-5' })).toThrow(/inline-inference-us/);
  });

  it('refuses a bad port, naming the setting', () => {
    expect(() => loadConfig({ port: '70000' }, {})).toThrow(/Invalid port '70000'/);
    expect(() => loadConfig({}, { FERRY_PORT: 'abc' })).toThrow(/port/);
  });

  it('keeps artifacts under the data dir unless told where (replicas share one folder)', () => {
    expect(loadConfig({ dataDir: '/srv/ferry' }, {}).artifactsDir).toBe('/srv/ferry/artifacts');
    expect(loadConfig({ dataDir: '/srv/ferry' }, { FERRY_ARTIFACTS_DIR: '/mnt/shared/artifacts' }).artifactsDir).toBe('/mnt/shared/artifacts');
    expect(loadConfig({ artifactsDir: '/a' }, { FERRY_ARTIFACTS_DIR: '/b' }).artifactsDir).toBe('/a');
  });
});
