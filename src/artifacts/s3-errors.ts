/**
 * What an S3 failure means to Ferry. A missing key and a failed precondition are answers the store acts on; a
 * storage that does not answer (network, 5xx, throttling) is a transient OVERLOADED (503 + Retry-After), so clients
 * retry; anything else (access denied, a missing bucket) is an operator's problem, kept out of client answers by
 * the error handler's generic 500 and logged with the S3 error name. No message here holds credentials: the SDK's
 * errors carry the request id and the error name, never the signing key.
 */
import { FerryError } from '../errors.js';

/** The artifact storage did not answer or answered 5xx: retry shortly. */
export class ArtifactStoreUnavailableError extends FerryError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('OVERLOADED', message);
    this.name = 'ArtifactStoreUnavailableError';
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}

interface SdkError {
  name?: string;
  code?: string;
  Code?: string;
  $metadata?: { httpStatusCode?: number };
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED']);
const TRANSIENT_NAMES = new Set([
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'SlowDown',
  'ServiceUnavailable',
  'InternalError',
  'ThrottlingException',
  // 409s of S3's conditional writes (If-None-Match): another conditional write of the key is in flight; AWS says to
  // retry, and the retry then gets its 412 (or succeeds, if the other failed).
  'ConditionalRequestConflict',
  'OperationAborted',
]);

function sdk(err: unknown): SdkError {
  return typeof err === 'object' && err !== null ? (err as SdkError) : {};
}

export function statusOf(err: unknown): number | undefined {
  return sdk(err).$metadata?.httpStatusCode;
}

export function errorName(err: unknown): string {
  const e = sdk(err);
  // A network failure is a plain Error whose code (ECONNREFUSED, …) says what happened.
  if (e.Code) return e.Code;
  if (e.name && e.name !== 'Error') return e.name;
  return e.code ?? sdk((err as { cause?: unknown }).cause).code ?? e.name ?? 'Error';
}

export function isNotFound(err: unknown): boolean {
  const name = errorName(err);
  // A missing bucket is also a 404, but it is the storage's setting that is wrong, not the artifact that is absent.
  if (name === 'NoSuchBucket') return false;
  return name === 'NoSuchKey' || name === 'NotFound' || statusOf(err) === 404;
}

export function isNoSuchBucket(err: unknown): boolean {
  return errorName(err) === 'NoSuchBucket';
}

export function isPreconditionFailed(err: unknown): boolean {
  return errorName(err) === 'PreconditionFailed' || statusOf(err) === 412;
}

export function isInvalidRange(err: unknown): boolean {
  return errorName(err) === 'InvalidRange' || statusOf(err) === 416;
}

export function isTransient(err: unknown): boolean {
  const e = sdk(err);
  const status = statusOf(err);
  if (status !== undefined && (status >= 500 || status === 429)) return true;
  if (TRANSIENT_NAMES.has(errorName(err))) return true;
  // Network failures reach us as Node errors (no HTTP status), sometimes wrapped by the SDK.
  const code = e.code ?? sdk((err as { cause?: unknown }).cause).code;
  return code !== undefined && NETWORK_CODES.has(code);
}

/** Any other S3 failure as a Ferry error (transient) or a plain error naming the operation and S3's error name. */
export function storageError(err: unknown, what: string): Error {
  if (err instanceof FerryError) return err;
  const status = statusOf(err);
  const detail = `${errorName(err)}${status !== undefined ? `, HTTP ${status}` : ''}`;
  if (isTransient(err))
    return new ArtifactStoreUnavailableError(`The artifact storage did not answer while ${what} (${detail}); retry shortly.`, { cause: err });
  return new Error(`The artifact storage refused ${what} (${detail}): ${(err as Error)?.message ?? String(err)}`, { cause: err });
}
