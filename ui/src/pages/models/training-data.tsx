/**
 * What a model version was trained on (data lineage): its source run's dataset inputs, each linked to the Ferry
 * dataset versions its digest names, with their latest validation results.
 */
import type { ModelLineage } from '../../../../src/sdk/index.js';
import { useApi } from '../../api.js';
import { type Column, DataTable } from '../../components/data-table.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { Loading } from '../../components/loading.js';
import { href } from '../../router.js';

type LineageInput = ModelLineage['datasets'][number];

function validationText(v: LineageInput['dataset_versions'][number]): string {
  const last = v.validations[0];
  if (!last) return '';
  return last.success ? `passed ${last.suite}` : `failed ${last.suite} (${last.failed} of ${last.evaluated})`;
}

const COLUMNS: Column<LineageInput>[] = [
  { id: 'name', header: 'Dataset input', sortValue: (d) => d.name, cell: (d) => d.name },
  { id: 'context', header: 'Context', sortValue: (d) => d.context, cell: (d) => d.context ?? '' },
  { id: 'digest', header: 'Digest', cell: (d) => <code title={d.digest}>{d.digest.slice(0, 12)}</code> },
  {
    id: 'versions',
    header: 'Ferry dataset version',
    cell: (d) =>
      d.dataset_versions.length === 0 ? (
        <span className="muted">not a Ferry dataset version</span>
      ) : (
        <span className="link-list">
          {d.dataset_versions.map((v) => (
            <a key={v.ref} href={href('/data/:name/:version', { name: v.dataset, version: String(v.version) })} title={validationText(v)}>
              {v.ref}{' '}
              <small>
                ({v.rows.toLocaleString()} rows{validationText(v) ? `, ${validationText(v)}` : ''})
              </small>
            </a>
          ))}
        </span>
      ),
  },
];

export function TrainingData({ model, version }: { model: string; version: string }) {
  const lineage = useApi((c) => c.data.modelLineage(model, version), [model, version]);
  if (!lineage.data) {
    return (
      <>
        <ErrorBanner error={lineage.error} onRetry={lineage.reload} />
        {lineage.loading ? <Loading label="Loading lineage…" /> : null}
      </>
    );
  }
  const l = lineage.data;
  if (!l.run) return <p className="muted">Registered without a source run, so no training data is recorded.</p>;
  if (l.datasets.length === 0) return <p className="muted">The source run logged no dataset inputs (mlflow.log_input).</p>;
  return <DataTable label="Training data" columns={COLUMNS} rows={l.datasets} rowKey={(d) => `${d.name}@${d.digest}`} />;
}
