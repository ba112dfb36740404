/**
 * Live fairness of a deployment for one sensitive feature (a logged model input), per window from the prediction
 * log: the demographic parity ratio at once, the equalized odds ratio where label feedback has joined (with the
 * label coverage beside it), and the groups over the whole range with their counts.
 */
import { useState } from 'react';
import type { LiveFairnessGroup } from '../../../../src/sdk/index.js';
import { useApi } from '../../api.js';
import { Chart } from '../../components/chart.js';
import { type Column, DataTable } from '../../components/data-table.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { Loading } from '../../components/loading.js';
import { formatNumber } from '../../format.js';
import { rangeSpan } from '../monitoring/monitoring-data.js';
import { withSpan } from '../monitoring/series.js';
import { liveSeries, windowFor } from './live-series.js';
import './fairness.css';

const RANGES = ['1h', '24h', '7d'] as const;
const num = (v: number | null) => (v === null ? <span className="muted">undefined</span> : formatNumber(v));

/** `versions`: the model versions the deployment serves; with several, one can be looked at alone (a canary, an A/B arm). */
export function LiveFairnessPanel({ deployment, versions = [] }: { deployment: string; versions?: readonly string[] }) {
  // The newest logged request's inputs name the features there are to choose from.
  const newest = useApi((c) => c.monitoring.predictions(deployment, { status: 'ok', limit: 1 }), [deployment]);
  const features = Object.keys(newest.data?.predictions[0]?.inputs ?? {});
  const [typed, setTyped] = useState('');
  const [feature, setFeature] = useState('');
  const [range, setRange] = useState<(typeof RANGES)[number]>('24h');
  const [version, setVersion] = useState('');
  return (
    <div className="live-fairness" data-testid="live-fairness">
      <div className="toolbar">
        <label>
          Sensitive feature{' '}
          <input
            aria-label="Sensitive feature"
            list={`live-fairness-features-${deployment}`}
            value={typed}
            placeholder="a logged model input"
            onChange={(e) => setTyped(e.target.value)}
            onKeyDown={(e) => e.key === 'Enter' && setFeature(typed.trim())}
          />
          <datalist id={`live-fairness-features-${deployment}`}>
            {features.map((f) => (
              <option key={f} value={f} />
            ))}
          </datalist>
        </label>
        <button type="button" onClick={() => setFeature(typed.trim())} disabled={typed.trim() === ''}>
          Show
        </button>
        {versions.length > 1 ? (
          <label>
            Model version{' '}
            <select aria-label="Fairness model version" value={version} onChange={(e) => setVersion(e.target.value)}>
              <option value="">every version served</option>
              {versions.map((v) => (
                <option key={v} value={v}>
                  v{v}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <div className="segmented" role="group" aria-label="Fairness range">
          {RANGES.map((r) => (
            <button key={r} type="button" aria-pressed={r === range} className={r === range ? 'active' : undefined} onClick={() => setRange(r)}>
              {r}
            </button>
          ))}
        </div>
      </div>
      {feature === '' ? (
        <p className="muted">Choose a feature the model takes as input (the prediction log keeps model inputs only) to see its groups per window.</p>
      ) : (
        <LiveFairnessView key={`${feature}\u0000${range}\u0000${version}`} deployment={deployment} feature={feature} range={range} version={version} />
      )}
    </div>
  );
}

function LiveFairnessView({ deployment, feature, range, version }: { deployment: string; feature: string; range: (typeof RANGES)[number]; version: string }) {
  const live = useApi(
    (c) => c.fairness.live(deployment, { feature, from: range, window: windowFor(range), ...(version ? { model_version: version } : {}) }),
    [deployment, feature, range, version],
  );
  const f = live.data;
  if (live.error) return <ErrorBanner error={live.error} onRetry={live.reload} />;
  if (!f) return <Loading label="Grouping the logged predictions…" />;
  const s = liveSeries(f);
  const span = rangeSpan(range, Date.parse(f.to));
  const o = f.overall;
  const columns: Column<LiveFairnessGroup>[] = [
    {
      id: 'group',
      header: feature,
      sortValue: (g) => g.label,
      cell: (g) => (
        <>
          {g.label}
          {g.insufficient ? <span className="badge insufficient">insufficient</span> : null}
        </>
      ),
    },
    { id: 'n', header: 'n', align: 'right', sortValue: (g) => g.n, cell: (g) => formatNumber(g.n) },
    { id: 'sr', header: 'selection rate', align: 'right', sortValue: (g) => g.selection_rate, cell: (g) => num(g.selection_rate) },
    { id: 'labelled', header: 'labelled', align: 'right', sortValue: (g) => g.labelled, cell: (g) => formatNumber(g.labelled) },
    { id: 'coverage', header: 'label coverage', align: 'right', sortValue: (g) => g.label_coverage, cell: (g) => num(g.label_coverage) },
    { id: 'tpr', header: 'TPR', align: 'right', sortValue: (g) => g.true_positive_rate, cell: (g) => num(g.true_positive_rate) },
    { id: 'fpr', header: 'FPR', align: 'right', sortValue: (g) => g.false_positive_rate, cell: (g) => num(g.false_positive_rate) },
  ];
  return (
    <div>
      <p className="muted">
        {formatNumber(o.n)} predictions ({formatNumber(o.labelled)} labelled, {formatNumber(o.missing_feature)} without <code>{feature}</code>) in {f.window}{' '}
        windows · prediction output <code>{f.prediction}</code>, positive label <code>{f.pos_label === null ? 'default (1)' : String(f.pos_label)}</code> ·
        groups under {formatNumber(f.min_group_size)} are insufficient · over the range: DP ratio {num(o.demographic_parity_ratio)}, EO ratio{' '}
        {num(o.equalized_odds_ratio)}
      </p>
      <div className="grid-2">
        <div className="chart-card" data-testid="live-fairness-ratios">
          <h3>Parity ratios per window</h3>
          <Chart series={withSpan(s.ratios, span)} xKind="time" height={220} />
        </div>
        <div className="chart-card" data-testid="live-fairness-coverage">
          <h3>Label coverage per window</h3>
          <Chart series={withSpan([s.coverage], span)} xKind="time" height={220} />
        </div>
      </div>
      <DataTable
        label="Groups over the range"
        columns={columns}
        rows={o.groups}
        rowKey={(g) => g.label}
        rowClassName={(g) => (g.insufficient ? 'insufficient' : undefined)}
      />
      {f.notes.length > 0 ? (
        <ul className="muted">
          {f.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
