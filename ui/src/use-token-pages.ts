/**
 * One page at a time through an API's page tokens: Next follows the page's token, Previous goes back to one
 * already seen. A new query (its key) starts over at page 1. One request per page shown.
 */
import { useState } from 'react';
import type { FerryClient } from '../../src/sdk/index.js';
import { useApi } from './api.js';

export interface TokenPages<T> {
  items: T[];
  loading: boolean;
  error: unknown;
  reload(): void;
  /** 0-based. */
  page: number;
  next: (() => void) | undefined;
  prev: (() => void) | undefined;
}

interface Nav {
  key: string;
  tokens: (string | undefined)[];
  index: number;
}

export function useTokenPages<T>(
  key: string,
  fetchPage: (client: FerryClient, token: string | undefined) => Promise<{ items: T[]; next?: string | undefined }>,
): TokenPages<T> {
  const [nav, setNav] = useState<Nav>({ key, tokens: [undefined], index: 0 });
  const current: Nav = nav.key === key ? nav : { key, tokens: [undefined], index: 0 };
  if (nav !== current) setNav(current);
  const token = current.tokens[current.index];
  const res = useApi((c) => fetchPage(c, token), [key, current.index, token]);
  const nextToken = res.loading ? undefined : res.data?.next;
  return {
    items: res.error ? [] : (res.data?.items ?? []),
    loading: res.loading,
    error: res.error,
    reload: res.reload,
    page: current.index,
    next: nextToken ? () => setNav({ key, tokens: [...current.tokens.slice(0, current.index + 1), nextToken], index: current.index + 1 }) : undefined,
    prev: current.index > 0 && !res.loading ? () => setNav({ ...current, index: current.index - 1 }) : undefined,
  };
}
