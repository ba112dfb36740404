/** `ferry models register FILE --name NAME [--features]` against a real server. */
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type FerryServer, ROOT, runCli, startFerry } from '../../test/support/ferry-process.js';

let server: FerryServer;
let env: Record<string, string>;
const model = (f: string) => join(ROOT, 'test', 'fixtures', 'models', f);
const ferry = (...args: string[]) => runCli(args, env, { timeoutMs: 60_000 });

beforeAll(async () => {
  server = await startFerry();
  env = { FERRY_URL: server.url, FERRY_TOKEN: server.adminToken };
});
afterAll(async () => server?.stop());

it('registers an .onnx file, shows its signature, and records --features', async () => {
  const res = await ferry('models', 'register', model('credit_gbdt.onnx'), '--name', 'credit');
  expect(res.code).toBe(0);
  expect(res.stdout).toMatch(/home_ownership\s+string\s+\[N, 1\]/);
  expect(res.stderr).toContain('as credit version 1');
  const names = Array.from({ length: 10 }, (_, i) => `f${i}`).join(',');
  const json = await ferry('models', 'register', model('diabetes_ridge.onnx'), '--name', 'diabetes', '--features', names, '--json');
  expect(JSON.parse(json.stdout)).toMatchObject({ model_version: { name: 'diabetes', version: '1' }, signature: { features: names.split(',') } });
});

it('refuses a broken file and a missing one with exit 1 and a clear message', async () => {
  const broken = await ferry('models', 'register', model('truncated.onnx'), '--name', 'broken');
  expect(broken.code).toBe(1);
  expect(broken.stderr).toContain('Not a valid ONNX model');
  const missing = await ferry('models', 'register', model('nope.onnx'), '--name', 'broken');
  expect(missing).toMatchObject({ code: 1 });
  expect(missing.stderr).toContain('no such file');
});
