import type { ArtifactStore } from './artifact-store.js';
import { parseArtifactsLocation } from './artifacts-location.js';
import { LocalArtifactStore } from './local-artifact-store.js';

/**
 * The artifact store a server runs on, from its configured location: a folder, or an s3:// URL (see
 * artifacts-location.ts). An S3 bucket is checked here, so a wrong bucket, endpoint or credentials stops the server
 * at start with a clear message rather than failing the first upload. The AWS SDK is loaded only for S3: a server
 * on a local folder does not pay its start-up time.
 */
export async function openArtifactStore(location: string, env: NodeJS.ProcessEnv = process.env): Promise<ArtifactStore> {
  const loc = parseArtifactsLocation(location);
  if (loc.kind === 'local') return new LocalArtifactStore(loc.dir);
  const [{ S3ArtifactStore }, { credentialsFromEnv, makeS3Client, s3ClientSettings }] = await Promise.all([
    import('./s3-artifact-store.js'),
    import('./s3-client.js'),
  ]);
  const settings = s3ClientSettings(loc, env);
  const store = new S3ArtifactStore(makeS3Client(settings, credentialsFromEnv(env)), {
    bucket: loc.bucket,
    prefix: loc.prefix,
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
  });
  await store.checkBucket();
  return store;
}
