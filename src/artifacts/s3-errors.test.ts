/**
 * What S3's failures mean to Ferry, on a real S3-compatible server (versitygw): a missing key is "no such
 * artifact"; a missing bucket is not (every artifact would answer 404 while the storage is misconfigured); a
 * storage that does not answer is a retryable OVERLOADED; and no message carries the credentials.
 */
import { createServer } from 'node:net';
import { Readable } from 'node:stream';
import { S3ServiceException } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAVE_S3, NO_S3_REASON, type S3TestServer, startS3Server } from '../../test/helpers/s3-server.js';
import { isFerryError, NotFoundError } from '../errors.js';
import { S3ArtifactStore } from './s3-artifact-store.js';
import { makeS3Client } from './s3-client.js';
import { storageError } from './s3-errors.js';

it("S3's 409 on a conflicting conditional write is retryable (OVERLOADED), as AWS documents it", () => {
  for (const name of ['ConditionalRequestConflict', 'OperationAborted']) {
    const err = new S3ServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: 409 }, message: 'A conflicting operation occurred.' });
    const mapped = storageError(err, "writing 'a.zip'");
    expect(isFerryError(mapped) && mapped.code).toBe('OVERLOADED');
  }
  // Any other 409 (BucketNotEmpty, …) stays an operator's problem.
  const other = new S3ServiceException({ name: 'BucketNotEmpty', $fault: 'client', $metadata: { httpStatusCode: 409 }, message: 'x' });
  expect(isFerryError(storageError(other, 'x'))).toBe(false);
});

describe.skipIf(!HAVE_S3)(`S3 error mapping${NO_S3_REASON ? ` (${NO_S3_REASON})` : ''}`, () => {
  let s3: S3TestServer;
  beforeAll(async () => {
    s3 = await startS3Server();
  });
  afterAll(async () => s3?.stop());

  const storeOn = (bucket: string, endpoint = s3.endpoint, secretAccessKey = s3.secretKey) =>
    new S3ArtifactStore(makeS3Client({ endpoint, region: s3.region, forcePathStyle: true }, { accessKeyId: s3.accessKey, secretAccessKey }), {
      bucket,
      prefix: 'p',
    });

  it('a missing key is RESOURCE_DOES_NOT_EXIST', async () => {
    const store = storeOn(s3.bucket);
    await expect(store.get('nope.txt')).rejects.toBeInstanceOf(NotFoundError);
    await expect(store.getRange('nope.txt', 0, 10)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('a missing bucket is a storage failure naming NoSuchBucket, not a missing artifact', async () => {
    const store = storeOn('no-such-bucket-here');
    for (const read of [() => store.get('a.txt'), () => store.getRange('a.txt', 0, 10)]) {
      const err = await read().then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(Error);
      expect(err).not.toBeInstanceOf(NotFoundError);
      expect((err as Error).message).toMatch(/NoSuchBucket/);
    }
  });

  it('a storage that does not answer is a retryable OVERLOADED', async () => {
    // A port that was free a moment ago: nothing listens there.
    const port = await new Promise<number>((resolve) => {
      const srv = createServer().listen(0, '127.0.0.1', () => {
        const p = (srv.address() as { port: number }).port;
        srv.close(() => resolve(p));
      });
    });
    const store = storeOn(s3.bucket, `http://127.0.0.1:${port}`);
    const err = await store.get('a.txt').catch((e: unknown) => e);
    expect(isFerryError(err) && err.code).toBe('OVERLOADED');
  });

  it('a refused signature names the failure, never the secret key', async () => {
    const secret = 'not-the-right-secret-key-0123456789abcdef';
    const store = storeOn(s3.bucket, s3.endpoint, secret);
    for (const op of [() => store.get('a.txt'), () => store.put('a.txt', Readable.from([Buffer.from('x')]), 10), () => store.list('')]) {
      const err = (await op().catch((e: unknown) => e)) as Error;
      expect(err).toBeInstanceOf(Error);
      expect(err).not.toBeInstanceOf(NotFoundError);
      const seen = `${err.message}\n${err.stack ?? ''}\n${JSON.stringify(err)}`;
      expect(seen).not.toContain(secret);
    }
  });
});
