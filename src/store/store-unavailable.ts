/**
 * Whether a database error means the store cannot be reached right now — PostgreSQL stopped, restarting, or
 * refusing connections — rather than a bad query. Such errors are transient: the server answers 503
 * STORE_UNAVAILABLE with Retry-After (never a 500), and background writers retry them instead of dropping work.
 */
import { StoreUnavailableError } from '../errors.js';

// Socket-level failures reaching (or keeping) the server's connection.
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ECONNABORTED']);
// SQLSTATE: admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections, and class 08 (connection exception).
const SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);
// node-postgres reports a dropped connection or a pool wait that timed out with plain Errors, by message only.
const MESSAGES = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect$/,
  /^Client has encountered a connection error and is not queryable$/,
  /^Connection terminated due to connection timeout$/,
];

export function isStoreUnavailable(err: unknown): boolean {
  if (err instanceof StoreUnavailableError) return true;
  if (!err || typeof err !== 'object') return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && (SOCKET_CODES.has(code) || SQLSTATES.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return true;
  const message = (err as { message?: unknown }).message;
  if (typeof message === 'string' && MESSAGES.some((m) => m.test(message))) return true;
  // Node reports a refused connection to a name with several addresses (localhost: ::1 and 127.0.0.1) as one AggregateError.
  if (err instanceof AggregateError) return err.errors.length > 0 && err.errors.every(isStoreUnavailable);
  return false;
}

/** The typed error for a client, or null when `err` is not a store outage. */
export function storeUnavailable(err: unknown): StoreUnavailableError | null {
  if (err instanceof StoreUnavailableError) return err;
  return isStoreUnavailable(err) ? new StoreUnavailableError() : null;
}
