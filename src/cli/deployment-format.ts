/** Readable output for deployments: the list, one deployment's details with its routes, and revision history. */
import type { Deployment, DeploymentModelRef, DeploymentRevision, DeploymentRouteStatus, DeploymentSpec } from '../sdk/index.js';
import { formatTime } from './context.js';
import { percentText, refText } from './model-refs.js';
import { formatDetails, formatTable, heading } from './table.js';

export interface RouteRow {
  role: 'main' | 'canary' | 'shadow';
  ref: DeploymentModelRef;
  /** A share of traffic ('' for shadow routes, which get a copy). */
  weight: string;
  status?: DeploymentRouteStatus;
}

const totalWeight = (spec: DeploymentSpec) => spec.routes.reduce((sum, r) => sum + r.weight, 0);

/**
 * The spec's routes (main first, then canaries, then shadows) beside the runtime's status for them. The status
 * lists routes in the same order, and belongs to this revision only when it was the one applied last.
 */
export function routeRows(d: Deployment): RouteRow[] {
  const total = totalWeight(d.spec);
  const statuses = d.status.applied_revision === d.revision ? d.status.routes : [];
  const main: RouteRow[] = d.spec.routes.map((r, i) => ({ role: i === 0 ? 'main' : 'canary', ref: r, weight: percentText(r.weight, total) }));
  const shadow: RouteRow[] = d.spec.shadow.map((r) => ({ role: 'shadow', ref: r, weight: '' }));
  return [...main, ...shadow].map((row, i) => ({ ...row, status: statuses[i] }));
}

export function routesTable(rows: readonly RouteRow[], opts: { indent?: number } = {}): string {
  return formatTable(
    [
      { header: 'ROUTE', value: (r) => r.role },
      { header: 'MODEL', value: (r) => r.ref.model, maxWidth: 60 },
      { header: 'REF', value: (r) => (r.ref.alias !== undefined ? `@${r.ref.alias}` : r.ref.version) },
      { header: 'VERSION', value: (r) => r.status?.version ?? r.ref.version, align: 'right' },
      { header: 'WEIGHT', value: (r) => r.weight, align: 'right' },
      { header: 'STATE', value: (r) => r.status?.state ?? 'not loaded' },
      { header: 'REASON', value: (r) => r.status?.reason, maxWidth: 100 },
    ],
    rows,
    opts,
  );
}

/** `credit:1 90%, credit:2 10%, shadow credit@challenger` */
export function routeSummary(spec: DeploymentSpec): string {
  const total = totalWeight(spec);
  return [...spec.routes.map((r) => `${refText(r)} ${percentText(r.weight, total)}`), ...spec.shadow.map((r) => `shadow ${refText(r)}`)].join(', ');
}

const serving = (d: Deployment) => (d.status.serving_revision === null ? 'not serving' : `revision ${d.status.serving_revision}`);

export function deploymentsTable(deployments: readonly Deployment[]): string {
  return formatTable(
    [
      { header: 'NAME', value: (d) => d.name, maxWidth: 63 },
      { header: 'REVISION', value: (d) => d.revision, align: 'right' },
      { header: 'SERVING', value: serving },
      { header: 'ROUTES', value: (d) => routeSummary(d.spec), maxWidth: 100 },
      { header: 'UPDATED', value: (d) => formatTime(d.updated_at) },
    ],
    deployments,
  );
}

export function revisionsTable(revisions: readonly DeploymentRevision[], opts: { indent?: number } = {}): string {
  return formatTable(
    [
      { header: 'REVISION', value: (r) => r.revision, align: 'right' },
      { header: 'CREATED', value: (r) => formatTime(r.created_at) },
      { header: 'BY', value: (r) => r.created_by },
      { header: 'COMMENT', value: (r) => r.comment },
      { header: 'ROUTES', value: (r) => routeSummary(r.spec), maxWidth: 100 },
    ],
    revisions,
    opts,
  );
}

/** Details, the routes table and (when given) the revision history. */
export function deploymentDetails(d: Deployment, revisions?: readonly DeploymentRevision[]): string {
  const b = d.spec.batching;
  const parts = [
    formatDetails([
      ['Name', d.name],
      ['Revision', d.revision],
      ['Serving', serving(d)],
      ['Sticky key', d.spec.sticky_key],
      ['Batching', `up to ${b.max_batch_size} rows, wait ≤ ${b.max_queue_delay_ms} ms, queue ≤ ${b.max_queue_rows} rows`],
      ['Created', `${formatTime(d.created_at)} by ${d.created_by}`],
      ['Updated', formatTime(d.updated_at)],
    ]),
    `\n${heading('Routes')}${routesTable(routeRows(d), { indent: 2 })}`,
  ];
  if (revisions) parts.push(`\n${heading('Revisions')}${revisions.length ? revisionsTable(revisions, { indent: 2 }) : '  (none)\n'}`);
  return parts.join('');
}
