/**
 * The Python client's tests (clients/python/tests) once more with Ferry on a real PostgreSQL: every server the
 * suite starts gets `--store` of a fresh database (FERRY_PYTEST_STORE, read by clients/python/tests/conftest.py).
 * npm test runs them on SQLite; this is the same suite on the other store. The notebook test is left out: it is
 * slow and exercises nothing store-specific the rest does not.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, ROOT } from './support/ferry-process.js';
import { freshStore, storeKinds, type StoreHandle } from './support/stores.js';

const PYTHON = join(ROOT, '.venv', 'bin', 'python');
const TESTS = 'clients/python/tests';
const ready = storeKinds().includes('postgres') && existsSync(PYTHON);
if (!ready)
  console.warn(`SKIP Python client tests on PostgreSQL: ${!existsSync(PYTHON) ? 'no .venv (npm test creates it)' : 'PostgreSQL not in FERRY_TEST_STORES'}`);

describe.skipIf(!ready)('Python client tests on PostgreSQL', () => {
  let pg: StoreHandle;

  beforeAll(async () => {
    await ensureBuilt();
    pg = await freshStore('postgres');
  }, 180_000);

  afterAll(async () => {
    await pg?.cleanup();
  });

  it('pass with every server on a PostgreSQL store', async () => {
    const env: Record<string, string> = { ...(process.env as Record<string, string>), FERRY_PYTEST_STORE: pg.url };
    const args = ['-m', 'pytest', TESTS, `--ignore=${TESTS}/test_notebook.py`, '-q', '-p', 'no:cacheprovider'];
    const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve) => {
      const child = spawn(PYTHON, args, { cwd: ROOT, env });
      let output = '';
      child.stdout.on('data', (b: Buffer) => (output += b.toString()));
      child.stderr.on('data', (b: Buffer) => (output += b.toString()));
      child.on('exit', (c) => resolve({ code: c, output }));
    });
    const summary = output.trim().split('\n').slice(-1)[0] ?? '';
    console.log(`Python client tests on PostgreSQL: ${summary}`);
    expect(code, output.slice(-6000)).toBe(0);
    expect(summary).toMatch(/\d+ passed/);
    expect(summary).not.toMatch(/\b(failed|errors?)\b/); // "2 xfailed" is not a failure
  }, 1_200_000);
});
