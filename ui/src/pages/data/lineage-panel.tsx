/** Which runs and model versions used a dataset version (MLflow inputs linked by digest). */
import type { DatasetLineage } from '../../../../src/sdk/index.js';
import { useApi } from '../../api.js';
import { type Column, DataTable } from '../../components/data-table.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { Loading } from '../../components/loading.js';
import { href } from '../../router.js';

type RunRow = DatasetLineage['runs'][number];
type ModelRow = DatasetLineage['model_versions'][number];

const RUN_COLUMNS: Column<RunRow>[] = [
  { id: 'run', header: 'Run', cell: (r) => <a href={href('/runs/:id', { id: r.run_id })}>{r.run_name || r.run_id}</a> },
  { id: 'experiment', header: 'Experiment', cell: (r) => <a href={href('/experiments/:id', { id: r.experiment_id })}>{r.experiment_id}</a> },
  { id: 'status', header: 'Status', cell: (r) => <span className={`badge ${r.status}`}>{r.status}</span> },
  { id: 'context', header: 'Used for', cell: (r) => r.context ?? '' },
  { id: 'input', header: 'Input name', cell: (r) => r.input_name },
];

const MODEL_COLUMNS: Column<ModelRow>[] = [
  { id: 'model', header: 'Model', cell: (m) => <a href={href('/models/:name', { name: m.name })}>{m.name}</a> },
  { id: 'version', header: 'Version', cell: (m) => `v${m.version}` },
  { id: 'status', header: 'Status', cell: (m) => m.status },
  { id: 'run', header: 'Trained by run', cell: (m) => (m.run_id ? <a href={href('/runs/:id', { id: m.run_id })}>{m.run_id}</a> : '') },
];

export function LineagePanel({ name, version }: { name: string; version: string }) {
  const lineage = useApi((c) => c.data.lineage(name, version), [name, version]);
  if (!lineage.data) {
    return (
      <>
        <ErrorBanner error={lineage.error} onRetry={lineage.reload} />
        {lineage.loading ? <Loading label="Loading lineage…" /> : null}
      </>
    );
  }
  const l = lineage.data;
  return (
    <div>
      <h3>Runs that used {l.ref}</h3>
      <DataTable
        label="Runs using this version"
        columns={RUN_COLUMNS}
        rows={l.runs}
        rowKey={(r) => `${r.run_id}|${r.input_name}|${r.context ?? ''}`}
        empty="No run recorded this version as an input (mlflow.log_input with its digest)."
      />
      <h3>Model versions trained on it</h3>
      <DataTable
        label="Model versions using this version"
        columns={MODEL_COLUMNS}
        rows={l.model_versions}
        rowKey={(m) => `${m.name}/${m.version}`}
        empty="No model version comes from those runs."
      />
    </div>
  );
}
