/** An API error shown in words (message, code, named fields), with retry and sign-in-again where they help. */
import { useContext } from 'react';
import { SessionContext } from '../api.js';
import { errorText } from './error-text.js';

export function ErrorBanner({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const session = useContext(SessionContext);
  if (error === undefined || error === null) return null;
  const e = errorText(error);
  return (
    <div className="error-banner" role="alert">
      <strong>{e.title}</strong>
      <span className="error-detail">{e.detail}</span>
      {e.code ? <code className="error-code">{e.code}</code> : null}
      {e.fields.length > 0 ? (
        <ul>
          {e.fields.map((f) => (
            <li key={f}>{f}</li>
          ))}
        </ul>
      ) : null}
      <span className="error-actions">
        {onRetry ? (
          <button type="button" onClick={onRetry}>
            Retry
          </button>
        ) : null}
        {e.signInAgain && session ? (
          <button type="button" onClick={session.signOut}>
            Sign in again
          </button>
        ) : null}
      </span>
    </div>
  );
}
