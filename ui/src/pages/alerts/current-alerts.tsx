/**
 * Firing (and pending) alert groups per deployment, then recently resolved ones: each alert's rule, cause
 * (metric value against its threshold), severity, since when, and the silence muting it. Two requests.
 */
import type { AlertStatus, Silence } from '../../../../src/sdk/index.js';
import { useApi } from '../../api.js';
import { type Column, DataTable } from '../../components/data-table.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { Loading } from '../../components/loading.js';
import { formatDuration, formatTime } from '../../format.js';
import { href } from '../../router.js';
import { type AlertGroup, alertSince, causeText, displayState, groupAlerts, matchersText, metricHref, silencedBy } from './alert-groups.js';

export function CurrentAlerts({ tick }: { tick: number }) {
  const data = useApi(
    async (c) => {
      const [alerts, silences] = await Promise.all([c.alerts.list({ state: 'all' }), c.alerts.listSilences()]);
      return { alerts, silences, at: Date.now() };
    },
    [tick],
  );

  if (!data.data) {
    return (
      <>
        <ErrorBanner error={data.error} onRetry={data.reload} />
        {data.loading ? <Loading label="Loading alerts…" /> : null}
      </>
    );
  }
  const { active, resolved } = groupAlerts(data.data.alerts);
  const { silences, at } = data.data;
  return (
    <div>
      <ErrorBanner error={data.error} onRetry={data.reload} />
      <h2>Firing</h2>
      {active.length === 0 ? <p className="muted">Nothing is firing.</p> : null}
      {active.map((g) => (
        <GroupCard key={`a|${g.deployment}`} group={g} silences={silences} now={at} />
      ))}
      <h2>Resolved</h2>
      {resolved.length === 0 ? <p className="muted">No resolved alerts.</p> : null}
      {resolved.map((g) => (
        <GroupCard key={`r|${g.deployment}`} group={g} silences={silences} now={at} />
      ))}
    </div>
  );
}

function GroupCard({ group, silences, now }: { group: AlertGroup; silences: readonly Silence[]; now: number }) {
  const firing = group.alerts.filter((a) => a.state === 'firing').length;
  const pending = group.alerts.filter((a) => a.state === 'pending').length;
  const columns = alertColumns(silences, now);
  return (
    <section className={`panel alert-group ${group.state}`} aria-label={`${group.state === 'firing' ? 'Firing' : 'Resolved'} alerts of ${group.deployment}`}>
      <div className="card-header">
        <h3>
          <a href={href('/monitoring/:deployment', { deployment: group.deployment })}>{group.deployment}</a>
        </h3>
        {group.state === 'firing' ? (
          <>
            {firing > 0 ? <span className="badge firing">{firing} firing</span> : null}
            {pending > 0 ? <span className="badge pending">{pending} pending</span> : null}
          </>
        ) : (
          <span className="badge resolved">{group.alerts.length} resolved</span>
        )}
        <span className={`badge ${group.severity}`}>{group.severity}</span>
      </div>
      <DataTable label={`Alerts of ${group.deployment}`} columns={columns} rows={group.alerts} rowKey={(a) => a.fingerprint} pageSize={25} />
    </section>
  );
}

function alertColumns(silences: readonly Silence[], now: number): Column<AlertStatus>[] {
  return [
    { id: 'state', header: 'State', cell: (a) => <span className={`badge ${displayState(a) ?? ''}`}>{displayState(a)}</span> },
    { id: 'rule', header: 'Rule', sortValue: (a) => a.rule, cell: (a) => <strong>{a.rule}</strong> },
    {
      id: 'cause',
      header: 'Cause',
      cell: (a) => (
        <a href={metricHref(a.deployment, a.metric)} title="See this metric on the Monitoring page">
          {causeText(a)}
        </a>
      ),
    },
    { id: 'severity', header: 'Severity', sortValue: (a) => a.severity, cell: (a) => <span className={`badge ${a.severity}`}>{a.severity}</span> },
    {
      id: 'since',
      header: 'Since',
      sortValue: (a) => alertSince(a),
      cell: (a) => {
        const since = alertSince(a);
        if (since === null) return '';
        return displayState(a) === 'resolved' ? (
          `resolved ${formatTime(since)}`
        ) : (
          <span title={formatTime(since)}>
            {formatTime(since)} <small>(for {formatDuration(Math.max(0, now - since))})</small>
          </span>
        );
      },
    },
    {
      id: 'silenced',
      header: 'Silenced',
      cell: (a) => {
        const s = silencedBy(a, silences, now);
        return s ? (
          <span title={s.comment}>
            until {formatTime(s.ends_at)} <small>({matchersText(s.matchers)})</small>
          </span>
        ) : (
          ''
        );
      },
    },
    {
      id: 'labels',
      header: 'Labels',
      cell: (a) =>
        Object.entries(a.labels)
          .map(([k, v]) => `${k}=${v}`)
          .join(', '),
    },
  ];
}
