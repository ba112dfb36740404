/**
 * A registered model: `#/models/:name` — description, tags, aliases, the deployments that serve it, and its
 * versions newest first, one page at a time (`?size=`), each with its aliases, source run and signature.
 */
import { type ModelVersion, quoteFilterValue } from '../../../../src/sdk/index.js';
import type { PageProps } from '../../page.js';
import { useApi } from '../../api.js';
import { type Column, DataTable, Pager } from '../../components/data-table.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { Loading } from '../../components/loading.js';
import { formatTime } from '../../format.js';
import { href, navigate } from '../../router.js';
import { AliasBadges } from './alias-badges.js';
import { MODEL_PAGE_SIZES, pageSizeOf } from './model-search.js';
import { pct } from '../deployments/deployment-status.js';
import { modelUsage, type ModelUsage } from './model-usage.js';
import { signatureFromTags, signatureSummary } from './signature.js';
import { useTokenPages } from '../../use-token-pages.js';

const versionColumns = (name: string): Column<ModelVersion>[] => [
  {
    id: 'version',
    header: 'Version',
    align: 'right',
    cell: (v) => <a href={href('/models/:name/versions/:version', { name, version: v.version })}>v{v.version}</a>,
  },
  { id: 'aliases', header: 'Aliases', cell: (v) => <AliasBadges model={name} aliases={(v.aliases ?? []).map((alias) => ({ alias }))} /> },
  { id: 'status', header: 'Status', cell: (v) => <span className="badge">{v.status}</span> },
  { id: 'stage', header: 'Stage', cell: (v) => (v.current_stage && v.current_stage !== 'None' ? v.current_stage : '') },
  { id: 'created', header: 'Registered', cell: (v) => formatTime(v.creation_timestamp) },
  {
    id: 'run',
    header: 'Source run',
    cell: (v) =>
      v.run_id ? (
        <a href={href('/runs/:id', { id: v.run_id })}>
          <code>{v.run_id.slice(0, 12)}</code>
        </a>
      ) : (
        <span className="muted">—</span>
      ),
  },
  { id: 'signature', header: 'Signature', cell: (v) => signatureSummary(signatureFromTags(v.tags)) || <span className="muted">open the version</span> },
  { id: 'description', header: 'Description', cell: (v) => <span title={v.description}>{v.description}</span> },
];

const USAGE_COLUMNS: Column<ModelUsage>[] = [
  { id: 'deployment', header: 'Deployment', cell: (u) => <a href={href('/deployments/:name', { name: u.deployment })}>{u.deployment}</a> },
  { id: 'role', header: 'Role', cell: (u) => u.role },
  { id: 'ref', header: 'Version', cell: (u) => u.ref },
  { id: 'share', header: 'Traffic', align: 'right', cell: (u) => (u.share === null ? 'copy of all' : pct(u.share)) },
];

export function ModelDetailPage({ params, query }: PageProps) {
  // One instance per model, so the previous model's data never shows under the next one's name.
  return <ModelDetail key={params['name']!} name={params['name']!} query={query} />;
}

function ModelDetail({ name, query }: { name: string; query: URLSearchParams }) {
  const size = pageSizeOf(query.get('size'));
  const model = useApi((c) => c.models.get(name), [name]);
  const deployments = useApi((c) => c.deployments.list(), []);
  const versions = useTokenPages(JSON.stringify({ name, size }), async (c, pageToken) => {
    const r = await c.modelVersions.search({ filter: `name = ${quoteFilterValue(name)}`, maxResults: size, orderBy: ['version DESC'], pageToken });
    return { items: r.model_versions, next: r.next_page_token };
  });
  const m = model.data;
  const tags = (m?.tags ?? []).filter((t) => !t.key.startsWith('mlflow.'));
  const usage = deployments.data ? modelUsage(deployments.data, name) : [];
  const first = versions.page * size + 1;

  return (
    <div>
      <div className="page-header">
        <h1>{name}</h1>
        <a href={href('/models')}>← Models</a>
      </div>
      <ErrorBanner error={model.error} onRetry={model.reload} />
      {model.loading && !m ? <Loading /> : null}
      {m ? (
        <dl className="meta panel">
          <dt>Description</dt>
          <dd>{m.description || <span className="muted">none</span>}</dd>
          <dt>Aliases</dt>
          <dd>
            <AliasBadges model={name} aliases={m.aliases ?? []} />
          </dd>
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
          <dt>Created</dt>
          <dd>{formatTime(m.creation_timestamp)}</dd>
          <dt>Last updated</dt>
          <dd>{formatTime(m.last_updated_timestamp)}</dd>
        </dl>
      ) : null}

      <h2>Versions</h2>
      <div className="toolbar">
        <label>
          Rows per page{' '}
          <select
            value={size}
            onChange={(e) => navigate(href('/models/:name', { name }, { size: Number(e.target.value) === 50 ? undefined : e.target.value }), { replace: true })}
          >
            {MODEL_PAGE_SIZES.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ErrorBanner error={versions.error} onRetry={versions.reload} />
      {versions.loading ? <Loading label="Loading versions…" /> : null}
      <DataTable
        label="Versions"
        columns={versionColumns(name)}
        rows={versions.items}
        rowKey={(v) => v.version}
        pageSize={size}
        empty={versions.loading ? 'Loading…' : 'No versions.'}
      />
      <Pager
        label={versions.items.length > 0 ? `Page ${versions.page + 1} · versions ${first}–${first + versions.items.length - 1}` : `Page ${versions.page + 1}`}
        onPrev={versions.prev}
        onNext={versions.next}
      />

      <h2>Deployed in</h2>
      <ErrorBanner error={deployments.error} onRetry={deployments.reload} />
      {deployments.data ? (
        <DataTable
          label="Deployments of this model"
          columns={USAGE_COLUMNS}
          rows={usage}
          rowKey={(u) => `${u.deployment}/${u.role}/${u.ref}`}
          empty="No deployment serves this model."
        />
      ) : deployments.loading ? (
        <Loading inline />
      ) : null}
    </div>
  );
}
