/**
 * A deployment's revision history, newest first (20 a page), each with its traffic split; any earlier
 * revision can be rolled back to after a confirmation showing both splits. A rollback is a new revision.
 */
import { useState } from 'react';
import type { Deployment, DeploymentRevision } from '../../../../src/sdk/index.js';
import { useApi, useClient } from '../../api.js';
import { type Column, DataTable } from '../../components/data-table.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { Loading } from '../../components/loading.js';
import { formatTime } from '../../format.js';
import { ConfirmDialog } from './confirm-dialog.js';
import { specSummary } from './deployment-status.js';

export interface RevisionsProps {
  deployment: Deployment;
  canEdit: boolean;
  onApplied: (d: Deployment, message: string) => void;
}

export function Revisions({ deployment, canEdit, onApplied }: RevisionsProps) {
  const client = useClient();
  const revisions = useApi((c) => c.deployments.revisions(deployment.name), [deployment.name, deployment.revision]);
  const [target, setTarget] = useState<DeploymentRevision | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);

  const rollback = async (to: DeploymentRevision) => {
    setBusy(true);
    setError(undefined);
    try {
      const d = await client.deployments.rollback(deployment.name, to.revision);
      setTarget(null);
      onApplied(d, `Rolled back to revision ${to.revision}: ${specSummary(d.spec)} (now revision ${d.revision}).`);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const columns: Column<DeploymentRevision>[] = [
    {
      id: 'revision',
      header: 'Revision',
      align: 'right',
      sortValue: (r) => r.revision,
      cell: (r) => (r.revision === deployment.revision ? <strong>{r.revision} (current)</strong> : r.revision),
    },
    { id: 'when', header: 'When', sortValue: (r) => r.created_at, cell: (r) => formatTime(r.created_at) },
    { id: 'by', header: 'By', sortValue: (r) => r.created_by, cell: (r) => r.created_by },
    { id: 'comment', header: 'Change', cell: (r) => r.comment },
    { id: 'split', header: 'Traffic split', cell: (r) => <span title={specSummary(r.spec)}>{specSummary(r.spec)}</span> },
    {
      id: 'action',
      header: '',
      cell: (r) =>
        r.revision === deployment.revision ? null : (
          <button
            type="button"
            disabled={!canEdit}
            title={canEdit ? undefined : 'Needs the editor role'}
            aria-label={`Roll back to revision ${r.revision}`}
            onClick={() => {
              setError(undefined);
              setTarget(r);
            }}
          >
            Roll back…
          </button>
        ),
    },
  ];

  return (
    <div>
      <ErrorBanner error={revisions.error} onRetry={revisions.reload} />
      {revisions.loading && !revisions.data ? <Loading label="Loading revisions…" /> : null}
      <DataTable
        label="Revisions"
        columns={columns}
        rows={revisions.data ?? []}
        rowKey={(r) => String(r.revision)}
        pageSize={20}
        empty={revisions.loading ? 'Loading…' : 'No revisions.'}
      />
      {target ? (
        <ConfirmDialog
          title={`Roll ${deployment.name} back to revision ${target.revision}?`}
          confirmLabel={`Roll back to revision ${target.revision}`}
          busy={busy}
          error={error}
          onConfirm={() => void rollback(target)}
          onCancel={() => setTarget(null)}
        >
          <dl className="meta">
            <dt>Now (revision {deployment.revision})</dt>
            <dd>{specSummary(deployment.spec)}</dd>
            <dt>After (as revision {target.revision})</dt>
            <dd>{specSummary(target.spec)}</dd>
          </dl>
          <p className="muted">
            Recorded as revision {deployment.revision + 1}. Its models load beside the current ones and traffic switches without downtime; if they do not load,
            nothing changes.
          </p>
        </ConfirmDialog>
      ) : null}
    </div>
  );
}
