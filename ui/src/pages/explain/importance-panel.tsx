/**
 * Global importance of a model version: mean |φ| per feature over a seeded sample of the background, as bars,
 * with the method, the background and the output space it was computed in. Computed on request (it explains rows
 * through the model; the server caches it per version and background) and remembered for the tab. Without a
 * background the server knows (the version's training data from lineage) it refuses; the form names one.
 */
import { useState } from 'react';
import type { ImportanceQuery } from '../../../../src/sdk/index.js';
import { FerryApiError, useApi } from '../../api.js';
import { BarChart } from '../../components/bar-chart.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { Loading } from '../../components/loading.js';
import { formatNumber } from '../../format.js';
import { useRemembered } from './remembered.js';
import { parseDatasetRef } from './waterfall.js';
import './explain.css';

const MAX_BARS = 20;

export function ImportancePanel({ model, version }: { model: string; version: string }) {
  const [query, setQuery] = useRemembered<ImportanceQuery>(`importance.${model}\u0000${version}`);
  const [refText, setRefText] = useState(query?.dataset ? `${query.dataset}@${query.dataset_version ?? ''}` : '');
  const [formError, setFormError] = useState('');

  const compute = () => {
    if (refText.trim() === '') {
      setFormError('');
      setQuery({});
      return;
    }
    const ref = parseDatasetRef(refText);
    if (!ref) {
      setFormError('Name the background as NAME@VERSION, e.g. credit-train@1, or leave it empty for the training data.');
      return;
    }
    setFormError('');
    setQuery({ dataset: ref.dataset, dataset_version: ref.version });
  };

  return (
    <div className="panel importance-panel" data-testid="importance">
      {query ? (
        <ImportanceResult key={JSON.stringify(query)} model={model} version={version} query={query} />
      ) : (
        <p className="muted">
          Mean |φ| per feature over a sample of a background dataset version: computed on request (the server caches it per version and background).
        </p>
      )}
      <div className="toolbar">
        <label>
          Background{' '}
          <input
            aria-label="Importance background"
            placeholder="dataset@version (default: training data)"
            value={refText}
            onChange={(e) => setRefText(e.target.value)}
            onKeyDown={(e) => e.key === 'Enter' && compute()}
          />
        </label>
        <button type="button" onClick={compute}>
          Compute importance
        </button>
        {formError ? (
          <span className="error-inline" role="alert">
            {formError}
          </span>
        ) : null}
      </div>
    </div>
  );
}

function ImportanceResult({ model, version, query }: { model: string; version: string; query: ImportanceQuery }) {
  const imp = useApi((c) => c.explain.importance(model, version, query), [model, version]);
  const d = imp.data;
  const refused = imp.error instanceof FerryApiError && imp.error.status === 400;
  return (
    <>
      <ErrorBanner error={imp.error} onRetry={imp.reload} />
      {refused && !query.dataset ? (
        <p className="muted" data-testid="importance-hint">
          Importance needs a background sample: Ferry uses the version&apos;s training data when its source run logged a dataset input (
          <code>mlflow.log_input</code> with a Ferry dataset); otherwise name a registered dataset version below.
        </p>
      ) : null}
      {imp.loading ? <Loading label="Explaining a sample of the background…" /> : null}
      {d ? (
        <>
          <p className="muted">
            Mean |φ| per feature over {formatNumber(d.rows)} rows of{' '}
            <strong>
              {d.background.dataset}@{d.background.version}
            </strong>{' '}
            ({d.background.source.replace(/_/g, ' ')}, {formatNumber(d.background.rows)} background rows) · method <code>{d.method}</code> · output space{' '}
            <code>{d.output_space}</code> ({d.outputs.join(', ')}){d.cached ? ' · cached' : ''}
            {d.truncated ? (
              <span className="badge truncated" title="The evaluation budget ran out: an estimate">
                truncated
              </span>
            ) : null}
          </p>
          <BarChart
            title={`Global importance (mean |φ|, ${d.output_space})`}
            bars={d.features.slice(0, MAX_BARS).map((f) => ({ label: f.feature, value: f.mean_abs }))}
            format={(v) => formatNumber(v)}
          />
          {d.features.length > MAX_BARS ? <p className="muted">{d.features.length - MAX_BARS} smaller features not drawn.</p> : null}
        </>
      ) : null}
    </>
  );
}
