export type { ArtifactFileInfo, ArtifactRead, ArtifactStore } from './artifact-store.js';
export { LocalArtifactStore } from './local-artifact-store.js';
export { normaliseArtifactPath, resolveUnder } from './safe-path.js';
export { openArtifactStore } from './open-artifact-store.js';
