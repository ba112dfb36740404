/**
 * A/B tests: `#/abtests?state=…&deployment=…` lists the tests between a deployment's model versions (not MLflow
 * experiments); `#/abtests/:name` shows one test's report with the primary metric's lift over time.
 */
import type { PageDef, PageProps } from '../page.js';
import { href, navigate } from '../router.js';
import { isAbTestState } from './abtests/abtest-format.js';
import { AbTestReportView } from './abtests/abtest-report.js';
import { type AbTestFilters, AbTestsList } from './abtests/abtests-list.js';
import './abtests/abtests.css';

function AbTestsPage({ query }: PageProps) {
  const state = query.get('state');
  const filters: AbTestFilters = { state: isAbTestState(state) ? state : undefined, deployment: query.get('deployment') || undefined };
  const onFilters = (f: AbTestFilters) => navigate(href('/abtests', {}, { state: f.state, deployment: f.deployment }), { replace: true });
  return (
    <div>
      <div className="page-header">
        <h1>A/B tests</h1>
      </div>
      <AbTestsList filters={filters} onFilters={onFilters} />
    </div>
  );
}

function AbTestPage({ params }: PageProps) {
  const name = params['name']!;
  return <AbTestReportView key={name} name={name} />;
}

export const pages: PageDef[] = [
  { path: '/abtests', component: AbTestsPage, section: 'A/B tests', navEntry: true, title: 'A/B tests' },
  { path: '/abtests/:name', component: AbTestPage, section: 'A/B tests', title: 'A/B test' },
];
