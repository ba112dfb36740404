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
  /** Bytes the stream carries (for a ranged read, the length of the range). */
  size: number;
}

export interface ArtifactRangeRead extends ArtifactRead {
  /** The first byte's offset in the file. */
  start: number;
  /** Size of the whole file. */
  total: number;
}

/**
 * Where artifact bytes live. Paths are relative to the store's root and are normalised and confined by
 * every implementation; callers pass what the request said.
 */
export interface ArtifactStore {
  /** Streams `body` to `path`, replacing any file there; refuses more than `maxBytes` (PAYLOAD_TOO_LARGE). */
  put(path: string, body: Readable, maxBytes: number): Promise<{ size: number }>;
  /**
   * Write-once: streams `body` to `path` unless a file is already there, which is never replaced (created: false;
   * `size` is the bytes received either way). For content-addressed files: two writers of one digest cannot clobber
   * each other, and a file once named by a digest keeps those bytes.
   */
  create(path: string, body: Readable, maxBytes: number): Promise<{ size: number; created: boolean }>;
  /** Opens a file for reading (RESOURCE_DOES_NOT_EXIST if absent or a folder). */
  get(path: string): Promise<ArtifactRead>;
  /**
   * Opens bytes `start`..`end` (inclusive; `end` absent or past the end = to the end) of a file. A `start` past the
   * end of the file is refused (INVALID_PARAMETER_VALUE naming 'range'); `start` = the file's size reads nothing.
   */
  getRange(path: string, start: number, end?: number): Promise<ArtifactRangeRead>;
  /** Direct children of a folder ('' = root); an absent folder lists as empty, as MLflow does. */
  list(path: string): Promise<ArtifactFileInfo[]>;
  /** Deletes a file or a whole folder; absent → RESOURCE_DOES_NOT_EXIST. */
  delete(path: string): Promise<void>;
  /**
   * A URL that downloads the file directly from the storage for `expiresSeconds`, or null where the store has no
   * such thing (a local folder). RESOURCE_DOES_NOT_EXIST if the file is absent.
   */
  presignGet(path: string, expiresSeconds: number): Promise<string | null>;
}
