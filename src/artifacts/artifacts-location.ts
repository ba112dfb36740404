/**
 * The `--artifacts` setting: a folder, or `s3://bucket/prefix?endpoint=…&region=…&path_style=true`. Parsed here so
 * every refusal names the setting. An S3 location never carries credentials: they come from the AWS variables
 * (or profile), so they are never in a command line, a process list or a log line. Messages about an S3 location
 * quote its parts, never the raw string, which might hold a secret the user pasted.
 */
import { isAbsolute } from 'node:path';
import { InvalidParameterError } from '../errors.js';
import { normaliseArtifactPath } from './safe-path.js';

export interface LocalLocation {
  kind: 'local';
  /** Absolute folder. */
  dir: string;
}

export interface S3Location {
  kind: 's3';
  bucket: string;
  /** Key prefix without leading or trailing '/'; '' = the bucket's root. */
  prefix: string;
  /** From `endpoint=`; absent: AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL, else AWS itself. */
  endpoint?: string;
  /** From `region=`; absent: the AWS chain (AWS_REGION, the profile). */
  region?: string;
  /** From `path_style=`; absent: path style when an endpoint is given (what self-hosted servers need). */
  forcePathStyle?: boolean;
}

export type ArtifactsLocation = LocalLocation | S3Location;

const FIELD = 'artifacts';
const PARAMS = new Set(['endpoint', 'region', 'path_style']);
// S3's bucket naming rules (lower case; dots allowed, but not as an IP address or next to each other).
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const REGION = /^[a-z0-9-]{1,64}$/;

function refuse(message: string): InvalidParameterError {
  return new InvalidParameterError(FIELD, message);
}

export function parseArtifactsLocation(raw: string): ArtifactsLocation {
  if (raw.trim() === '') throw refuse("'artifacts' must be a folder or an s3:// URL; got an empty value.");
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(raw)?.[1]?.toLowerCase();
  if (scheme === undefined) {
    if (!isAbsolute(raw)) throw refuse(`'artifacts' folder must be an absolute path (got '${raw}').`);
    if (raw.includes('\0')) throw refuse("'artifacts' must not contain NUL bytes.");
    return { kind: 'local', dir: raw };
  }
  if (scheme !== 's3') throw refuse(`'artifacts' must be a folder or an s3:// URL; the scheme '${scheme}:' is not supported.`);
  return parseS3(raw);
}

function parseS3(raw: string): S3Location {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refuse("'artifacts' is not a valid URL; expected s3://bucket/prefix?endpoint=http://host:port&region=us-east-1&path_style=true.");
  }
  if (url.username !== '' || url.password !== '')
    throw refuse("'artifacts' must not carry credentials (s3://KEY:SECRET@bucket); set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE) instead.");
  const bucket = url.hostname;
  if (url.port !== '') throw refuse("'artifacts' names the bucket after s3:// (no port there); give the server as ?endpoint=http://host:port.");
  if (!BUCKET.test(bucket) || bucket.includes('..') || /^\d+\.\d+\.\d+\.\d+$/.test(bucket))
    throw refuse(`'artifacts' bucket '${bucket}' is not a valid S3 bucket name (3-63 characters: lower-case letters, digits, '.', '-').`);
  if (url.hash !== '') throw refuse("'artifacts' must not have a '#' fragment.");
  let prefix: string;
  try {
    // The path as written: the URL parser would resolve '..' segments away silently.
    const rawPath = /^[^:]+:\/\/[^/?#]*([^?#]*)/.exec(raw)?.[1] ?? '';
    prefix = normaliseArtifactPath(decodeURIComponent(rawPath).replace(/^\/+/, ''), FIELD);
  } catch (err) {
    if (err instanceof InvalidParameterError) throw refuse(`'artifacts' prefix is not a valid path: ${err.message}`);
    throw refuse("'artifacts' prefix is not valid percent-encoding.");
  }
  const out: S3Location = { kind: 's3', bucket, prefix };
  for (const [key, value] of url.searchParams) {
    if (!PARAMS.has(key)) throw refuse(`'artifacts' has an unknown parameter '${key}'; known: endpoint, region, path_style.`);
    if (key === 'endpoint') out.endpoint = parseEndpoint(value, "'artifacts' endpoint");
    else if (key === 'region') {
      if (!REGION.test(value)) throw refuse(`'artifacts' region '${value}' is not a region name (like us-east-1).`);
      out.region = value;
    } else {
      if (value !== 'true' && value !== 'false') throw refuse(`'artifacts' path_style must be true or false (got '${value}').`);
      out.forcePathStyle = value === 'true';
    }
  }
  return out;
}

/** An S3 endpoint URL (from the location or AWS_ENDPOINT_URL*): http(s), no credentials, no query. */
export function parseEndpoint(value: string, what: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw refuse(`${what} is not a URL; expected http://host:port or https://host.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw refuse(`${what} must be an http:// or https:// URL (got '${url.protocol}').`);
  if (url.username !== '' || url.password !== '')
    throw refuse(`${what} must not carry credentials; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE) instead.`);
  if (url.search !== '' || url.hash !== '') throw refuse(`${what} must not have a query or fragment.`);
  return url.toString().replace(/\/$/, '');
}

/** The location for messages and logs: never credentials (a parsed location has none). */
export function describeLocation(loc: ArtifactsLocation): string {
  if (loc.kind === 'local') return loc.dir;
  const base = `s3://${loc.bucket}/${loc.prefix}`;
  return loc.endpoint ? `${base} at ${loc.endpoint}` : base;
}
