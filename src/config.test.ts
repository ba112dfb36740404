import { resolve } from 'node:path';
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
    expect(loadConfig({ dataDir: '/srv/ferry' }, {}).artifacts).toBe('/srv/ferry/artifacts');
    expect(loadConfig({ dataDir: '/srv/ferry' }, { FERRY_ARTIFACTS_DIR: '/mnt/shared/artifacts' }).artifacts).toBe('/mnt/shared/artifacts');
    expect(loadConfig({ artifactsDir: '/a' }, { FERRY_ARTIFACTS_DIR: '/b' }).artifacts).toBe('/a');
    expect(loadConfig({ artifactsDir: 'rel/dir' }, {}).artifacts).toBe(resolve('rel/dir'));
  });

  it('takes --artifacts / FERRY_ARTIFACTS as a folder or an s3:// URL, kept as given, over the older dir settings', () => {
    const s3 = 's3://ml-artifacts/ferry?endpoint=http://127.0.0.1:9000&region=us-east-1';
    expect(loadConfig({ artifacts: s3 }, { FERRY_ARTIFACTS_DIR: '/b' }).artifacts).toBe(s3);
    expect(loadConfig({}, { FERRY_ARTIFACTS: s3 }).artifacts).toBe(s3);
    expect(loadConfig({ artifacts: '/mnt/a' }, { FERRY_ARTIFACTS: s3 }).artifacts).toBe('/mnt/a');
    expect(loadConfig({ artifactsDir: '/mnt/a' }, { FERRY_ARTIFACTS: s3 }).artifacts).toBe('/mnt/a');
    expect(loadConfig({ artifacts: 'rel' }, {}).artifacts).toBe(resolve('rel'));
  });

  it('refuses two artifacts settings that disagree, and a URL as the artifacts dir, naming artifacts', () => {
    expect(() => loadConfig({ artifacts: '/a', artifactsDir: '/b' }, {})).toThrow(/--artifacts or --artifacts-dir, not both/);
    expect(() => loadConfig({}, { FERRY_ARTIFACTS: 's3://b/p', FERRY_ARTIFACTS_DIR: '/b' })).toThrow(/FERRY_ARTIFACTS or FERRY_ARTIFACTS_DIR/);
    expect(() => loadConfig({ artifactsDir: 's3://b/p' }, {})).toThrow(/takes a folder/);
    try {
      loadConfig({ artifactsDir: 's3://b/p' }, {});
    } catch (err) {
      expect(err).toMatchObject({ code: 'INVALID_PARAMETER_VALUE', errors: [{ field: 'artifacts' }] });
    }
  });
});
