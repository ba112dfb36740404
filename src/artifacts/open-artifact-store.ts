import type { ArtifactStore } from './artifact-store.js';
import { LocalArtifactStore } from './local-artifact-store.js';

/** The artifact store a server runs on, from its configured location (a folder). */
export async function openArtifactStore(location: string): Promise<ArtifactStore> {
  return new LocalArtifactStore(location);
}
