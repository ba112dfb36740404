/**
 * One page of runs at a time through runs/search page tokens: Next follows the page's token, Previous goes
 * back to a token already seen. Changing the query (experiment, filter, order, size) starts over at page 1.
 * Never more than one request per page shown, whatever the experiment's size.
 */
import { useState } from 'react';
import type { Run } from '../../../../src/sdk/index.js';
import { useApi } from '../../api.js';

export interface RunQuery {
  experimentId: string;
  filter: string;
  orderBy: string[] | undefined;
  pageSize: number;
}

export interface RunPages {
  runs: Run[];
  loading: boolean;
  error: unknown;
  reload(): void;
  /** 0-based page number. */
  page: number;
  pageSize: number;
  next: (() => void) | undefined;
  prev: (() => void) | undefined;
}

interface Nav {
  key: string;
  /** tokens[i] opens page i (undefined for the first). */
  tokens: (string | undefined)[];
  index: number;
}

export function useRunPages(q: RunQuery): RunPages {
  const key = JSON.stringify(q);
  const [nav, setNav] = useState<Nav>({ key, tokens: [undefined], index: 0 });
  const current: Nav = nav.key === key ? nav : { key, tokens: [undefined], index: 0 };
  if (nav !== current) setNav(current);
  const token = current.tokens[current.index];

  const res = useApi(
    (c) => c.runs.search({ experimentIds: [q.experimentId], filter: q.filter || undefined, orderBy: q.orderBy, maxResults: q.pageSize, pageToken: token }),
    [key, current.index, token],
  );
  // While the next page loads, keep showing the last one (res.data) rather than an empty table.
  const nextToken = res.loading ? undefined : res.data?.next_page_token;
  return {
    // A refused query (a filter typo) shows its error, not the previous query's runs.
    runs: res.error ? [] : (res.data?.runs ?? []),
    loading: res.loading,
    error: res.error,
    reload: res.reload,
    page: current.index,
    pageSize: q.pageSize,
    next: nextToken ? () => setNav({ key, tokens: [...current.tokens.slice(0, current.index + 1), nextToken], index: current.index + 1 }) : undefined,
    prev: current.index > 0 && !res.loading ? () => setNav({ ...current, index: current.index - 1 }) : undefined,
  };
}
