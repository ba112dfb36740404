/**
 * Jobs: `#/jobs?state=…&executor=…` lists jobs (MLflow Projects run locally, on Ray or on Kubernetes) with
 * their state and timing; `#/jobs/:id` shows one job with its live log, Cancel, and the run and model
 * versions it produced.
 */
import type { PageDef, PageProps } from '../page.js';
import { href, navigate } from '../router.js';
import { isJobState } from './jobs/job-format.js';
import { type JobFilters, JobsList } from './jobs/jobs-list.js';
import { JobView } from './jobs/job-view.js';
import './jobs/jobs.css';

function JobsPage({ query }: PageProps) {
  const state = query.get('state');
  const filters: JobFilters = { state: isJobState(state) ? state : undefined, executor: query.get('executor') || undefined };
  const onFilters = (f: JobFilters) => navigate(href('/jobs', {}, { state: f.state, executor: f.executor }), { replace: true });
  return (
    <div>
      <div className="page-header">
        <h1>Jobs</h1>
      </div>
      <JobsList key={`${filters.state ?? ''}|${filters.executor ?? ''}`} filters={filters} onFilters={onFilters} />
    </div>
  );
}

function JobPage({ params }: PageProps) {
  const id = params['id']!;
  return <JobView key={id} jobId={id} />;
}

export const pages: PageDef[] = [
  { path: '/jobs', component: JobsPage, section: 'Jobs', navEntry: true, title: 'Jobs' },
  { path: '/jobs/:id', component: JobPage, section: 'Jobs', title: 'Job' },
];
