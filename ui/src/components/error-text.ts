/** Any thrown value as words a user can act on: the API's message, its code and the fields it names. */
import { FerryApiError, FerryConnectionError } from '../../../src/sdk/index.js';

export interface ErrorText {
  title: string;
  detail: string;
  /** Field-level problems the API named (native API). */
  fields: string[];
  /** The stable error code, when the server gave one. */
  code?: string;
  /** The token was refused: signing in again is the way out. */
  signInAgain: boolean;
}

export function errorText(err: unknown): ErrorText {
  if (err instanceof FerryApiError) {
    const title =
      err.status === 401
        ? 'Not signed in'
        : err.status === 403
          ? 'Not allowed'
          : err.status === 404
            ? 'Not found'
            : err.status >= 500
              ? 'The server failed'
              : 'The request was refused';
    return {
      title,
      detail: err.message,
      fields: err.errors.map((f) => (f.field ? `${f.field}: ${f.message}` : f.message)),
      code: err.code,
      signInAgain: err.status === 401,
    };
  }
  if (err instanceof FerryConnectionError) return { title: 'Cannot reach the server', detail: err.message, fields: [], signInAgain: false };
  if (err instanceof Error) return { title: 'Something went wrong', detail: err.message || err.name, fields: [], signInAgain: false };
  return { title: 'Something went wrong', detail: typeof err === 'string' ? err : (JSON.stringify(err) ?? String(err)), fields: [], signInAgain: false };
}
