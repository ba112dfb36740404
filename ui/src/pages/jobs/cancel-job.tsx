/**
 * Cancel, for editors and admins on an active job. The server decides who may (an editor only their own
 * jobs): its refusal is shown in the dialog, in its words.
 */
import { useState } from 'react';
import type { Job } from '../../../../src/sdk/index.js';
import { useClient } from '../../api.js';
import { ConfirmDialog } from '../deployments/confirm-dialog.js';
import { shortJobId } from './job-format.js';

export function CancelJob({ job, onCancelled }: { job: Job; onCancelled: (job: Job) => void }) {
  const client = useClient();
  const [dialog, setDialog] = useState<{ busy: boolean; error?: unknown } | null>(null);

  const confirm = async () => {
    setDialog({ busy: true });
    try {
      const after = await client.jobs.cancel(job.job_id);
      setDialog(null);
      onCancelled(after);
    } catch (error) {
      setDialog({ busy: false, error });
    }
  };

  return (
    <>
      <button type="button" className="danger" onClick={() => setDialog({ busy: false })} disabled={job.cancel_requested}>
        {job.cancel_requested ? 'Cancelling…' : 'Cancel job'}
      </button>
      {dialog ? (
        <ConfirmDialog
          title={`Cancel ${shortJobId(job.job_id)}?`}
          confirmLabel="Yes, cancel it"
          busy={dialog.busy}
          error={dialog.error}
          onConfirm={() => void confirm()}
          onCancel={() => setDialog(null)}
        >
          {job.state === 'queued' ? (
            <p>The job leaves the queue and never runs.</p>
          ) : (
            <p>
              The executor <strong>{job.executor}</strong> stops the job; its run is marked killed.
            </p>
          )}
        </ConfirmDialog>
      ) : null}
    </>
  );
}
