import type { Readable } from 'node:stream';

export interface ArtifactFileInfo {
  /** Path relative to the listed folder's root (the store's root), POSIX separators. */
  path: string;
  is_dir: boolean;
  /** Bytes; absent for folders. */
  file_size?: number;
}

export interface ArtifactRead {
  stream: Readable;
  size: number;
}

/**
 * Where artifact bytes live. Paths are relative to the store's root and are normalised and confined by
 * every implementation; callers pass what the request said.
 */
export interface ArtifactStore {
  /** Streams `body` to `path`, replacing any file there; refuses more than `maxBytes` (PAYLOAD_TOO_LARGE). */
  put(path: string, body: Readable, maxBytes: number): Promise<{ size: number }>;
  /** Opens a file for reading (RESOURCE_DOES_NOT_EXIST if absent or a folder). */
  get(path: string): Promise<ArtifactRead>;
  /** Direct children of a folder ('' = root); an absent folder lists as empty, as MLflow does. */
  list(path: string): Promise<ArtifactFileInfo[]>;
  /** Deletes a file or a whole folder; absent → RESOURCE_DOES_NOT_EXIST. */
  delete(path: string): Promise<void>;
}
