/**
 * One A/B test: what it compares (deployment, unit, arms, metrics, method), the sample-ratio check, the
 * decision, the primary metric's relative lift over time with its interval band, and per metric a table of
 * arms (mature and pending units, mean, lift with its interval, p-value, verdict) with each verdict's reason;
 * Start or Stop for editors and admins.
 */
import { useMemo } from 'react';
import type { AbMetricResult, AbTestInfo, AbTestReport } from '../../../../src/sdk/index.js';
import { useApi, useSession } from '../../api.js';
import { FactsGrid } from '../../components/facts-grid.js';
import { ApiStatus, PageHeader } from '../../components/page-frame.js';
import { formatTime } from '../../format.js';
import { href } from '../../router.js';
import { AbTestActions } from './abtest-actions.js';
import { armsText, formatP, formatPercent, formatValue, intervalName, liftColumns, liftText } from './abtest-format.js';
import { AbTestStateBadge } from './abtests-list.js';
import { LiftChart } from './lift-chart.js';

/** History points in the chart. */
const POINTS = 30;

export function AbTestReportView({ name }: { name: string }) {
  const data = useApi(
    async (c) => {
      const [test, report] = await Promise.all([c.abtests.get(name), c.abtests.report(name, { history: true, points: POINTS })]);
      return { test, report };
    },
    [name],
  );
  const { who } = useSession();
  const canEdit = who.role === 'editor' || who.role === 'admin';
  const top = (
    <>
      <PageHeader
        title={`A/B test ${name}`}
        actions={canEdit && data.data ? <AbTestActions test={data.data.test} onChanged={data.reload} /> : null}
        onRefresh={data.reload}
      >
        {data.data ? <AbTestStateBadge state={data.data.test.state} /> : null}
        <a href={href('/abtests')}>← A/B tests</a>
      </PageHeader>
      <ApiStatus state={data} loadingLabel="Loading the report…" />
    </>
  );
  if (!data.data) return <div>{top}</div>;
  const { test, report } = data.data;
  return (
    <div>
      {top}
      <FactsGrid>
        <TestFacts test={test} report={report} />
        <div>
          <Decision report={report} />
          <Srm report={report} />
        </div>
      </FactsGrid>
      <LiftOverTime report={report} />
      {report.metrics.map((m) => (
        <MetricSection key={`${m.role}:${m.metric}`} report={report} metric={m} />
      ))}
    </div>
  );
}

function TestFacts({ test: t, report: r }: { test: AbTestInfo; report: AbTestReport }) {
  return (
    <section className="panel" aria-label="A/B test">
      <dl className="meta">
        <dt>Deployment</dt>
        <dd>
          <a href={href('/deployments/:name', { name: t.deployment })}>{t.deployment}</a>
        </dd>
        <dt>Unit</dt>
        <dd>
          {t.unit_key ? (
            <>
              the sticky key <code>{t.unit_key}</code>
            </>
          ) : (
            'each request (the deployment has no sticky key)'
          )}
        </dd>
        <dt>Arms</dt>
        <dd>{armsText(t)}</dd>
        <dt>Primary metric</dt>
        <dd>
          {t.primary_metric.metric}{' '}
          <span className="muted">
            ({t.primary_metric.kind}, window {t.primary_metric.window})
          </span>
        </dd>
        {t.guardrails.length ? (
          <>
            <dt>Guardrails</dt>
            <dd>{t.guardrails.map((g) => g.metric).join(', ')}</dd>
          </>
        ) : null}
        <dt>Method</dt>
        <dd>
          {r.method}, alpha {r.alpha}
          {r.method === 'sequential' ? <span className="muted"> · safe to look at any time</span> : null}
          <span className="muted"> · correction {t.settings.correction}</span>
        </dd>
        <dt>Started</dt>
        <dd>{formatTime(t.started_at) || <span className="muted">not yet</span>}</dd>
        {t.stopped_at ? (
          <>
            <dt>Stopped</dt>
            <dd>
              {formatTime(t.stopped_at)}
              {t.stopped_by ? ` by ${t.stopped_by}` : ''}
              {t.stop_reason ? `: ${t.stop_reason}` : ''}
            </dd>
          </>
        ) : null}
        <dt>As of</dt>
        <dd>{formatTime(r.at)}</dd>
      </dl>
      {t.description ? <p>{t.description}</p> : null}
    </section>
  );
}

function Decision({ report: r }: { report: AbTestReport }) {
  return (
    <section className={`panel abtest-decision verdict-${r.decision.verdict}`} aria-label="Decision">
      <h2>
        Decision: <span className={`badge verdict verdict-${r.decision.verdict}`}>{r.decision.verdict.replace('_', ' ')}</span>
      </h2>
      <p>{r.decision.reason}</p>
    </section>
  );
}

function Srm({ report: r }: { report: AbTestReport }) {
  const s = r.srm;
  const status = s.flagged ? 'mismatch' : s.p_value === null ? 'not checked yet' : 'ok';
  return (
    <section className={`panel abtest-srm${s.flagged ? ' flagged' : ''}`} aria-label="Sample ratio">
      <h3>
        Sample ratio: {status}
        {s.p_value !== null ? <span className="muted"> (p {formatP(s.p_value).startsWith('<') ? '< 0.0001' : `= ${formatP(s.p_value)}`})</span> : null}
      </h3>
      <p>
        {s.units.map((u, i) => (
          <span key={u.arm}>
            {i ? ' · ' : ''}
            {u.arm}: {u.units} units{u.observed_share !== null ? ` (${formatPercent(u.observed_share)}` : ' ('}, expected {formatPercent(u.expected_share)})
          </span>
        ))}
      </p>
      <p className={s.flagged ? 'error-inline' : 'muted'}>{s.reason}</p>
    </section>
  );
}

function LiftOverTime({ report: r }: { report: AbTestReport }) {
  const primary = r.metrics.find((m) => m.role === 'primary');
  const columns = useMemo(() => (primary ? liftColumns(r.history, primary.metric) : []), [r.history, primary]);
  if (!primary) return null;
  const interval = intervalName(r);
  return (
    <section className="panel" aria-label="Lift over time">
      <h2>
        {primary.metric}: relative lift over time <span className="muted">({interval} shaded)</span>
      </h2>
      {columns.every((c) => c.x.length === 0) ? (
        <p className="muted">No history yet: the lift is charted once units have matured.</p>
      ) : (
        columns.map((c) => (
          <div key={c.arm}>
            {columns.length > 1 ? <h3>{c.arm}</h3> : null}
            <LiftChart columns={c} interval={interval} />
          </div>
        ))
      )}
    </section>
  );
}

function MetricSection({ report: r, metric: m }: { report: AbTestReport; metric: AbMetricResult }) {
  const byArm = new Map(m.comparisons.map((c) => [c.arm, c]));
  const control = m.comparisons[0]?.control;
  const bayes = r.method === 'bayesian';
  const cuped = m.arms.some((a) => a.cuped_mean !== null);
  const title = `${m.role === 'primary' ? 'Primary' : 'Guardrail'}: ${m.metric}`;
  return (
    <section className="panel" aria-label={title}>
      <h2>
        {title}{' '}
        <span className="muted">
          ({m.kind}, {m.direction === 'decrease' ? 'lower' : 'higher'} is better)
        </span>
      </h2>
      <div className="table-scroll">
        <table className="data-table" aria-label={m.metric}>
          <thead>
            <tr>
              <th>Arm</th>
              <th className="num" title="Units whose attribution window has closed">
                Units
              </th>
              <th className="num" title="Exposed units whose window is still open (not counted yet)">
                Pending
              </th>
              <th className="num">Mean</th>
              {cuped ? <th className="num">CUPED mean</th> : null}
              <th className="num">Lift</th>
              <th>{intervalName(r)}</th>
              {bayes ? (
                <th className="num">Chance to win</th>
              ) : (
                <>
                  <th className="num">p</th>
                  <th className="num" title="After the correction across metrics">
                    Adjusted p
                  </th>
                </>
              )}
              <th>Verdict</th>
            </tr>
          </thead>
          <tbody>
            {m.arms.map((a) => {
              const c = byArm.get(a.arm);
              const lift = c ? liftText(c) : null;
              return (
                <tr key={a.arm}>
                  <td>
                    {a.arm}
                    {a.arm === control ? <span className="muted"> (control)</span> : null}
                  </td>
                  <td className="num">{a.units}</td>
                  <td className="num">{a.pending_units}</td>
                  <td className="num">{formatValue(a.mean)}</td>
                  {cuped ? <td className="num">{formatValue(a.cuped_mean)}</td> : null}
                  <td className="num">{lift?.estimate}</td>
                  <td>{lift?.interval}</td>
                  {bayes ? (
                    <td className="num">{formatPercent(c?.chance_to_win)}</td>
                  ) : (
                    <>
                      <td className="num">{formatP(c?.p_value)}</td>
                      <td className="num">{formatP(c?.adjusted_p_value)}</td>
                    </>
                  )}
                  <td>{c ? <span className={`badge verdict verdict-${c.verdict}`}>{c.verdict.replace('_', ' ')}</span> : null}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <ul className="abtest-reasons">
        {m.comparisons.map((c) => (
          <li key={c.arm}>
            <strong>{c.arm}</strong>: {c.reason}
          </li>
        ))}
      </ul>
    </section>
  );
}
