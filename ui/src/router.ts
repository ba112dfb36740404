/**
 * A tiny hash router: `#/runs/abc?tab=metrics`. Patterns are slash-separated; `:name` matches one segment
 * (URL-decoded into params.name) and a trailing `*` matches the rest (params['*']). No dependency.
 */
import { useEffect, useMemo, useState } from 'react';

export interface Location {
  /** The path without the leading `#`, e.g. `/runs/abc`. */
  path: string;
  query: URLSearchParams;
}

export type Params = Readonly<Record<string, string>>;

export function parseHash(hash: string): Location {
  const raw = hash.replace(/^#/, '');
  const q = raw.indexOf('?');
  const path = (q < 0 ? raw : raw.slice(0, q)) || '/';
  return { path: path.startsWith('/') ? path : `/${path}`, query: new URLSearchParams(q < 0 ? '' : raw.slice(q + 1)) };
}

function splitPath(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}

/** Params when `path` matches `pattern`, else null. A segment that is not valid percent-encoding never matches. */
export function matchPath(pattern: string, path: string): Params | null {
  const want = splitPath(pattern);
  const got = splitPath(path);
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    if (w === '*' && i === want.length - 1) {
      params['*'] = got.slice(i).map(safeDecode).join('/');
      return params;
    }
    const g = got[i];
    if (g === undefined) return null;
    if (w.startsWith(':')) {
      const value = safeDecode(g);
      if (value === '') return null;
      params[w.slice(1)] = value;
    } else if (w !== g) return null;
  }
  return got.length === want.length ? params : null;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return '';
  }
}

export type QueryInit = Record<string, string | number | readonly string[] | undefined | null>;

/**
 * A link target: `href('/runs/:id', { id: 'a/b' }, { tab: 'metrics' })` → `#/runs/a%2Fb?tab=metrics`.
 * Params are encoded; empty or missing query values are left out; lists repeat the key.
 */
export function href(pattern: string, params: Record<string, string> = {}, query: QueryInit = {}): string {
  const path = splitPath(pattern)
    .map((seg) => {
      if (!seg.startsWith(':')) return seg;
      const v = params[seg.slice(1)];
      if (v === undefined) throw new Error(`href: missing param ${seg} for ${pattern}`);
      return encodeURIComponent(v);
    })
    .join('/');
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) for (const item of v as readonly string[]) qs.append(k, item);
    else qs.append(k, String(v));
  }
  const s = qs.toString();
  return `#/${path}${s ? `?${s}` : ''}`;
}

/** Goes to a `#/...` target (from href). `replace` keeps the back button on the previous page (filters, tabs). */
export function navigate(target: string, opts: { replace?: boolean } = {}): void {
  if (opts.replace) {
    const url = `${location.pathname}${location.search}${target}`;
    history.replaceState(history.state, '', url);
    // replaceState fires no hashchange: tell the router.
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else {
    location.hash = target;
  }
}

/**
 * A default page's redirect (`#/experiments` opens the latest experiment): replaces the URL with `target` only
 * while the location is still `from`. The redirect is decided when data arrives, and by then the user (or a
 * link) may already have gone elsewhere; replacing that newer location would show the wrong page.
 */
export function redirect(from: string, target: string): boolean {
  if (parseHash(location.hash).path !== parseHash(from).path) return false;
  navigate(target, { replace: true });
  return true;
}

/** The current location; re-renders on every hash change. */
export function useLocation(): Location {
  const [hash, setHash] = useState(() => location.hash);
  useEffect(() => {
    const onChange = () => setHash(location.hash);
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return useMemo(() => parseHash(hash), [hash]);
}
