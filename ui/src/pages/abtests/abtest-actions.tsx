/**
 * Start (a draft) and Stop (a running test), for editors and admins. Stopping ends the assignment (the
 * deployment routes by weight again) and keeps the report; the server's refusal (another test already running
 * on the deployment, say) is shown in the dialog, in its words.
 */
import { useState } from 'react';
import type { AbTestInfo } from '../../../../src/sdk/index.js';
import { useClient } from '../../api.js';
import { ConfirmDialog } from '../deployments/confirm-dialog.js';

export function AbTestActions({ test, onChanged }: { test: AbTestInfo; onChanged: (t: AbTestInfo) => void }) {
  const client = useClient();
  const [dialog, setDialog] = useState<{ busy: boolean; error?: unknown } | null>(null);
  const [reason, setReason] = useState('');
  if (test.state === 'stopped') return null;
  const stopping = test.state === 'running';

  const confirm = async () => {
    setDialog({ busy: true });
    try {
      const after = stopping ? await client.abtests.stop(test.name, reason.trim() || undefined) : await client.abtests.start(test.name);
      setDialog(null);
      onChanged(after);
    } catch (error) {
      setDialog({ busy: false, error });
    }
  };

  return (
    <>
      <button type="button" className={stopping ? 'danger' : undefined} onClick={() => setDialog({ busy: false })}>
        {stopping ? 'Stop test' : 'Start test'}
      </button>
      {dialog ? (
        <ConfirmDialog
          title={`${stopping ? 'Stop' : 'Start'} ${test.name}?`}
          confirmLabel={stopping ? 'Yes, stop it' : 'Yes, start it'}
          busy={dialog.busy}
          error={dialog.error}
          onConfirm={() => void confirm()}
          onCancel={() => setDialog(null)}
        >
          {stopping ? (
            <>
              <p>
                Units are no longer assigned by the test: <strong>{test.deployment}</strong> routes by its weights again. The report stays.
              </p>
              <label>
                Reason (optional) <input type="text" value={reason} maxLength={1000} onChange={(e) => setReason(e.target.value)} />
              </label>
            </>
          ) : (
            <p>
              <strong>{test.deployment}</strong>'s traffic is split by this test from now on (one running test per deployment).
            </p>
          )}
        </ConfirmDialog>
      ) : null}
    </>
  );
}
