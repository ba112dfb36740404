import { InvalidParameterError } from '../errors.js';

/** Page tokens are opaque to clients: base64 of {"offset": n}, as MLflow's SQL store does. */
export function decodePageToken(token: string | undefined): number {
  if (!token) return 0;
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { offset?: unknown };
    if (typeof parsed.offset === 'number' && Number.isSafeInteger(parsed.offset) && parsed.offset >= 0) return parsed.offset;
  } catch {
    // fall through to the error below
  }
  throw new InvalidParameterError('page_token', 'Invalid page token: it must be a token returned by a previous call.');
}

export function encodePageToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString('base64');
}

/** Fetches limit+1 rows to learn whether a next page exists without a COUNT query. */
export function pageOf<T>(rows: T[], offset: number, limit: number): { items: T[]; next_page_token?: string } {
  if (rows.length > limit) return { items: rows.slice(0, limit), next_page_token: encodePageToken(offset + limit) };
  return { items: rows };
}
