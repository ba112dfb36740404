export type { ArtifactFileInfo, ArtifactRangeRead, ArtifactRead, ArtifactStore } from './artifact-store.js';
export { LocalArtifactStore } from './local-artifact-store.js';
// The S3 store is reached through openArtifactStore, which loads the AWS SDK only when a location needs it.
export type { S3StoreOptions } from './s3-artifact-store.js';
export { ArtifactStoreUnavailableError } from './s3-errors.js';
export { parseArtifactsLocation, describeLocation, type ArtifactsLocation } from './artifacts-location.js';
export { normaliseArtifactPath, resolveUnder } from './safe-path.js';
export { openArtifactStore } from './open-artifact-store.js';
