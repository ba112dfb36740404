/** Alert rules with their condition, timing, severity and current state. */
import type { AlertRule, AlertStatus } from '../../../../src/sdk/index.js';
import { useApi } from '../../api.js';
import { type Column, DataTable } from '../../components/data-table.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { Loading } from '../../components/loading.js';
import { formatNumber } from '../../format.js';
import { href } from '../../router.js';
import { comparisonSymbol, displayState } from './alert-groups.js';

interface Row {
  rule: AlertRule;
  status: AlertStatus | undefined;
}

const COLUMNS: Column<Row>[] = [
  { id: 'name', header: 'Rule', sortValue: (r) => r.rule.name, cell: (r) => <strong>{r.rule.name}</strong> },
  {
    id: 'deployment',
    header: 'Deployment',
    sortValue: (r) => r.rule.deployment,
    cell: (r) => <a href={href('/monitoring/:deployment', { deployment: r.rule.deployment })}>{r.rule.deployment}</a>,
  },
  {
    id: 'condition',
    header: 'Condition',
    sortValue: (r) => r.rule.metric,
    cell: (r) => <code>{`${r.rule.metric} ${comparisonSymbol(r.rule.comparison)} ${formatNumber(r.rule.threshold)}`}</code>,
  },
  { id: 'window', header: 'Window', cell: (r) => r.rule.window },
  { id: 'for', header: 'For', title: 'How long the condition must hold before the alert fires', cell: (r) => r.rule.for },
  { id: 'keep', header: 'Keep firing', cell: (r) => r.rule.keep_firing_for },
  { id: 'severity', header: 'Severity', sortValue: (r) => r.rule.severity, cell: (r) => <span className={`badge ${r.rule.severity}`}>{r.rule.severity}</span> },
  {
    id: 'state',
    header: 'State',
    sortValue: (r) => (r.rule.enabled ? (r.status?.state ?? 'inactive') : 'disabled'),
    cell: (r) => {
      if (!r.rule.enabled) return <span className="badge expired">disabled</span>;
      const s = r.status ? (displayState(r.status) ?? 'inactive') : 'inactive';
      return <span className={`badge ${s === 'resolved' ? 'inactive' : s}`}>{s === 'resolved' ? 'inactive' : s}</span>;
    },
  },
  { id: 'value', header: 'Last value', align: 'right', cell: (r) => (r.status?.value === null || r.status === undefined ? '' : formatNumber(r.status.value)) },
  {
    id: 'labels',
    header: 'Labels',
    cell: (r) =>
      Object.entries(r.rule.labels)
        .map(([k, v]) => `${k}=${v}`)
        .join(', '),
  },
];

export function RulesTab({ tick }: { tick: number }) {
  const data = useApi(
    async (c) => {
      const [rules, alerts] = await Promise.all([c.alerts.listRules(), c.alerts.list({ state: 'all' })]);
      const byId = new Map(alerts.map((a) => [a.rule_id, a]));
      return rules.map((rule): Row => ({ rule, status: byId.get(rule.id) }));
    },
    [tick],
  );
  return (
    <div>
      <ErrorBanner error={data.error} onRetry={data.reload} />
      {data.loading && !data.data ? <Loading label="Loading rules…" /> : null}
      {data.data ? (
        <DataTable
          label="Alert rules"
          columns={COLUMNS}
          rows={data.data}
          rowKey={(r) => r.rule.id}
          empty={
            <>
              No rules yet. Create one with <code>ferry alerts rules create</code> or <code>POST /api/v1/alerts/rules</code>.
            </>
          }
        />
      ) : null}
    </div>
  );
}
