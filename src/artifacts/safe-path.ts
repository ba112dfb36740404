import { realpath } from 'node:fs/promises';
import { dirname, relative, resolve, sep } from 'node:path';
import { InvalidParameterError } from '../errors.js';

/**
 * Normalises an artifact path from a request into a relative POSIX path with no '.', '..', empty or
 * absolute parts. Anything that tries to leave the root is refused, not silently rewritten, so a client
 * learns its path was wrong.
 */
export function normaliseArtifactPath(raw: string, field = 'path'): string {
  if (raw.includes('\0')) throw new InvalidParameterError(field, `'${field}' must not contain NUL bytes.`);
  if (raw.includes('\\')) throw new InvalidParameterError(field, `'${field}' must use '/' separators, not '\\'.`);
  if (raw.startsWith('/')) throw new InvalidParameterError(field, `'${field}' must be relative, not absolute: '${raw}'.`);
  const parts = raw.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.some((p) => p === '..')) {
    throw new InvalidParameterError(field, `'${field}' must not contain '..' segments: '${raw}'.`);
  }
  return parts.join('/');
}

/** Absolute file system path for a normalised relative path, checked to stay under root. */
export function resolveUnder(root: string, relPath: string): string {
  const abs = resolve(root, relPath);
  const rel = relative(root, abs);
  if (rel.startsWith('..') || rel.split(sep).includes('..')) {
    throw new InvalidParameterError('path', 'Artifact path escapes the artifact root.');
  }
  return abs;
}

/**
 * Follows symlinks on the deepest existing ancestor of `abs` and checks the real location is still under
 * the real root: a symlink planted inside the root must not lead reads or writes outside it.
 */
export async function assertNoSymlinkEscape(realRoot: string, abs: string): Promise<void> {
  let probe = abs;
  for (;;) {
    try {
      const real = await realpath(probe);
      if (real !== realRoot && !real.startsWith(realRoot + sep)) {
        throw new InvalidParameterError('path', 'Artifact path resolves outside the artifact root.');
      }
      return;
    } catch (err) {
      // ENOTDIR: a file sits where the path wants a folder; the path does not exist, keep walking up.
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw err;
      const parent = dirname(probe);
      if (parent === probe) return;
      probe = parent;
    }
  }
}
