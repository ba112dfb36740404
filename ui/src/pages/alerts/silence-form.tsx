/** A new silence: matchers (`name=value` or `name=~regex`), how long, and why. */
import { type FormEvent, useState } from 'react';
import { useClient } from '../../api.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { parseMatcherText } from './alert-groups.js';

const DURATIONS = ['1h', '2h', '4h', '12h', '1d', '1w'];

export function SilenceForm({ onCreated }: { onCreated: () => void }) {
  const client = useClient();
  const [matchers, setMatchers] = useState('');
  const [duration, setDuration] = useState('2h');
  const [comment, setComment] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const parsed = parseMatcherText(matchers);
    if (parsed.error) {
      setError(new Error(parsed.error));
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await client.alerts.createSilence({ matchers: parsed.matchers, duration, comment });
      setMatchers('');
      setComment('');
      onCreated();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="panel silence-form" onSubmit={(e) => void submit(e)} aria-label="New silence">
      <h3>New silence</h3>
      <div className="toolbar">
        <label className="grow">
          Matchers{' '}
          <input
            value={matchers}
            onChange={(e) => setMatchers(e.target.value)}
            placeholder="deployment=credit, severity=~warning|critical"
            aria-label="Matchers"
          />
        </label>
        <label>
          For{' '}
          <select value={duration} onChange={(e) => setDuration(e.target.value)} aria-label="Duration">
            {DURATIONS.map((d) => (
              <option key={d} value={d}>
                {d}
              </option>
            ))}
          </select>
        </label>
        <label className="grow">
          Comment <input value={comment} onChange={(e) => setComment(e.target.value)} aria-label="Comment" />
        </label>
        <button type="submit" className="primary" disabled={busy}>
          Silence
        </button>
      </div>
      <small className="muted">Match on deployment, rule, severity, metric or a rule label; every matcher must match.</small>
      <ErrorBanner error={error} />
    </form>
  );
}
