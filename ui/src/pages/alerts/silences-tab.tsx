/** Silences: active and pending ones (expired too on request), a form to add one, and expiring (editors). */
import { useState } from 'react';
import type { Silence } from '../../../../src/sdk/index.js';
import { useApi, useClient } from '../../api.js';
import { type Column, DataTable } from '../../components/data-table.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { Loading } from '../../components/loading.js';
import { formatTime } from '../../format.js';
import { matchersText } from './alert-groups.js';
import { SilenceForm } from './silence-form.js';

export function SilencesTab({ canEdit }: { canEdit: boolean }) {
  const client = useClient();
  const [all, setAll] = useState(false);
  const silences = useApi((c) => c.alerts.listSilences({ all }), [all]);
  const [busy, setBusy] = useState<string | null>(null);
  const [actionError, setActionError] = useState<unknown>(undefined);

  const expire = async (s: Silence) => {
    setBusy(s.id);
    setActionError(undefined);
    try {
      await client.alerts.expireSilence(s.id);
      silences.reload();
    } catch (err) {
      setActionError(err);
    } finally {
      setBusy(null);
    }
  };

  const columns: Column<Silence>[] = [
    { id: 'status', header: 'Status', sortValue: (s) => s.status, cell: (s) => <span className={`badge ${s.status}`}>{s.status}</span> },
    { id: 'matchers', header: 'Matchers', cell: (s) => <code>{matchersText(s.matchers)}</code> },
    { id: 'starts', header: 'Starts', sortValue: (s) => s.starts_at, cell: (s) => formatTime(s.starts_at) },
    { id: 'ends', header: 'Ends', sortValue: (s) => s.ends_at, cell: (s) => formatTime(s.ends_at) },
    { id: 'comment', header: 'Comment', cell: (s) => s.comment },
    { id: 'by', header: 'Created by', cell: (s) => s.created_by },
    ...(canEdit
      ? [
          {
            id: 'actions',
            header: '',
            cell: (s: Silence) =>
              s.status === 'expired' ? null : (
                <button type="button" disabled={busy === s.id} onClick={() => void expire(s)} aria-label={`Expire silence ${matchersText(s.matchers)}`}>
                  Expire
                </button>
              ),
          },
        ]
      : []),
  ];

  return (
    <div>
      {canEdit ? <SilenceForm onCreated={silences.reload} /> : <p className="muted">Viewers can see silences; an editor can add or expire them.</p>}
      <div className="toolbar">
        <label>
          <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} /> Show expired
        </label>
      </div>
      <ErrorBanner error={actionError} />
      <ErrorBanner error={silences.error} onRetry={silences.reload} />
      {silences.loading && !silences.data ? <Loading label="Loading silences…" /> : null}
      {silences.data ? <DataTable label="Silences" columns={columns} rows={silences.data} rowKey={(s) => s.id} empty="No silences." /> : null}
    </div>
  );
}
