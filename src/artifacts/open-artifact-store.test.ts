/** openArtifactStore on each kind of location, against a real S3-compatible server (versitygw) for s3:// URLs. */
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { createServer } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAVE_S3, NO_S3_REASON, type S3TestServer, startS3Server } from '../../test/helpers/s3-server.js';
import { LocalArtifactStore } from './local-artifact-store.js';
import { openArtifactStore } from './open-artifact-store.js';

/** The error a promise rejects with (the test fails if it resolves). */
async function refusal(p: Promise<unknown>): Promise<Error & { code: string }> {
  return p.then(
    () => {
      throw new Error('expected a refusal');
    },
    (e: unknown) => e as Error & { code: string },
  );
}

async function readAll(s: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of s) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString();
}

/** A loopback port nothing listens on. */
function closedPort(): Promise<number> {
  return new Promise((res) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => res(port));
    });
  });
}

describe('openArtifactStore', () => {
  it('opens a folder as the local store', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-open-'));
    try {
      const store = await openArtifactStore(join(dir, 'artifacts'), {});
      expect(store).toBeInstanceOf(LocalArtifactStore);
      await store.put('a/b.txt', Readable.from(['x']), 10);
      expect(readFileSync(join(dir, 'artifacts', 'a', 'b.txt'), 'utf8')).toBe('x');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a bad location naming artifacts', async () => {
    await expect(openArtifactStore('s3://Bad_Bucket/x', {})).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE', errors: [{ field: 'artifacts' }] });
  });

  it('says the storage does not answer when nothing listens at the endpoint (503, retry)', async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    const env = { AWS_ACCESS_KEY_ID: 'k', AWS_SECRET_ACCESS_KEY: 'not-a-real-secret-123' };
    const err = await refusal(openArtifactStore(`s3://bucket/p?endpoint=${endpoint}`, env));
    expect(err).toMatchObject({ code: 'OVERLOADED' });
    expect(err.message).toContain(`The artifact storage at ${endpoint} does not answer (ECONNREFUSED): the artifacts bucket 'bucket' could not be checked`);
    expect(err.message).not.toContain('not-a-real-secret-123');
  });
});

if (!HAVE_S3) console.warn(`\n!! SKIPPING openArtifactStore on S3: ${NO_S3_REASON}\n`);

describe.skipIf(!HAVE_S3)('openArtifactStore on S3 (versitygw)', () => {
  let s3: S3TestServer;
  beforeAll(async () => {
    s3 = await startS3Server();
  });
  afterAll(async () => s3?.stop());

  it('opens an s3:// location with the AWS variables and stores under <prefix>/<path>', async () => {
    const store = await openArtifactStore(s3.location('team/ferry'), s3.env());
    await store.put('runs/r1/a.txt', Readable.from(['hello']), 100);
    const obj = await s3.client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: 'team/ferry/runs/r1/a.txt' }));
    expect(await readAll(obj.Body as Readable)).toBe('hello');
    expect(await store.list('runs')).toEqual([{ path: 'runs/r1', is_dir: true }]);
  });

  it('takes the endpoint from AWS_ENDPOINT_URL_S3, and a bucket root without prefix', async () => {
    const store = await openArtifactStore(`s3://${s3.bucket}`, { ...s3.env(), AWS_ENDPOINT_URL_S3: s3.endpoint });
    await store.put('root-file.txt', Readable.from(['r']), 10);
    const obj = await s3.client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: 'root-file.txt' }));
    expect(await readAll(obj.Body as Readable)).toBe('r');
  });

  it('stops at start on a bucket that does not exist, or on wrong credentials, with a clear message', async () => {
    await expect(openArtifactStore(s3.location('x').replace(`s3://${s3.bucket}/`, 's3://no-such-bucket/'), s3.env())).rejects.toMatchObject({
      code: 'INVALID_PARAMETER_VALUE',
      message: expect.stringMatching(/bucket 'no-such-bucket' does not exist/),
    });
    const wrong = { ...s3.env(), AWS_SECRET_ACCESS_KEY: 'wrong-secret-value-xyz' };
    const err = await refusal(openArtifactStore(s3.location('x'), wrong));
    expect(err).toMatchObject({ code: 'INVALID_PARAMETER_VALUE', message: expect.stringMatching(/denied: check AWS_ACCESS_KEY_ID/) });
    expect(err.message).not.toContain('wrong-secret-value-xyz');
  });

  it('answers 503 (OVERLOADED) for operations once the storage stops answering', async () => {
    const other = await startS3Server();
    const store = await openArtifactStore(other.location('p'), other.env());
    await store.put('a.txt', Readable.from(['x']), 10);
    await other.stop();
    await expect(store.get('a.txt')).rejects.toMatchObject({ code: 'OVERLOADED' });
    await expect(store.put('b.txt', Readable.from(['y']), 10)).rejects.toMatchObject({ code: 'OVERLOADED' });
    await expect(store.list('')).rejects.toMatchObject({ code: 'OVERLOADED' });
    await expect(store.delete('a.txt')).rejects.toMatchObject({ code: 'OVERLOADED' });
  });
});
