/**
 * A version's recorded validation results (suites attached to the dataset run on each push); opening one
 * loads its failed expectations with their unexpected values and row numbers.
 */
import { useState } from 'react';
import type { ValidationSummary } from '../../../../src/sdk/index.js';
import { useApi } from '../../api.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { Loading } from '../../components/loading.js';
import { formatNumber, formatTime } from '../../format.js';
import { percent } from '../monitoring/describe.js';
import { type FailedExpectation, failedExpectations } from './data-shapes.js';

export function ValidationsPanel({ name, version }: { name: string; version: string }) {
  const list = useApi((c) => c.data.versionValidations(name, version), [name, version]);
  const [open, setOpen] = useState<number | null>(null);
  return (
    <div>
      <ErrorBanner error={list.error} onRetry={list.reload} />
      {list.loading && !list.data ? <Loading label="Loading validation results…" /> : null}
      {list.data?.length === 0 ? (
        <p className="muted">
          No validation results for this version. Attach a suite to the dataset (<code>ferry data suite attach SUITE --dataset {name}</code>) and it runs on
          every push.
        </p>
      ) : null}
      <ul className="validation-list" aria-label="Validation results">
        {(list.data ?? []).map((v) => (
          <li key={v.id} className="panel">
            <ValidationHeader v={v} open={open === v.id} onToggle={() => setOpen(open === v.id ? null : v.id)} />
            {open === v.id ? <ValidationDetail id={v.id} /> : null}
          </li>
        ))}
      </ul>
    </div>
  );
}

function ValidationHeader({ v, open, onToggle }: { v: ValidationSummary; open: boolean; onToggle: () => void }) {
  return (
    <div className="card-header">
      {v.success ? <span className="badge passed">passed</span> : <span className="badge failed">failed</span>}
      <strong>{v.suite}</strong>
      <span className="muted">
        {v.failed} of {v.evaluated} expectations failed · {formatTime(Date.parse(v.created_at))}
      </span>
      <span className="grow" />
      <button type="button" className="link-button" aria-expanded={open} onClick={onToggle}>
        {open ? 'Hide details' : v.success ? 'Show details' : 'Show failed expectations'}
      </button>
    </div>
  );
}

function ValidationDetail({ id }: { id: number }) {
  const detail = useApi((c) => c.data.validation(id), [id]);
  if (!detail.data) {
    return (
      <>
        <ErrorBanner error={detail.error} onRetry={detail.reload} />
        {detail.loading ? <Loading label="Loading results…" /> : null}
      </>
    );
  }
  const failures = failedExpectations(detail.data.result);
  const stats = detail.data.result.statistics;
  return (
    <div className="validation-detail">
      <p className="muted">
        {stats.successful_expectations} of {stats.evaluated_expectations} expectations met ({formatNumber(stats.success_percent)}%).
      </p>
      {failures.map((f, i) => (
        <FailureCard key={i} f={f} />
      ))}
    </div>
  );
}

function FailureCard({ f }: { f: FailedExpectation }) {
  return (
    <div className="failure" aria-label={`Failed ${f.type}${f.column ? ` on ${f.column}` : ''}`}>
      <div>
        <code>{f.type}</code>{' '}
        {f.column ? (
          <>
            on <strong>{f.column}</strong>
          </>
        ) : null}{' '}
        {f.args ? <small className="muted">({f.args})</small> : null}
      </div>
      <div className="muted">
        {f.unexpectedCount !== null
          ? `${formatNumber(f.unexpectedCount)} unexpected${f.elementCount !== null ? ` of ${formatNumber(f.elementCount)}` : ''}`
          : null}
        {f.unexpectedPercent !== null ? ` (${percent(f.unexpectedPercent / 100, 2)})` : null}
        {f.observed !== null ? ` observed ${f.observed}` : null}
        {f.exception ? <span className="error-inline"> {f.exception}</span> : null}
      </div>
      {f.samples.length > 0 ? <div className="muted">Unexpected values (first {f.samples.length}):</div> : null}
      {f.samples.length > 0 ? (
        <table className="samples" aria-label={`Unexpected values of ${f.column ?? f.type}`}>
          <thead>
            <tr>
              <th className="num">Row</th>
              {f.samples.some((s) => s.line !== null) ? <th className="num">Line</th> : null}
              <th>Value</th>
            </tr>
          </thead>
          <tbody>
            {f.samples.map((s, i) => (
              <tr key={i}>
                <td className="num">{s.row ?? '—'}</td>
                {f.samples.some((x) => x.line !== null) ? <td className="num">{s.line ?? '—'}</td> : null}
                <td>
                  <code>{s.value === null ? 'null' : String(s.value)}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
