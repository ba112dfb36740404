/**
 * The frame of a page that reads the API: a header (title, what stands beside it, actions, Refresh) or a toolbar
 * (filters, Refresh), and under it the error with Retry and, until the first answer, a loading line.
 */
import type { ReactNode } from 'react';
import type { ApiState } from '../api.js';
import { ErrorBanner } from './error-banner.js';
import { Loading } from './loading.js';

function RefreshButton({ onClick }: { onClick: () => void }) {
  return (
    <button type="button" onClick={onClick}>
      Refresh
    </button>
  );
}

/** A detail page's header: `title`, then `children` (a badge, a link back), then `actions` and Refresh on the right. */
export function PageHeader({ title, children, actions, onRefresh }: { title: ReactNode; children?: ReactNode; actions?: ReactNode; onRefresh: () => void }) {
  return (
    <div className="page-header">
      <h1>{title}</h1>
      {children}
      <span className="grow" />
      {actions}
      <RefreshButton onClick={onRefresh} />
    </div>
  );
}

/** A list's toolbar: `children` (filters, a group named `label`) on the left, Refresh on the right. */
export function Toolbar({ children, label, onRefresh }: { children?: ReactNode; label?: string; onRefresh: () => void }) {
  return (
    <div className="toolbar" {...(label ? { role: 'group', 'aria-label': label } : {})}>
      {children}
      <span className="grow" />
      <RefreshButton onClick={onRefresh} />
    </div>
  );
}

/** The state of a read: its error (Retry reloads) and, while nothing has come yet, `loadingLabel`. */
export function ApiStatus({ state, loadingLabel }: { state: ApiState<unknown>; loadingLabel: string }) {
  return (
    <>
      <ErrorBanner error={state.error} onRetry={state.reload} />
      {state.loading && state.data === undefined ? <Loading label={loadingLabel} /> : null}
    </>
  );
}
