/**
 * One page of runs at a time through runs/search page tokens (useTokenPages): changing the query (experiment,
 * filter, order, size) starts over at page 1; never more than one request per page shown.
 */
import type { Run } from '../../../../src/sdk/index.js';
import { useTokenPages } from '../../use-token-pages.js';

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

export function useRunPages(q: RunQuery): RunPages {
  const pages = useTokenPages<Run>(JSON.stringify(q), async (c, token) => {
    const r = await c.runs.search({
      experimentIds: [q.experimentId],
      filter: q.filter || undefined,
      orderBy: q.orderBy,
      maxResults: q.pageSize,
      pageToken: token,
    });
    return { items: r.runs ?? [], next: r.next_page_token };
  });
  // A refused query (a filter typo) shows its error, not the previous query's runs (useTokenPages empties items).
  return {
    runs: pages.items,
    loading: pages.loading,
    error: pages.error,
    reload: pages.reload,
    page: pages.page,
    pageSize: q.pageSize,
    next: pages.next,
    prev: pages.prev,
  };
}
