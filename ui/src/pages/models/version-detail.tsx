/**
 * A model version: `#/models/:name/versions/:version` — status, aliases, source and source run, tags, its
 * signature (inputs and outputs), the data it was trained on, its global feature importance, its stored fairness
 * reports, and its model card.
 */
import type { PageProps } from '../../page.js';
import { useApi } from '../../api.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { ImportancePanel } from '../explain/importance-panel.js';
import { FairnessReports } from '../fairness/fairness-reports.js';
import { Loading } from '../../components/loading.js';
import { formatTime } from '../../format.js';
import { href } from '../../router.js';
import { AliasBadges } from './alias-badges.js';
import { ModelCardView } from './card-view.js';
import { SignatureView } from './signature-view.js';
import { SIGNATURE_TAG } from './signature.js';
import { TrainingData } from './training-data.js';

export function VersionDetailPage({ params }: PageProps) {
  const name = params['name']!;
  const version = params['version']!;
  return <VersionDetail key={`${name}\u0000${version}`} name={name} version={version} />;
}

function VersionDetail({ name, version }: { name: string; version: string }) {
  const mv = useApi((c) => c.modelVersions.get(name, version), [name, version]);
  const v = mv.data;
  const tags = (v?.tags ?? []).filter((t) => t.key !== SIGNATURE_TAG && !t.key.startsWith('mlflow.'));

  return (
    <div>
      <div className="page-header">
        <h1>
          {name} <span className="muted">v{version}</span>
        </h1>
        <a href={href('/models/:name', { name })}>← {name}</a>
      </div>
      <ErrorBanner error={mv.error} onRetry={mv.reload} />
      {mv.loading && !v ? <Loading /> : null}
      {v ? (
        <>
          <dl className="meta panel">
            <dt>Status</dt>
            <dd>
              <span className="badge">{v.status}</span>
              {v.status_message ? <span className="muted"> {v.status_message}</span> : null}
            </dd>
            <dt>Aliases</dt>
            <dd>
              <AliasBadges model={name} aliases={(v.aliases ?? []).map((alias) => ({ alias }))} />
            </dd>
            {v.current_stage && v.current_stage !== 'None' ? (
              <>
                <dt>Stage</dt>
                <dd>{v.current_stage}</dd>
              </>
            ) : null}
            <dt>Source run</dt>
            <dd>
              {v.run_id ? (
                <a href={href('/runs/:id', { id: v.run_id })}>
                  <code>{v.run_id}</code>
                </a>
              ) : (
                <span className="muted">none (registered from a file)</span>
              )}
            </dd>
            <dt>Source</dt>
            <dd>
              <code>{v.source}</code>
            </dd>
            <dt>Registered</dt>
            <dd>
              {formatTime(v.creation_timestamp)}
              {v.user_id ? ` by ${v.user_id}` : ''}
            </dd>
            <dt>Description</dt>
            <dd>{v.description || <span className="muted">none</span>}</dd>
            <dt>Tags</dt>
            <dd>
              {tags.length > 0 ? (
                tags.map((t) => (
                  <span key={t.key} className="badge" title={t.value}>
                    {t.key}={t.value}
                  </span>
                ))
              ) : (
                <span className="muted">none</span>
              )}
            </dd>
          </dl>
          <h2>Signature</h2>
          <SignatureView version={v} />
          <h2>Training data</h2>
          <TrainingData model={name} version={version} />
          <h2>Feature importance</h2>
          <ImportancePanel model={name} version={version} />
          <h2>Fairness</h2>
          <FairnessReports model={name} version={version} />
          <h2>Model card</h2>
          <ModelCardView model={name} version={version} />
        </>
      ) : null}
    </div>
  );
}
