/**
 * The real mlflow client against Ferry at scale: the tracking and registry interop suites (python/tests) run once
 * more with Ferry on a real PostgreSQL and artifacts in a real S3 bucket (versitygw). The suites check downloads
 * byte-equal; this test also checks the artifacts landed in the bucket, not on the server's disk.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAVE_S3, NO_S3_REASON, startS3Server, type S3TestServer } from './helpers/s3-server.js';
import { ensureBuilt, ROOT } from './support/ferry-process.js';
import { freshStore, storeKinds, type StoreHandle } from './support/stores.js';

const PYTHON = join(ROOT, '.venv', 'bin', 'python');
const SUITES = ['python/tests/test_mlflow_tracking.py', 'python/tests/test_mlflow_registry.py'];
const ready = HAVE_S3 && storeKinds().includes('postgres') && existsSync(PYTHON);
if (!ready)
  console.warn(
    `SKIP mlflow interop on PostgreSQL + S3: ${!HAVE_S3 ? NO_S3_REASON : !existsSync(PYTHON) ? 'no .venv (npm test creates it)' : 'PostgreSQL not in FERRY_TEST_STORES'}`,
  );

describe.skipIf(!ready)('mlflow client interop on PostgreSQL + S3', () => {
  let s3: S3TestServer;
  let pg: StoreHandle;

  beforeAll(async () => {
    await ensureBuilt();
    s3 = await startS3Server('ferry-interop');
    pg = await freshStore('postgres');
  }, 180_000);

  afterAll(async () => {
    await s3?.stop();
    await pg?.cleanup();
  });

  it('the tracking and registry suites pass, and their artifacts are objects in the bucket', async () => {
    const env: Record<string, string> = {
      ...(process.env as Record<string, string>),
      ...s3.env(),
      FERRY_PYTEST_STORE: pg.url,
      FERRY_PYTEST_ARTIFACTS: s3.location('ferry'),
    };
    const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve) => {
      const child = spawn(PYTHON, ['-m', 'pytest', ...SUITES, '-q', '-p', 'no:cacheprovider'], { cwd: ROOT, env });
      let output = '';
      child.stdout.on('data', (b: Buffer) => (output += b.toString()));
      child.stderr.on('data', (b: Buffer) => (output += b.toString()));
      child.on('exit', (c) => resolve({ code: c, output }));
    });
    const summary = output.trim().split('\n').slice(-1)[0] ?? '';
    console.log(`mlflow interop on PostgreSQL + S3: ${summary}`);
    expect(code, output.slice(-6000)).toBe(0);
    expect(summary).toMatch(/\d+ passed/);
    expect(summary).not.toMatch(/failed|error/);

    let keys = 0;
    let token: string | undefined;
    do {
      const page = await s3.client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: 'ferry/', ContinuationToken: token }));
      keys += page.KeyCount ?? 0;
      token = page.NextContinuationToken;
    } while (token);
    console.log(`objects in the bucket under ferry/: ${keys}`);
    expect(keys).toBeGreaterThan(10);
  }, 600_000);
});
