/** `NAME[@REF]` where REF is a version number, a tag, `latest`, or a digest prefix (`sha256:abc…` or ≥ 8 hex chars). */
import { InvalidParameterError } from '../errors.js';

export type VersionSelector = { kind: 'latest' } | { kind: 'number'; version: number } | { kind: 'tag'; tag: string } | { kind: 'digest'; prefix: string };

export const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const TAG_RE = /^[A-Za-z][A-Za-z0-9._-]{0,63}$/;

export function checkDatasetName(name: string, field = 'name'): string {
  if (!NAME_RE.test(name))
    throw new InvalidParameterError(
      field,
      `'${field}' must be 1–128 characters of letters, digits, '.', '_' or '-', starting with a letter or digit (got '${name.slice(0, 140)}').`,
    );
  return name;
}

export function checkTag(tag: string, field = 'tag'): string {
  if (tag === 'latest' || !TAG_RE.test(tag) || /^[0-9a-f]{8,64}$/.test(tag))
    throw new InvalidParameterError(
      field,
      `'${field}' must start with a letter and hold up to 64 letters, digits, '.', '_' or '-' ('latest' and digest-like hex strings are reserved; got '${tag.slice(0, 80)}').`,
    );
  return tag;
}

export function parseSelector(ref: string | undefined, field = 'version'): VersionSelector {
  if (ref === undefined || ref === '' || ref === 'latest') return { kind: 'latest' };
  if (/^[0-9]{1,9}$/.test(ref)) return { kind: 'number', version: Number(ref) };
  const hex = ref.startsWith('sha256:') ? ref.slice(7) : ref;
  if (/^[0-9a-f]{8,64}$/.test(hex) && (ref.startsWith('sha256:') || /[0-9]/.test(hex))) return { kind: 'digest', prefix: hex };
  if (TAG_RE.test(ref)) return { kind: 'tag', tag: ref };
  throw new InvalidParameterError(field, `'${field}' must be a version number, a tag, 'latest' or a digest prefix (got '${ref.slice(0, 80)}').`);
}

/** Splits `NAME@REF` (REF optional). */
export function parseDatasetRef(text: string, field = 'dataset'): { name: string; selector: VersionSelector; ref: string } {
  const at = text.indexOf('@');
  const name = at < 0 ? text : text.slice(0, at);
  const ref = at < 0 ? 'latest' : text.slice(at + 1);
  checkDatasetName(name, field);
  return { name, selector: parseSelector(ref, field), ref };
}
