/**
 * Ferry's error classes. Every error a client can see has a stable code; the code alone decides the
 * HTTP status (ERROR_STATUS), and the server renders it in one place (server/error-handler.ts).
 * Codes reuse MLflow's names where MLflow has one, so the MLflow client reacts as it does with MLflow
 * (it creates a missing experiment only on RESOURCE_DOES_NOT_EXIST, for example).
 */
export const ERROR_STATUS = {
  INVALID_PARAMETER_VALUE: 400,
  BAD_REQUEST: 400,
  MALFORMED_REQUEST: 400,
  // MLflow answers duplicates with 400, not 409; clients depend on it.
  RESOURCE_ALREADY_EXISTS: 400,
  INVALID_STATE: 400,
  // A data file (CSV, JSON Lines, Parquet) that cannot be read; the message names the line and column.
  INVALID_DATA_FILE: 400,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  HOST_NOT_ALLOWED: 403,
  RESOURCE_DOES_NOT_EXIST: 404,
  ENDPOINT_NOT_FOUND: 404,
  // A request that took too long to arrive (answered on the socket, before any route).
  REQUEST_TIMEOUT: 408,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  // Too many failed sign-ins from this address or for this user: refused unchecked until Retry-After (seconds).
  TOO_MANY_SIGN_IN_ATTEMPTS: 429,
  // The request line and headers exceed Node's limit (answered on the socket, before any route).
  HEADERS_TOO_LARGE: 431,
  INTERNAL_ERROR: 500,
  // A model's request queue is full: retry after a moment (sent with Retry-After).
  OVERLOADED: 503,
  // The metadata store (PostgreSQL) does not answer: retry after a moment (sent with Retry-After).
  STORE_UNAVAILABLE: 503,
  // The artifact storage has no room left (ENOSPC): nothing of the upload was kept.
  INSUFFICIENT_STORAGE: 507,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface FieldProblem {
  field: string;
  message: string;
}

export class FerryError extends Error {
  readonly code: ErrorCode;
  readonly errors: FieldProblem[];
  constructor(code: ErrorCode, message: string, errors: FieldProblem[] = []) {
    super(message);
    this.name = 'FerryError';
    this.code = code;
    this.errors = errors;
  }
  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

/** A request field is missing or has a bad value; the message names the field. */
export class InvalidParameterError extends FerryError {
  constructor(field: string, message: string) {
    super('INVALID_PARAMETER_VALUE', message, [{ field, message }]);
    this.name = 'InvalidParameterError';
  }
}

export class NotFoundError extends FerryError {
  constructor(message: string) {
    super('RESOURCE_DOES_NOT_EXIST', message);
    this.name = 'NotFoundError';
  }
}

export class AlreadyExistsError extends FerryError {
  constructor(message: string) {
    super('RESOURCE_ALREADY_EXISTS', message);
    this.name = 'AlreadyExistsError';
  }
}

export class InvalidStateError extends FerryError {
  constructor(message: string) {
    super('INVALID_STATE', message);
    this.name = 'InvalidStateError';
  }
}

export class UnauthenticatedError extends FerryError {
  constructor(message = 'Authentication required: send Authorization: Bearer <token> or basic auth.') {
    super('UNAUTHENTICATED', message);
    this.name = 'UnauthenticatedError';
  }
}

export class PermissionDeniedError extends FerryError {
  constructor(message: string) {
    super('PERMISSION_DENIED', message);
    this.name = 'PermissionDeniedError';
  }
}

export class PayloadTooLargeError extends FerryError {
  constructor(message: string) {
    super('PAYLOAD_TOO_LARGE', message);
    this.name = 'PayloadTooLargeError';
  }
}

/** The metadata store cannot be reached (PostgreSQL down, restarting, or refusing connections); transient. */
export class StoreUnavailableError extends FerryError {
  constructor(message = 'The metadata store is unavailable; retry in a moment.') {
    super('STORE_UNAVAILABLE', message);
    this.name = 'StoreUnavailableError';
  }
}

/** The disk (or quota) under the artifact store or the server's data dir is full. */
export class InsufficientStorageError extends FerryError {
  constructor(message = 'The server has no storage space left for this upload; nothing of it was kept.') {
    super('INSUFFICIENT_STORAGE', message);
    this.name = 'InsufficientStorageError';
  }
}

/** Where in a data file a problem sits: 1-based line (CSV / JSON Lines) or row (Parquet), and the column. */
export interface DataFileLocation {
  line?: number;
  row?: number;
  column?: string;
}

/** A data file that cannot be read as a table: bad quoting, ragged rows, bad bytes, empty file, ... */
export class DataFileError extends FerryError {
  readonly location: DataFileLocation;
  constructor(message: string, location: DataFileLocation = {}) {
    const where = [
      location.line !== undefined ? `line ${location.line}` : location.row !== undefined ? `row ${location.row}` : '',
      location.column !== undefined ? `column '${location.column}'` : '',
    ]
      .filter(Boolean)
      .join(', ');
    const text = where ? `${where}: ${message}` : message;
    super('INVALID_DATA_FILE', text, [{ field: location.column !== undefined ? `file.${location.column}` : 'file', message: text }]);
    this.name = 'DataFileError';
    this.location = location;
  }
}

export function isFerryError(err: unknown): err is FerryError {
  return err instanceof FerryError;
}

/** Small helpers for services that validate their inputs (the message always names the field). */
export function requireString(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new InvalidParameterError(field, `Missing value for required parameter '${field}'.`);
  }
  return value;
}

export function maxLength(value: string, field: string, limit: number): string {
  if (value.length > limit) {
    throw new InvalidParameterError(field, `'${field}' exceeds the maximum length of ${limit} characters (got ${value.length}).`);
  }
  return value;
}
