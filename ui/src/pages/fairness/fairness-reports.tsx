/**
 * A model version's stored fairness reports (newest first), and one opened: per analysis (the intersection of the
 * sensitive features, then each alone) the groups as rows with their counts and metrics, insufficient groups
 * marked, the parity metrics by both of Fairlearn's methods, the four-fifths heuristic stated as what it is, and a
 * bar chart per metric by group. Editors can score a new one from the page.
 */
import { useState } from 'react';
import type { FairnessAnalysis, FairnessReport, FairnessReportSummary } from '../../../../src/sdk/index.js';
import { useApi, useSession } from '../../api.js';
import { BarChart } from '../../components/bar-chart.js';
import { type Column, DataTable } from '../../components/data-table.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { Loading } from '../../components/loading.js';
import { formatNumber, formatTime } from '../../format.js';
import { FairnessForm } from './fairness-form.js';
import { chartedFrames, type GroupRow, groupRows, metricLabel, parityRows, type ParityRow } from './fairness-shape.js';
import './fairness.css';

const num = (v: number | null | undefined) => (v === null || v === undefined ? <span className="muted">undefined</span> : formatNumber(v));

export function FairnessReports({ model, version }: { model: string; version: string }) {
  const list = useApi((c) => c.fairness.list(model, version), [model, version]);
  const canCreate = useSession().who.role !== 'viewer';
  const [open, setOpen] = useState<number | null>(null);
  const reports = list.data ?? [];
  const shown = open ?? reports[0]?.id ?? null;

  const columns: Column<FairnessReportSummary>[] = [
    { id: 'id', header: 'Report', sortValue: (r) => r.id, cell: (r) => `#${r.id}` },
    { id: 'dataset', header: 'Dataset', cell: (r) => `${r.dataset}@${r.dataset_version}` },
    { id: 'features', header: 'Sensitive features', cell: (r) => r.sensitive_features.join(' × ') },
    { id: 'n', header: 'Rows', align: 'right', sortValue: (r) => r.n_rows, cell: (r) => formatNumber(r.n_rows) },
    { id: 'dpr', header: 'DP ratio', align: 'right', sortValue: (r) => r.demographic_parity_ratio, cell: (r) => num(r.demographic_parity_ratio) },
    {
      id: 'ff',
      header: 'Four-fifths heuristic',
      cell: (r) => (r.four_fifths_flagged ? <span className="badge flagged">below 0.8</span> : <span className="muted">not flagged</span>),
    },
    { id: 'created', header: 'Created', sortValue: (r) => r.created_at, cell: (r) => `${formatTime(Date.parse(r.created_at))} by ${r.created_by}` },
    {
      id: 'open',
      header: '',
      cell: (r) =>
        r.id === shown ? (
          <span className="muted">shown</span>
        ) : (
          <button type="button" className="link-button" onClick={() => setOpen(r.id)}>
            Open
          </button>
        ),
    },
  ];

  return (
    <div className="fairness-reports" data-testid="fairness-reports">
      <ErrorBanner error={list.error} onRetry={list.reload} />
      {list.loading && !list.data ? <Loading label="Loading fairness reports…" /> : null}
      {list.data && reports.length === 0 ? (
        <p className="muted" data-testid="fairness-none">
          No fairness report for this version yet. Score a labelled dataset version with it{canCreate ? ' (below), or' : ''}:{' '}
          <code>
            ferry models fairness {model} {version} --dataset NAME@VERSION --label COLUMN --sensitive COLUMN
          </code>{' '}
          (or <code>client.fairness.create</code>).
        </p>
      ) : null}
      {canCreate ? (
        <FairnessForm
          model={model}
          version={version}
          onCreated={(r) => {
            setOpen(r.id);
            list.reload();
          }}
        />
      ) : null}
      {reports.length > 0 ? <DataTable label="Fairness reports" columns={columns} rows={reports} rowKey={(r) => String(r.id)} /> : null}
      {shown !== null ? <OneReport key={shown} model={model} version={version} id={shown} /> : null}
    </div>
  );
}

function OneReport({ model, version, id }: { model: string; version: string; id: number }) {
  const rep = useApi((c) => c.fairness.get(model, version, id), [model, version, id]);
  if (rep.error) return <ErrorBanner error={rep.error} onRetry={rep.reload} />;
  if (!rep.data) return <Loading label={`Loading report #${id}…`} />;
  return <ReportView r={rep.data} />;
}

function ReportView({ r }: { r: FairnessReport }) {
  const [analysis, setAnalysis] = useState(0);
  const a = r.analyses[Math.min(analysis, r.analyses.length - 1)];
  const s = r.spec;
  return (
    <div className="panel fairness-report" data-testid="fairness-report" data-report={r.id}>
      <h3>
        Report #{r.id}: {r.model} v{r.version} on {r.dataset}@{r.dataset_version}
      </h3>
      <dl className="meta">
        <dt>Rows</dt>
        <dd>
          {formatNumber(r.n_rows)} scored · {formatNumber(r.rows_without_label)} without a label left out · {formatNumber(r.rows_missing_sensitive)} with a
          missing sensitive value ({s.missing_sensitive === 'group' ? 'grouped as (missing)' : 'left out'})
        </dd>
        <dt>Label / prediction</dt>
        <dd>
          <code>{s.label}</code> against output <code>{s.prediction}</code>, positive label{' '}
          <code>{s.pos_label === null ? 'default (1)' : String(s.pos_label)}</code>
        </dd>
        <dt>Groups</dt>
        <dd>
          by {s.sensitive_features.join(' × ')}; groups under {formatNumber(s.min_group_size)} rows are marked insufficient
          {s.bootstrap ? ` · ${formatNumber(s.bootstrap.samples)} bootstrap replicates (seed ${s.bootstrap.seed}, ${s.bootstrap.level * 100}%)` : ''}
        </dd>
        <dt>Created</dt>
        <dd>
          {formatTime(Date.parse(r.created_at))} by {r.created_by}
        </dd>
      </dl>
      {r.analyses.length > 1 ? (
        <div className="segmented" role="group" aria-label="Analysis">
          {r.analyses.map((x, i) => (
            <button key={x.features.join('×')} type="button" aria-pressed={x === a} className={x === a ? 'active' : undefined} onClick={() => setAnalysis(i)}>
              {x.features.join(' × ')}
            </button>
          ))}
        </div>
      ) : null}
      {a ? <AnalysisView a={a} /> : null}
      {r.notes.length > 0 ? (
        <ul className="muted">
          {r.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function AnalysisView({ a }: { a: FairnessAnalysis }) {
  const rows = groupRows(a);
  const metrics = a.frames.map((f) => f.metric).filter((m) => m !== 'count');
  const groupColumns: Column<GroupRow>[] = [
    {
      id: 'group',
      header: a.features.join(' × '),
      sortValue: (g) => g.label,
      cell: (g) => (
        <>
          {g.label}
          {g.insufficient ? (
            <span className="badge insufficient" title="fewer rows than the minimum group size: shown and counted, but read with care">
              insufficient
            </span>
          ) : null}
          {!g.observed ? <span className="muted"> (no rows)</span> : null}
        </>
      ),
    },
    { id: 'n', header: 'n', align: 'right', sortValue: (g) => g.n, cell: (g) => formatNumber(g.n) },
    ...metrics.map((m): Column<GroupRow> => ({
      id: m,
      header: metricLabel(m),
      align: 'right',
      sortValue: (g) => g.values[m] ?? null,
      cell: (g) => num(g.values[m]),
    })),
  ];
  const parityColumns: Column<ParityRow>[] = [
    { id: 'metric', header: 'Parity metric', cell: (p) => metricLabel(p.metric) },
    { id: 'between', header: 'between groups', align: 'right', cell: (p) => num(p.between_groups) },
    { id: 'overall', header: 'to overall', align: 'right', cell: (p) => num(p.to_overall) },
  ];
  const ff = a.four_fifths;
  return (
    <div className="fairness-analysis">
      <DataTable
        label="Metrics by group"
        columns={groupColumns}
        rows={rows}
        rowKey={(g) => g.label}
        rowClassName={(g) => (g.insufficient ? 'insufficient' : undefined)}
      />
      <div className="grid-2">
        <DataTable label="Parity" columns={parityColumns} rows={parityRows(a)} rowKey={(p) => p.metric} />
        <div className={ff.flagged ? 'four-fifths flagged' : 'four-fifths'} data-testid="four-fifths">
          <h4>Four-fifths rule (a heuristic)</h4>
          <p>
            Lowest selection rate ÷ highest: <strong>{num(ff.ratio)}</strong>{' '}
            {ff.undefined ? '(undefined)' : ff.flagged ? `— below ${ff.threshold}, flagged` : `— at least ${ff.threshold}`}
          </p>
          <p className="muted">{ff.explanation}</p>
        </div>
      </div>
      <div className="grid-2">
        {chartedFrames(a).map((f) => (
          <div className="chart-card" key={f.metric} data-metric={f.metric}>
            <h4>{metricLabel(f.metric)} by group</h4>
            <BarChart
              bars={f.groups.map((g) => ({
                label: g.label,
                value: g.value,
                note: `n = ${formatNumber(g.n)}${g.insufficient ? ' · insufficient' : ''}`,
                faint: g.insufficient,
              }))}
              format={(v) => formatNumber(v)}
              {...(f.overall !== null ? { reference: { value: f.overall, label: 'overall' } } : {})}
            />
            <p className="muted">
              overall {num(f.overall)} · difference {num(f.difference.between_groups)} · ratio {num(f.ratio.between_groups)} (between groups)
            </p>
          </div>
        ))}
      </div>
    </div>
  );
}
