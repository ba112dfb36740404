/** What a job produced: its MLflow run and the model versions registered from that run. */
import { quoteFilterValue } from '../../../../src/sdk/index.js';
import { useApi } from '../../api.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { Loading } from '../../components/loading.js';
import { href } from '../../router.js';

/** `ended` reloads the versions once the job ends (it registers them while it runs). */
export function JobOutputs({ runId, experimentId, ended }: { runId: string; experimentId: string; ended: boolean }) {
  const versions = useApi((c) => c.modelVersions.search({ filter: `run_id = ${quoteFilterValue(runId)}`, maxResults: 100 }), [runId, ended]);
  const list = versions.data?.model_versions ?? [];
  return (
    <section className="panel job-produced" aria-label="Produced">
      <h2>Produced</h2>
      <dl className="meta">
        <dt>Run</dt>
        <dd>
          <a href={href('/runs/:id', { id: runId })}>
            <code>{runId}</code>
          </a>{' '}
          <span className="muted">
            in <a href={href('/experiments/:id', { id: experimentId })}>experiment {experimentId}</a>
          </span>
        </dd>
        <dt>Model versions</dt>
        <dd>
          <ErrorBanner error={versions.error} onRetry={versions.reload} />
          {versions.loading && !versions.data ? (
            <Loading inline />
          ) : list.length === 0 ? (
            <span className="muted">none registered from this run{ended ? '' : ' yet'}</span>
          ) : (
            <ul className="job-models">
              {list.map((v) => (
                <li key={`${v.name}/${v.version}`}>
                  <a href={href('/models/:name/versions/:version', { name: v.name, version: String(v.version) })}>
                    {v.name} v{v.version}
                  </a>
                </li>
              ))}
            </ul>
          )}
        </dd>
      </dl>
    </section>
  );
}
