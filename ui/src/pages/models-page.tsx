/**
 * Models: the registry's models, searched by name on the server and read one page at a time
 * (`#/models?q=credit&size=50`); a model's page with its versions (models/model-detail.tsx) and a version's
 * page with its signature, source run and training data (models/version-detail.tsx).
 */
import type { RegisteredModel } from '../../../src/sdk/index.js';
import './models/models.css';
import type { PageDef, PageProps } from '../page.js';
import { type Column, DataTable, Pager } from '../components/data-table.js';
import { ErrorBanner } from '../components/error-banner.js';
import { Loading } from '../components/loading.js';
import { formatTime } from '../format.js';
import { href, navigate } from '../router.js';
import { AliasBadges } from './models/alias-badges.js';
import { ModelDetailPage } from './models/model-detail.js';
import { latestVersion, MODEL_PAGE_SIZES, modelNameFilter, pageSizeOf } from './models/model-search.js';
import { SearchBox } from './models/search-box.js';
import { useTokenPages } from '../use-token-pages.js';
import { VersionDetailPage } from './models/version-detail.js';

const COLUMNS: Column<RegisteredModel>[] = [
  { id: 'name', header: 'Name', cell: (m) => <a href={href('/models/:name', { name: m.name })}>{m.name}</a> },
  {
    id: 'latest',
    header: 'Latest version',
    align: 'right',
    cell: (m) => {
      const v = latestVersion(m);
      return v ? <a href={href('/models/:name/versions/:version', { name: m.name, version: v })}>v{v}</a> : <span className="muted">none</span>;
    },
  },
  {
    id: 'aliases',
    header: 'Aliases',
    cell: (m) => <AliasBadges aliases={(m.aliases ?? []).map((a) => ({ alias: a.alias, version: a.version }))} model={m.name} />,
  },
  { id: 'description', header: 'Description', cell: (m) => <span title={m.description}>{m.description}</span> },
  { id: 'updated', header: 'Last updated', cell: (m) => formatTime(m.last_updated_timestamp) },
];

function ModelsPage({ query }: PageProps) {
  const search = query.get('q') ?? '';
  const size = pageSizeOf(query.get('size'));
  const filter = modelNameFilter(search);
  const pages = useTokenPages(JSON.stringify({ filter, size }), async (c, pageToken) => {
    const r = await c.models.search({ filter, maxResults: size, orderBy: ['name ASC'], pageToken });
    return { items: r.registered_models, next: r.next_page_token };
  });
  const update = (patch: { q?: string; size?: number }) => {
    const next = { q: search, size, ...patch };
    navigate(href('/models', {}, { q: next.q, size: next.size === 50 ? undefined : next.size }), { replace: true });
  };

  const first = pages.page * size + 1;
  return (
    <div>
      <div className="page-header">
        <h1>Models</h1>
        <span className="muted">registered models, by name</span>
      </div>
      <div className="toolbar">
        <SearchBox label="Search models" placeholder="Search by name (% and _ are wildcards)" value={search} onSearch={(q) => update({ q })} />
        <label>
          Rows per page{' '}
          <select value={size} onChange={(e) => update({ size: Number(e.target.value) })}>
            {MODEL_PAGE_SIZES.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ErrorBanner error={pages.error} onRetry={pages.reload} />
      {pages.loading ? <Loading label="Loading models…" /> : null}
      <DataTable
        label="Models"
        columns={COLUMNS}
        rows={pages.items}
        rowKey={(m) => m.name}
        pageSize={size}
        empty={
          pages.loading
            ? 'Loading…'
            : search
              ? `No model name matches “${search}”.`
              : 'No registered models yet (ferry models register model.onnx --name NAME).'
        }
      />
      <Pager
        label={
          pages.items.length > 0
            ? `Page ${pages.page + 1} · models ${first.toLocaleString()}–${(first + pages.items.length - 1).toLocaleString()}`
            : `Page ${pages.page + 1}`
        }
        onPrev={pages.prev}
        onNext={pages.next}
      />
    </div>
  );
}

export const pages: PageDef[] = [
  { path: '/models', component: ModelsPage, section: 'Models', navEntry: true, title: 'Models' },
  { path: '/models/:name', component: ModelDetailPage, section: 'Models', title: 'Model' },
  { path: '/models/:name/versions/:version', component: VersionDetailPage, section: 'Models', title: 'Model version' },
];
