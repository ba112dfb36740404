/**
 * The shell: sign-in (token checked with whoami, kept in sessionStorage), the left nav built from the page
 * registry, and the page for the current `#/...` route.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { createClient, type Session, SessionContext } from './api.js';
import { Loading } from './components/loading.js';
import { ferryTargetForMlflowPath } from './mlflow-links.js';
import { findPage, navLinks, PAGES } from './pages/index.js';
import { href, redirect, useLocation } from './router.js';
import { storedToken, storeToken } from './session.js';
import { SignIn } from './sign-in.js';

type Auth = { state: 'checking'; token: string } | { state: 'signed-out'; error?: unknown } | { state: 'signed-in'; session: Session };

export function App() {
  const [auth, setAuth] = useState<Auth>(() => {
    const token = storedToken();
    return token ? { state: 'checking', token } : { state: 'signed-out' };
  });

  const signOut = useCallback(() => {
    storeToken(null);
    setAuth({ state: 'signed-out' });
  }, []);

  useEffect(() => {
    if (auth.state !== 'checking') return;
    let live = true;
    const client = createClient(auth.token);
    client.whoami().then(
      (who) => {
        if (!live) return;
        storeToken(auth.token);
        setAuth({ state: 'signed-in', session: { client, who, signOut } });
      },
      (error: unknown) => {
        if (!live) return;
        storeToken(null);
        setAuth({ state: 'signed-out', error });
      },
    );
    return () => {
      live = false;
    };
  }, [auth, signOut]);

  if (auth.state !== 'signed-in') {
    return (
      <SignIn
        busy={auth.state === 'checking'}
        error={auth.state === 'signed-out' ? auth.error : undefined}
        onSubmit={(token) => setAuth({ state: 'checking', token })}
      />
    );
  }
  return (
    <SessionContext.Provider value={auth.session}>
      <Shell session={auth.session} />
    </SessionContext.Provider>
  );
}

function Shell({ session }: { session: Session }) {
  const loc = useLocation();
  const links = useMemo(() => navLinks(PAGES), []);
  const match = findPage(PAGES, loc.path);
  const mlflowTarget = match ? null : ferryTargetForMlflowPath(loc.path);

  // `#/` (or nothing) opens the Overview — what is served, what drifted, what fires, what the loops did — else
  // the first section. Deployments, the first page before it, stays in the nav.
  useEffect(() => {
    const home = links.find((l) => l.section === 'Overview') ?? links[0];
    if (loc.path === '/' && home) redirect('#/', href(home.path));
  }, [loc.path, links]);

  // A link in MLflow's form (the mlflow client prints one after each run) opens Ferry's page for the same thing,
  // in place of the MLflow URL so that Back does not land on it again.
  useEffect(() => {
    if (mlflowTarget) redirect(`#${loc.path}`, mlflowTarget);
  }, [loc.path, mlflowTarget]);

  const section = match?.page.section;
  useEffect(() => {
    if (mlflowTarget) return;
    document.title = `${match?.page.title ?? section ?? 'Not found'} · Ferry`;
  }, [match, section, mlflowTarget]);

  const Page = match?.page.component;
  return (
    <div className="shell">
      <nav className="side-nav" aria-label="Sections">
        <a className="brand" href="#/">
          Ferry
        </a>
        <ul>
          {links.map((l) => (
            <li key={l.section}>
              <a href={href(l.path)} aria-current={l.section === section ? 'page' : undefined}>
                {l.section}
              </a>
            </li>
          ))}
        </ul>
        <div className="who">
          <span title={`role: ${session.who.role}`}>
            {session.who.name} <small>({session.who.role})</small>
          </span>
          <button type="button" className="link-button" onClick={session.signOut}>
            Sign out
          </button>
        </div>
      </nav>
      <main className="content">
        {Page && match ? (
          <Page key={match.page.path} params={match.params} query={loc.query} />
        ) : loc.path === '/' || mlflowTarget ? (
          <Loading />
        ) : (
          <div className="panel" role="alert">
            <h1>Not found</h1>
            <p>
              There is no page at <code>#{loc.path}</code>. Pick a section on the left.
            </p>
          </div>
        )}
      </main>
    </div>
  );
}
