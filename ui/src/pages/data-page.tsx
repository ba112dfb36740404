/**
 * Data: `#/data` (datasets), `#/data/:name` (versions, tags, compare), `#/data/:name/:version` (profile,
 * schema warnings, validation results, lineage) and `#/data/:name/diff?from=&to=` (schema changes and drift
 * per column between two versions).
 */
import type { PageDef, PageProps } from '../page.js';
import { DatasetView } from './data/dataset-view.js';
import { DatasetsList } from './data/datasets-list.js';
import { DiffView } from './data/diff-view.js';
import { VersionView } from './data/version-view.js';
import './data/data.css';
import './monitoring/monitoring.css';

function DatasetsPage() {
  return <DatasetsList />;
}

function DatasetPage({ params }: PageProps) {
  return <DatasetView key={params['name']} name={params['name']!} />;
}

function VersionPage({ params, query }: PageProps) {
  return <VersionView key={`${params['name']}@${params['version']}`} name={params['name']!} version={params['version']!} query={query} />;
}

function DiffPage({ params, query }: PageProps) {
  return <DiffView key={params['name']} name={params['name']!} query={query} />;
}

export const pages: PageDef[] = [
  { path: '/data', component: DatasetsPage, section: 'Data', navEntry: true, title: 'Data' },
  { path: '/data/:name', component: DatasetPage, section: 'Data', title: 'Dataset' },
  { path: '/data/:name/diff', component: DiffPage, section: 'Data', title: 'Compare versions' },
  { path: '/data/:name/:version', component: VersionPage, section: 'Data', title: 'Dataset version' },
];
