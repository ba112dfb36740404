/**
 * Scores a labelled dataset version with the model version and stores a fairness report (editors): the dataset
 * as NAME@VERSION, its label column, the sensitive features (comma-separated; several give their intersections)
 * and the minimum group size. The server answers the report, which the page then opens.
 */
import { useState } from 'react';
import type { FairnessReport } from '../../../../src/sdk/index.js';
import { useClient } from '../../api.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { parseDatasetRef } from '../explain/waterfall.js';

export function FairnessForm({ model, version, onCreated }: { model: string; version: string; onCreated: (r: FairnessReport) => void }) {
  const client = useClient();
  const [dataset, setDataset] = useState('');
  const [label, setLabel] = useState('');
  const [sensitive, setSensitive] = useState('');
  const [minGroup, setMinGroup] = useState('30');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [formError, setFormError] = useState('');

  const submit = () => {
    const ref = parseDatasetRef(dataset);
    const features = sensitive
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    const min = Number(minGroup);
    const problem = !ref
      ? 'Name the dataset as NAME@VERSION, e.g. credit-train@1.'
      : label.trim() === ''
        ? 'Name the label column.'
        : features.length === 0
          ? 'Name at least one sensitive feature.'
          : !Number.isInteger(min) || min < 0
            ? 'The minimum group size is a whole number, 0 or more.'
            : '';
    setFormError(problem);
    if (problem || !ref) return;
    setBusy(true);
    setError(undefined);
    client.fairness
      .create(model, version, {
        dataset: ref.dataset,
        dataset_version: Number(ref.version),
        label: label.trim(),
        sensitive_features: features,
        min_group_size: min,
      })
      .then(
        (r) => {
          setBusy(false);
          onCreated(r);
        },
        (e: unknown) => {
          setBusy(false);
          setError(e);
        },
      );
  };

  return (
    <details className="panel fairness-form">
      <summary>New fairness report</summary>
      <div className="toolbar">
        <label>
          Dataset <input aria-label="Fairness dataset" placeholder="dataset@version" value={dataset} onChange={(e) => setDataset(e.target.value)} />
        </label>
        <label>
          Label <input aria-label="Fairness label column" placeholder="column" value={label} onChange={(e) => setLabel(e.target.value)} />
        </label>
        <label>
          Sensitive features{' '}
          <input aria-label="Sensitive features" placeholder="sex, age_band" value={sensitive} onChange={(e) => setSensitive(e.target.value)} />
        </label>
        <label>
          Min group size <input aria-label="Minimum group size" type="number" min={0} value={minGroup} onChange={(e) => setMinGroup(e.target.value)} />
        </label>
        <button type="button" onClick={submit} disabled={busy}>
          {busy ? 'Scoring…' : 'Create report'}
        </button>
      </div>
      {formError ? (
        <p className="error-inline" role="alert">
          {formError}
        </p>
      ) : null}
      <ErrorBanner error={error} />
    </details>
  );
}
