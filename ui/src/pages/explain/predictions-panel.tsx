/**
 * A deployment's recent predictions from the prediction log, each with an "Explain" action, and a form to explain
 * any row (prefilled from the newest logged request, else from the serving version's signature). The answer is
 * drawn as a waterfall from the base value to f(x). The deployment's default background is its monitoring
 * reference or the serving version's training data; the form can name another.
 */
import { useEffect, useState } from 'react';
import type { ExplainRequest, Explanation, FerryClient, LoggedPrediction } from '../../../../src/sdk/index.js';
import { useApi, useClient } from '../../api.js';
import { type Column, DataTable } from '../../components/data-table.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { Loading } from '../../components/loading.js';
import { formatTime } from '../../format.js';
import { routeRows } from '../deployments/deployment-status.js';
import { signatureFromTags } from '../models/signature.js';
import { ExplanationView } from './explanation-view.js';
import { rowTemplate } from './row-template.js';
import { parseDatasetRef, parseRow, valueText } from './waterfall.js';
import './explain.css';

const METHODS = ['auto', 'tree', 'exact', 'kernel', 'permutation', 'linear'] as const;
const SHOWN_ROWS = 25;

type Answer =
  | { state: 'idle' }
  | { state: 'busy'; key: string }
  | { state: 'done'; key: string; e: Explanation; row: Record<string, unknown> }
  | { state: 'failed'; key: string; error: unknown };

const rowKey = (p: LoggedPrediction) => `${p.request_id}#${p.row}`;

/** A row template from the signature of the version taking most of the deployment's traffic. */
async function servingTemplate(client: FerryClient, deployment: string): Promise<Record<string, unknown> | null> {
  const d = await client.deployments.get(deployment);
  const main = routeRows(d.spec, d.status?.routes).find((r) => r.role === 'main' && r.version);
  if (!main?.version) return null;
  return rowTemplate(signatureFromTags((await client.modelVersions.get(main.model, main.version)).tags));
}

function brief(o: Record<string, unknown>): string {
  const parts = Object.entries(o).map(([k, v]) => `${k}=${valueText(v)}`);
  const s = parts.slice(0, 4).join(', ');
  return parts.length > 4 ? `${s}, … (${parts.length})` : s;
}

export function PredictionsPanel({ deployment }: { deployment: string }) {
  const client = useClient();
  const log = useApi((c) => c.monitoring.predictions(deployment, { status: 'ok', route: 'main', limit: 10 }), [deployment]);
  const rows = (log.data?.predictions ?? []).slice(0, SHOWN_ROWS);
  const [answer, setAnswer] = useState<Answer>({ state: 'idle' });
  const [rowText, setRowText] = useState('');
  const [bgText, setBgText] = useState('');
  const [method, setMethod] = useState<(typeof METHODS)[number]>('auto');
  const [formError, setFormError] = useState('');

  // The form starts from the newest logged row, so its features are the model's; without one, from the serving
  // version's signature.
  const newest = rows[0];
  const logEmpty = log.data !== undefined && rows.length === 0;
  useEffect(() => {
    if (newest && rowText === '') setRowText(JSON.stringify(newest.inputs, null, 2));
  }, [newest, rowText]);
  useEffect(() => {
    if (!logEmpty) return;
    let live = true;
    servingTemplate(client, deployment).then(
      (t) => live && t && setRowText((cur) => (cur === '' ? JSON.stringify(t, null, 2) : cur)),
      () => undefined, // no template: the form stays empty, with its placeholder
    );
    return () => {
      live = false;
    };
  }, [logEmpty, client, deployment]);

  const explain = (key: string, row: Record<string, unknown>) => {
    let background: ExplainRequest['background'];
    if (bgText.trim() !== '') {
      const ref = parseDatasetRef(bgText);
      if (!ref) {
        setFormError('Name the background as NAME@VERSION, e.g. credit-train@1 (or leave it empty for the default).');
        return;
      }
      background = ref;
    }
    setFormError('');
    setAnswer({ state: 'busy', key });
    const body: ExplainRequest = { instances: [row], ...(background ? { background } : {}), ...(method !== 'auto' ? { method } : {}) };
    client.explain.deployment(deployment, body).then(
      (e) => setAnswer((a) => (a.state === 'busy' && a.key === key ? { state: 'done', key, e, row } : a)),
      (error: unknown) => setAnswer((a) => (a.state === 'busy' && a.key === key ? { state: 'failed', key, error } : a)),
    );
  };

  const busyKey = answer.state === 'busy' ? answer.key : null;
  const columns: Column<LoggedPrediction>[] = [
    { id: 'time', header: 'Time', sortValue: (p) => p.timestamp, cell: (p) => formatTime(Date.parse(p.timestamp)) },
    { id: 'version', header: 'Version', cell: (p) => `v${p.model_version}` },
    { id: 'inputs', header: 'Inputs', cell: (p) => <span title={JSON.stringify(p.inputs)}>{brief(p.inputs)}</span> },
    { id: 'outputs', header: 'Outputs', cell: (p) => <span title={JSON.stringify(p.outputs)}>{brief(p.outputs)}</span> },
    {
      id: 'explain',
      header: '',
      cell: (p) => (
        <button type="button" onClick={() => explain(rowKey(p), p.inputs)} disabled={busyKey !== null} aria-label={`Explain ${rowKey(p)}`}>
          {busyKey === rowKey(p) ? 'Explaining…' : 'Explain'}
        </button>
      ),
    },
  ];

  const submitForm = () => {
    const parsed = parseRow(rowText);
    if (!parsed.ok) {
      setFormError(parsed.error);
      return;
    }
    explain(`form:${rowText}`, parsed.row);
  };

  return (
    <div className="predictions-panel" data-testid="predictions-panel">
      <ErrorBanner error={log.error} onRetry={log.reload} />
      {log.loading && !log.data ? <Loading label="Reading the prediction log…" /> : null}
      {log.data ? (
        <DataTable
          label="Recent predictions"
          pageSize={10}
          columns={columns}
          rows={rows}
          rowKey={rowKey}
          rowClassName={(p) => (answer.state !== 'idle' && answer.key === rowKey(p) ? 'prediction-row selected' : 'prediction-row')}
          empty="No logged predictions yet (or logging is off for this deployment): explain a row with the form below."
        />
      ) : null}
      <details className="panel explain-form" open={rows.length === 0 || undefined}>
        <summary>Explain a row</summary>
        <textarea aria-label="Row to explain (JSON)" value={rowText} onChange={(e) => setRowText(e.target.value)} placeholder='{"feature": value, …}' />
        <div className="toolbar">
          <label>
            Background{' '}
            <input aria-label="Explanation background" placeholder="dataset@version (default)" value={bgText} onChange={(e) => setBgText(e.target.value)} />
          </label>
          <label>
            Method{' '}
            <select aria-label="Explanation method" value={method} onChange={(e) => setMethod(e.target.value as (typeof METHODS)[number])}>
              {METHODS.map((m) => (
                <option key={m} value={m}>
                  {m}
                </option>
              ))}
            </select>
          </label>
          <button type="button" onClick={submitForm} disabled={busyKey !== null}>
            Explain row
          </button>
        </div>
      </details>
      {formError ? (
        <p className="error-inline" role="alert">
          {formError}
        </p>
      ) : null}
      {answer.state === 'busy' ? <Loading label="Explaining…" /> : null}
      {answer.state === 'failed' ? (
        <>
          <ErrorBanner error={answer.error} />
          <p className="muted">
            A deployment is explained against its monitoring reference (a dataset version) or the serving version&apos;s training data; without either, name a
            background dataset version above.
          </p>
        </>
      ) : null}
      {answer.state === 'done' ? <ExplanationView key={answer.key} e={answer.e} rows={[answer.row]} /> : null}
    </div>
  );
}
