/** The signed-in token, kept for this browser tab only (sessionStorage), never in localStorage or cookies. */
const KEY = 'ferry.token';

export function storedToken(): string | null {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function storeToken(token: string | null): void {
  try {
    if (token === null) sessionStorage.removeItem(KEY);
    else sessionStorage.setItem(KEY, token);
  } catch {
    // Storage disabled: the session lasts until the page reloads.
  }
}
