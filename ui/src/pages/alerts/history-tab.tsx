/** Alert history, newest first, one page (100 events) per request: Next follows the page token. */
import { useState } from 'react';
import type { AlertEvent } from '../../../../src/sdk/index.js';
import { useApi } from '../../api.js';
import { type Column, DataTable, Pager } from '../../components/data-table.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { Loading } from '../../components/loading.js';
import { formatTime } from '../../format.js';
import { href } from '../../router.js';
import { causeText, metricHref } from './alert-groups.js';

const PAGE = 100;

const COLUMNS: Column<AlertEvent>[] = [
  { id: 'ts', header: 'Time', cell: (e) => formatTime(e.ts) },
  { id: 'event', header: 'Event', cell: (e) => <span className={`badge ${e.event}`}>{e.event}</span> },
  { id: 'rule', header: 'Rule', cell: (e) => e.rule },
  { id: 'deployment', header: 'Deployment', cell: (e) => <a href={href('/monitoring/:deployment', { deployment: e.deployment })}>{e.deployment}</a> },
  { id: 'cause', header: 'Value', cell: (e) => <a href={metricHref(e.deployment, e.metric)}>{causeText(e)}</a> },
  { id: 'severity', header: 'Severity', cell: (e) => <span className={`badge ${e.severity}`}>{e.severity}</span> },
];

export function HistoryTab({ tick }: { tick: number }) {
  // tokens[i] opens page i (undefined: the first).
  const [nav, setNav] = useState<{ tokens: (string | undefined)[]; index: number }>({ tokens: [undefined], index: 0 });
  const token = nav.tokens[nav.index];
  const page = useApi((c) => c.alerts.history({ maxResults: PAGE, pageToken: token }), [token, nav.index, tick]);
  const next = page.loading ? undefined : page.data?.next_page_token;

  return (
    <div>
      <ErrorBanner error={page.error} onRetry={page.reload} />
      {page.loading ? <Loading label="Loading history…" /> : null}
      <DataTable
        label="Alert history"
        columns={COLUMNS}
        rows={page.error ? [] : (page.data?.events ?? [])}
        rowKey={(e) => String(e.id)}
        pageSize={PAGE}
        empty="No alert has changed state yet."
      />
      <Pager
        label={`Page ${nav.index + 1}`}
        onPrev={nav.index > 0 && !page.loading ? () => setNav({ ...nav, index: nav.index - 1 }) : undefined}
        onNext={next ? () => setNav({ tokens: [...nav.tokens.slice(0, nav.index + 1), next], index: nav.index + 1 }) : undefined}
      />
    </div>
  );
}
