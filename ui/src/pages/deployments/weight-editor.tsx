/**
 * Changing a deployment's traffic split: one whole-number weight per route, checked as typed, the shares they
 * give, then a confirmation listing what changes. Applying re-reads the deployment first and refuses when it
 * changed meanwhile (someone else's revision), so an edit never silently undoes another.
 */
import { useEffect, useState } from 'react';
import type { Deployment } from '../../../../src/sdk/index.js';
import { useClient } from '../../api.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { ConfirmDialog } from './confirm-dialog.js';
import { pct } from './deployment-status.js';
import { checkWeights, refLabel, specWithWeights, weightChanges } from './weights.js';

export class StaleDeploymentError extends Error {
  constructor(name: string, seen: number, now: number) {
    super(
      `Deployment '${name}' changed since this page loaded it (revision ${seen}, now ${now}). Its current weights are shown again; review them and apply once more.`,
    );
    this.name = 'StaleDeploymentError';
  }
}

export function WeightEditor({ deployment, onApplied }: { deployment: Deployment; onApplied: (d: Deployment, message: string) => void }) {
  const client = useClient();
  const initial = deployment.spec.routes.map((r) => String(r.weight));
  const [texts, setTexts] = useState(initial);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  // A new revision (ours or anyone's) resets the form to its weights.
  useEffect(() => setTexts(deployment.spec.routes.map((r) => String(r.weight))), [deployment.name, deployment.revision]);

  const check = checkWeights(texts);
  const changes = check.weights ? weightChanges(deployment.spec, check.weights) : [];
  const dirty = texts.some((t, i) => t.trim() !== initial[i]);

  const apply = async () => {
    if (!check.weights) return;
    setBusy(true);
    setError(undefined);
    try {
      const latest = await client.deployments.get(deployment.name);
      if (latest.revision !== deployment.revision) {
        // Show the error beside the form (now holding the new revision's weights), not in a dialog that could apply them.
        setConfirming(false);
        setError(new StaleDeploymentError(deployment.name, deployment.revision, latest.revision));
        onApplied(latest, '');
        return;
      }
      const updated = await client.deployments.update(deployment.name, specWithWeights(latest.spec, check.weights));
      setConfirming(false);
      onApplied(updated, `Weights applied: ${changes.map((c) => `${c.route} ${pct(c.toShare)}`).join(', ')} (revision ${updated.revision}).`);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="weight-editor panel">
      <h3>Change weights</h3>
      <table aria-label="Weights">
        <thead>
          <tr>
            <th>Route</th>
            <th className="num">Now</th>
            <th className="num">New weight</th>
            <th>New share</th>
          </tr>
        </thead>
        <tbody>
          {deployment.spec.routes.map((r, i) => (
            <tr key={i}>
              <td>
                <code>{refLabel(r)}</code>
              </td>
              <td className="num">{r.weight}</td>
              <td className="num">
                <input
                  type="number"
                  min={0}
                  step={1}
                  inputMode="numeric"
                  aria-label={`Weight of ${refLabel(r)}`}
                  aria-invalid={check.errors[i] ? true : undefined}
                  value={texts[i] ?? ''}
                  onChange={(e) => setTexts(texts.map((t, j) => (j === i ? e.target.value : t)))}
                />
              </td>
              <td>
                {check.errors[i] ? (
                  <span className="problem" role="alert">
                    {check.errors[i]}
                  </span>
                ) : (
                  <>
                    <span className="share-bar" style={{ width: `${Math.round((check.shares[i] ?? 0) * 120)}px` }} />
                    {pct(check.shares[i] ?? 0)}
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {check.problem ? (
        <p className="problem" role="alert">
          {check.problem}
        </p>
      ) : null}
      {!confirming && error instanceof StaleDeploymentError ? (
        <div className="error-banner" role="alert">
          <strong>Changed meanwhile</strong>
          <span className="error-detail">{error.message}</span>
        </div>
      ) : null}
      {!confirming && !(error instanceof StaleDeploymentError) ? <ErrorBanner error={error} /> : null}
      <div className="toolbar">
        <button
          type="button"
          className="primary"
          disabled={!check.weights || changes.length === 0}
          onClick={() => {
            setError(undefined);
            setConfirming(true);
          }}
        >
          Apply weights…
        </button>
        <button type="button" disabled={!dirty} onClick={() => setTexts(initial)}>
          Reset
        </button>
        <span className="muted">Weights are relative: 90 and 10 send 90% and 10% of requests.</span>
      </div>
      {confirming && check.weights ? (
        <ConfirmDialog
          title={`Change the traffic split of ${deployment.name}?`}
          confirmLabel="Apply weights"
          busy={busy}
          error={error}
          onConfirm={() => void apply()}
          onCancel={() => setConfirming(false)}
        >
          <ul>
            {changes.map((c) => (
              <li key={c.route}>
                <code>{c.route}</code>: {c.from} → {c.to} ({pct(c.fromShare)} → {pct(c.toShare)})
              </li>
            ))}
          </ul>
          <p className="muted">This records revision {deployment.revision + 1}; traffic switches without downtime once it is ready.</p>
        </ConfirmDialog>
      ) : null}
    </div>
  );
}
