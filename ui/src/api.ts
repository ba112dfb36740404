/**
 * The UI's one way to the server: a FerryClient (the SDK, same origin, the signed-in token) given to pages
 * through context, and useApi(fn, deps) for loading data with {data, error, loading, reload}.
 */
import { createContext, type DependencyList, useCallback, useContext, useEffect, useRef, useState } from 'react';
import { FerryClient, type WhoAmI } from '../../src/sdk/index.js';

export { FerryApiError, FerryClient, FerryConnectionError } from '../../src/sdk/index.js';

export function createClient(token: string): FerryClient {
  // The API is served by the same server as the page.
  return new FerryClient({ url: location.origin, token });
}

export interface Session {
  client: FerryClient;
  who: WhoAmI;
  signOut(): void;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside a signed-in shell');
  return s;
}

export function useClient(): FerryClient {
  return useSession().client;
}

export interface ApiState<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  /** Loads again (keeps showing the previous data while it does). */
  reload(): void;
}

/**
 * Calls `fn(client)` when the component mounts and whenever `deps` change. Answers that arrive after a newer
 * call started are dropped, so a fast typist never sees an older filter's results last.
 */
export function useApi<T>(fn: (client: FerryClient) => Promise<T>, deps: DependencyList): ApiState<T> {
  const client = useClient();
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({ data: undefined, error: undefined, loading: true });
  const [tick, setTick] = useState(0);
  const latest = useRef(0);
  const fnRef = useRef(fn);
  fnRef.current = fn;

  useEffect(() => {
    const id = ++latest.current;
    setState((s) => ({ ...s, error: undefined, loading: true }));
    fnRef.current(client).then(
      (data) => id === latest.current && setState({ data, error: undefined, loading: false }),
      (error: unknown) => id === latest.current && setState((s) => ({ data: s.data, error: error ?? new Error('unknown error'), loading: false })),
    );
    // The caller's deps decide when to reload (fn is read through a ref).
  }, [client, tick, ...deps]);

  useEffect(
    () => () => {
      latest.current++;
    },
    [],
  );

  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}
