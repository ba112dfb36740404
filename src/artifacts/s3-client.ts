/**
 * The S3 client for a location. Credentials come from the AWS chain (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY /
 * AWS_SESSION_TOKEN, AWS_PROFILE, web identity, instance roles): never from Ferry's own settings, so they are never
 * printed with them. Checksums only where S3 requires them: the SDK's default (a CRC on every request, an empty-body
 * CRC in presigned URLs) is refused by strict S3-compatible servers (SeaweedFS, Garage).
 */
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import type { S3Location } from './artifacts-location.js';
import { parseEndpoint } from './artifacts-location.js';

export interface S3ClientSettings {
  endpoint?: string;
  region?: string;
  forcePathStyle: boolean;
}

/** The endpoint, region and addressing style a location resolves to, with the AWS_* variables as fallbacks. */
export function s3ClientSettings(loc: S3Location, env: NodeJS.ProcessEnv = process.env): S3ClientSettings {
  const fromEnv = env['AWS_ENDPOINT_URL_S3'] || env['AWS_ENDPOINT_URL'];
  const endpoint = loc.endpoint ?? (fromEnv ? parseEndpoint(fromEnv, env['AWS_ENDPOINT_URL_S3'] ? 'AWS_ENDPOINT_URL_S3' : 'AWS_ENDPOINT_URL') : undefined);
  // A self-hosted server has no per-region endpoints: any region signs, and us-east-1 is what they all accept.
  // Without an endpoint (AWS itself) the SDK's chain decides (AWS_REGION, the profile).
  const region = loc.region ?? (env['AWS_REGION'] || env['AWS_DEFAULT_REGION'] || (endpoint ? 'us-east-1' : undefined));
  return { ...(endpoint ? { endpoint } : {}), ...(region ? { region } : {}), forcePathStyle: loc.forcePathStyle ?? endpoint !== undefined };
}

/**
 * Static keys from `env` (the chain's first source, read here so a caller's env is honoured, not only process.env);
 * undefined lets the SDK's chain look further (AWS_PROFILE, web identity, instance roles).
 */
export function credentialsFromEnv(env: NodeJS.ProcessEnv): S3ClientConfig['credentials'] | undefined {
  const accessKeyId = env['AWS_ACCESS_KEY_ID'];
  const secretAccessKey = env['AWS_SECRET_ACCESS_KEY'];
  if (!accessKeyId || !secretAccessKey) return undefined;
  const sessionToken = env['AWS_SESSION_TOKEN'];
  return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
}

export function makeS3Client(settings: S3ClientSettings, credentials?: S3ClientConfig['credentials']): S3Client {
  // The SDK warns on Node 20 that its versions after January 2027 need Node 22; Ferry pins a version that runs on
  // Node 20, so the warning is not something a Ferry user can act on. An operator's own setting wins.
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  return new S3Client({
    ...settings,
    ...(credentials ? { credentials } : {}),
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    // A storage that does not accept the connection fails fast; requestTimeout is per socket inactivity, so a long
    // download that keeps moving is never cut.
    requestHandler: { connectionTimeout: 10_000, requestTimeout: 120_000 },
  });
}
