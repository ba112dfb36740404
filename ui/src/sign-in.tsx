/** Sign-in with an API token (`ferry token create`, or the admin token printed at first start). */
import { type FormEvent, useState } from 'react';
import { ErrorBanner } from './components/error-banner.js';

export function SignIn({ onSubmit, error, busy }: { onSubmit: (token: string) => void; error: unknown; busy: boolean }) {
  const [token, setToken] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (token.trim()) onSubmit(token.trim());
  };
  return (
    <main className="sign-in">
      <form onSubmit={submit} aria-label="Sign in">
        <h1>Ferry</h1>
        <p>
          Sign in with an API token. The admin token is printed once when a new data directory is created; others come from <code>ferry token create</code>.
        </p>
        <label htmlFor="token">API token</label>
        <input id="token" name="token" type="password" autoComplete="current-password" value={token} onChange={(e) => setToken(e.target.value)} autoFocus />
        <button type="submit" disabled={busy || token.trim() === ''}>
          {busy ? 'Checking…' : 'Sign in'}
        </button>
        <ErrorBanner error={error} />
      </form>
    </main>
  );
}
