/**
 * Artifacts as objects in an S3-compatible bucket, under `<prefix>/<path>`. Folders are key prefixes (listed with
 * Delimiter '/'), as MLflow's S3 artifact repository has them. Uploads stream through a bounded multipart upload:
 * at most `queueSize` parts of `partSize` bytes are in memory per upload, whatever the artifact's size.
 */
import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { Readable } from 'node:stream';
import { InvalidParameterError, NotFoundError } from '../errors.js';
import type { ArtifactFileInfo, ArtifactRangeRead, ArtifactRead, ArtifactStore } from './artifact-store.js';
import { ByteLimit } from './byte-limit.js';
import { checkRange, rangePastEnd } from './byte-range.js';
import {
  ArtifactStoreUnavailableError,
  errorName,
  isInvalidRange,
  isNoSuchBucket,
  isNotFound,
  isPreconditionFailed,
  isTransient,
  statusOf,
  storageError,
} from './s3-errors.js';
import { normaliseArtifactPath } from './safe-path.js';

const MIB = 1024 * 1024;
/** S3's smallest part (but the last) and most parts of a multipart upload. */
const MIN_PART = 5 * MIB;
const MAX_PARTS = 10_000;
const MAX_PART = 64 * MIB;
/** S3's longest presigned URL life (SigV4): 7 days. */
const MAX_PRESIGN_SECONDS = 7 * 24 * 3600;

export interface S3StoreOptions {
  bucket: string;
  /** Key prefix, no leading or trailing '/'; '' = the bucket's root. */
  prefix: string;
  /** Bytes per multipart part (≥ 5 MiB; default 8 MiB); raised when an upload limit needs more than 10,000 parts. */
  partSize?: number;
  /** Parts uploaded at once per upload (default 2): memory per upload ≈ partSize × (queueSize + 1). */
  queueSize?: number;
  /** Keys per ListObjectsV2 page (default: the server's, 1000 on S3); tests lower it to exercise paging. */
  listPageSize?: number;
  /** Keys per DeleteObjects call (S3's most: 1000); tests lower it to exercise batching. */
  deleteBatchSize?: number;
  /** The endpoint, for messages only ('' or absent: AWS). */
  endpoint?: string;
}

function byPath(a: ArtifactFileInfo, b: ArtifactFileInfo): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

/** "bytes 0-99/1234" → the total; undefined when absent or unknown ('*'). */
function totalFromContentRange(header: string | undefined): number | undefined {
  const m = header ? /\/(\d+)\s*$/.exec(header) : null;
  return m ? Number(m[1]) : undefined;
}

export class S3ArtifactStore implements ArtifactStore {
  private readonly bucket: string;
  /** '' or the prefix with a trailing '/': every key starts with it. */
  private readonly root: string;
  private readonly partSize: number;
  private readonly queueSize: number;
  private readonly listPageSize: number | undefined;
  private readonly deleteBatchSize: number;
  private readonly endpoint: string | undefined;

  constructor(
    private readonly client: S3Client,
    options: S3StoreOptions,
  ) {
    this.bucket = options.bucket;
    this.root = options.prefix === '' ? '' : `${options.prefix}/`;
    this.partSize = Math.max(MIN_PART, options.partSize ?? 8 * MIB);
    this.queueSize = Math.max(1, options.queueSize ?? 2);
    this.listPageSize = options.listPageSize;
    this.deleteBatchSize = Math.min(1000, Math.max(1, options.deleteBatchSize ?? 1000));
    this.endpoint = options.endpoint || undefined;
  }

  /** Where the store lives, for messages: bucket and prefix, nothing secret. */
  describe(): string {
    return `s3://${this.bucket}/${this.root}`;
  }

  /** Fails with a clear message when the bucket cannot be used (absent, access denied, storage unreachable). */
  async checkBucket(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
    } catch (err) {
      const where = `bucket '${this.bucket}'`;
      if (isNoSuchBucket(err) || statusOf(err) === 404)
        throw new InvalidParameterError('artifacts', `The artifacts ${where} does not exist; create it first (e.g. aws s3 mb s3://${this.bucket}).`);
      if (statusOf(err) === 403)
        throw new InvalidParameterError(
          'artifacts',
          `Access to the artifacts ${where} is denied: check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (or AWS_PROFILE).`,
        );
      if (isTransient(err))
        throw new ArtifactStoreUnavailableError(
          `The artifact storage${this.endpoint ? ` at ${this.endpoint}` : ''} does not answer (${errorName(err)}): the artifacts ${where} could not be checked; is the endpoint right and the server up?`,
          { cause: err },
        );
      throw storageError(err, `checking the artifacts ${where}`);
    }
  }

  private rel(raw: string): string {
    return normaliseArtifactPath(raw);
  }

  private key(rel: string): string {
    return this.root + rel;
  }

  /** Streams `body` to the key; with `ifNoneMatch`, not over an existing object (created: false, S3's 412). */
  private async upload(rel: string, body: Readable, maxBytes: number, ifNoneMatch: boolean): Promise<{ size: number; created: boolean }> {
    if (rel === '') throw new NotFoundError('An artifact upload needs a file path.');
    const limit = new ByteLimit(maxBytes);
    // pipe() does not carry the source's errors: a client that drops the upload must fail it too.
    const onBodyError = (err: Error) => limit.destroy(err);
    body.once('error', onBodyError);
    body.pipe(limit);
    // Enough parts for the largest allowed upload, within S3's 10,000, without unbounded parts.
    const partSize = Math.min(MAX_PART, Math.max(this.partSize, Math.ceil(maxBytes / MAX_PARTS)));
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: this.key(rel), Body: limit, ...(ifNoneMatch ? { IfNoneMatch: '*' } : {}) },
      partSize,
      queueSize: this.queueSize,
      // A failed upload aborts its multipart upload: no orphaned parts stay billed in the bucket.
      leavePartsOnError: false,
    });
    try {
      await upload.done();
      return { size: limit.bytes, created: true };
    } catch (err) {
      // The 412 comes once every byte is sent (on PutObject or CompleteMultipartUpload), which aborts the parts.
      if (ifNoneMatch && isPreconditionFailed(err)) return { size: limit.bytes, created: false };
      body.unpipe(limit);
      if (!body.readableEnded) body.destroy();
      limit.destroy();
      throw err;
    } finally {
      body.off('error', onBodyError);
    }
  }

  async put(path: string, body: Readable, maxBytes: number): Promise<{ size: number }> {
    const rel = this.rel(path);
    try {
      return { size: (await this.upload(rel, body, maxBytes, false)).size };
    } catch (err) {
      throw storageError(err, `writing '${rel}'`);
    }
  }

  async create(path: string, body: Readable, maxBytes: number): Promise<{ size: number; created: boolean }> {
    const rel = this.rel(path);
    try {
      // If-None-Match: * makes the write conditional at the storage: of two concurrent writers, one gets 412.
      return await this.upload(rel, body, maxBytes, true);
    } catch (err) {
      throw storageError(err, `writing '${rel}'`);
    }
  }

  /** A file's size, or null when absent. */
  private async head(rel: string): Promise<number | null> {
    try {
      const r = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.key(rel) }));
      return r.ContentLength ?? 0;
    } catch (err) {
      if (isNotFound(err)) return null;
      throw storageError(err, `reading '${rel}'`);
    }
  }

  async get(path: string): Promise<ArtifactRead> {
    const rel = this.rel(path);
    if (rel === '') throw new NotFoundError("Artifact '' does not exist.");
    try {
      const r = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.key(rel) }));
      return { stream: r.Body as Readable, size: r.ContentLength ?? 0 };
    } catch (err) {
      if (isNotFound(err)) throw new NotFoundError(`Artifact '${rel}' does not exist.`);
      throw storageError(err, `reading '${rel}'`);
    }
  }

  async getRange(path: string, start: number, end?: number): Promise<ArtifactRangeRead> {
    checkRange(start, end);
    const rel = this.rel(path);
    if (rel === '') throw new NotFoundError("Artifact '' does not exist.");
    try {
      const r = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: this.key(rel), Range: `bytes=${start}-${end === undefined ? '' : end}` }),
      );
      const size = r.ContentLength ?? 0;
      const total = totalFromContentRange(r.ContentRange);
      if (total !== undefined) return { stream: r.Body as Readable, size, start, total };
      // A server that ignores Range answers the whole file: fine when that is what was asked.
      if (start === 0 && (end === undefined || end >= size - 1)) return { stream: r.Body as Readable, size, start, total: size };
      (r.Body as Readable).destroy();
      throw new Error(`The artifact storage ignored a Range request for '${rel}'.`);
    } catch (err) {
      if (isNotFound(err)) throw new NotFoundError(`Artifact '${rel}' does not exist.`);
      if (!isInvalidRange(err)) throw storageError(err, `reading '${rel}'`);
      // 416: the start is at or past the end. At the end exactly (an empty file's byte 0 included) reads nothing.
      const total = await this.head(rel);
      if (total === null) throw new NotFoundError(`Artifact '${rel}' does not exist.`);
      if (start > total) throw rangePastEnd(start, total);
      return { stream: Readable.from([]), size: 0, start, total };
    }
  }

  /** ListObjectsV2 pages under a key prefix, following ContinuationToken to the end. */
  private async *pages(prefix: string, delimiter: boolean): AsyncGenerator<ListObjectsV2CommandOutput> {
    let token: string | undefined;
    for (;;) {
      let page: ListObjectsV2CommandOutput;
      try {
        page = await this.client.send(
          new ListObjectsV2Command({
            Bucket: this.bucket,
            Prefix: prefix,
            ...(delimiter ? { Delimiter: '/' } : {}),
            ...(token ? { ContinuationToken: token } : {}),
            ...(this.listPageSize ? { MaxKeys: this.listPageSize } : {}),
          }),
        );
      } catch (err) {
        throw storageError(err, `listing '${prefix}'`);
      }
      yield page;
      // A truncated page without a token would loop forever on a broken server: stop instead.
      if (!page.IsTruncated || !page.NextContinuationToken) return;
      token = page.NextContinuationToken;
    }
  }

  async list(path: string): Promise<ArtifactFileInfo[]> {
    const rel = this.rel(path);
    const prefix = rel === '' ? this.root : `${this.key(rel)}/`;
    const out: ArtifactFileInfo[] = [];
    // Keys written by other tools may hold names no artifact path can address ('a//b', '.'): not listed.
    const childOf = (key: string): string | null => {
      const name = key.slice(prefix.length);
      if (name === '' || name === '.' || name === '..' || name.includes('/')) return null;
      return rel === '' ? name : `${rel}/${name}`;
    };
    for await (const page of this.pages(prefix, true)) {
      for (const cp of page.CommonPrefixes ?? []) {
        const child = cp.Prefix ? childOf(cp.Prefix.slice(0, -1)) : null;
        if (child !== null) out.push({ path: child, is_dir: true });
      }
      for (const o of page.Contents ?? []) {
        const child = o.Key ? childOf(o.Key) : null;
        if (child !== null) out.push({ path: child, is_dir: false, file_size: o.Size ?? 0 });
      }
    }
    return out.sort(byPath);
  }

  async delete(path: string): Promise<void> {
    const rel = this.rel(path);
    if (rel === '') throw new NotFoundError('Refusing to delete the artifact root.');
    // S3 deletes an absent key without complaint: look first, to answer RESOURCE_DOES_NOT_EXIST as the folder store does.
    let found = (await this.head(rel)) !== null;
    if (found) {
      try {
        await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.key(rel) }));
      } catch (err) {
        throw storageError(err, `deleting '${rel}'`);
      }
    }
    // And the folder of that name: every key under it, in DeleteObjects batches.
    let batch: string[] = [];
    for await (const page of this.pages(`${this.key(rel)}/`, false)) {
      for (const o of page.Contents ?? []) {
        if (!o.Key) continue;
        batch.push(o.Key);
        if (batch.length === this.deleteBatchSize) {
          await this.deleteKeys(batch, rel);
          batch = [];
        }
      }
      found ||= (page.Contents ?? []).length > 0;
    }
    if (batch.length > 0) await this.deleteKeys(batch, rel);
    if (!found) throw new NotFoundError(`Artifact '${rel}' does not exist.`);
  }

  private async deleteKeys(keys: string[], rel: string): Promise<void> {
    let failed: { Key?: string; Code?: string }[];
    try {
      const r = await this.client.send(new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true } }));
      failed = r.Errors ?? [];
    } catch (err) {
      throw storageError(err, `deleting '${rel}'`);
    }
    if (failed.length > 0)
      throw new Error(`The artifact storage did not delete ${failed.length} object(s) under '${rel}' (first: ${failed[0]?.Code ?? 'unknown error'}).`);
  }

  async presignGet(path: string, expiresSeconds: number): Promise<string | null> {
    if (!Number.isInteger(expiresSeconds) || expiresSeconds < 1 || expiresSeconds > MAX_PRESIGN_SECONDS)
      throw new InvalidParameterError('expires', `A download URL lives 1 to ${MAX_PRESIGN_SECONDS} seconds (got ${expiresSeconds}).`);
    const rel = this.rel(path);
    if (rel === '' || (await this.head(rel)) === null) throw new NotFoundError(`Artifact '${rel}' does not exist.`);
    try {
      return await getSignedUrl(this.client, new GetObjectCommand({ Bucket: this.bucket, Key: this.key(rel) }), { expiresIn: expiresSeconds });
    } catch (err) {
      throw storageError(err, `signing a download of '${rel}'`);
    }
  }
}
