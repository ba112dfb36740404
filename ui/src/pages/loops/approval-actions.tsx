/**
 * A person's say in a loop run: Approve or Reject (with an optional reason) a run that awaits approval, and,
 * for admins, a forced promotion whatever the gate or judge said (the reason is required and recorded). The
 * server's refusal (the approver is the run's author, say) is shown in its words.
 */
import { useState } from 'react';
import type { LoopRunDetail } from '../../../../src/sdk/index.js';
import { useClient } from '../../api.js';
import { ErrorBanner } from '../../components/error-banner.js';

export function ApprovalPanel({ run, onDone }: { run: LoopRunDetail; onDone: (r: LoopRunDetail) => void }) {
  const client = useClient();
  const [reason, setReason] = useState('');
  const [state, setState] = useState<{ busy: boolean; error?: unknown }>({ busy: false });
  const decide = async (decision: 'approve' | 'reject') => {
    setState({ busy: true });
    try {
      const after = await client.loops.approve(run.loop, run.seq, { decision, ...(reason.trim() ? { reason: reason.trim() } : {}) });
      setState({ busy: false });
      onDone(after);
    } catch (error) {
      setState({ busy: false, error });
    }
  };
  return (
    <section className="panel loop-approval" aria-label="Approval">
      <label>
        Reason (optional)
        <textarea value={reason} maxLength={1000} onChange={(e) => setReason(e.target.value)} />
      </label>
      <ErrorBanner error={state.error} />
      <div className="actions">
        <button type="button" className="primary" disabled={state.busy} onClick={() => void decide('approve')}>
          Approve
        </button>
        <button type="button" className="danger" disabled={state.busy} onClick={() => void decide('reject')}>
          Reject
        </button>
      </div>
    </section>
  );
}

export function ForcePromotion({ run, onDone }: { run: LoopRunDetail; onDone: (r: LoopRunDetail) => void }) {
  const client = useClient();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [state, setState] = useState<{ busy: boolean; error?: unknown }>({ busy: false });
  if (!open)
    return (
      <button type="button" onClick={() => setOpen(true)}>
        Force promotion…
      </button>
    );
  const go = async () => {
    setState({ busy: true });
    try {
      const after = await client.loops.promote(run.loop, run.seq, reason.trim());
      setState({ busy: false });
      setOpen(false);
      onDone(after);
    } catch (error) {
      setState({ busy: false, error });
    }
  };
  return (
    <section className="panel loop-approval" aria-label="Force promotion">
      <p>Promotes version {run.candidate_version ?? '?'} now, whatever the gate or the judge said. The reason is recorded in the run's timeline.</p>
      <label>
        Reason (required)
        <textarea value={reason} maxLength={1000} onChange={(e) => setReason(e.target.value)} />
      </label>
      <ErrorBanner error={state.error} />
      <div className="actions">
        <button type="button" className="danger" disabled={state.busy || !reason.trim()} onClick={() => void go()}>
          Promote now
        </button>
        <button type="button" disabled={state.busy} onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </section>
  );
}
