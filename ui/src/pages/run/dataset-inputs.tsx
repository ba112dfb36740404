/** A run's dataset inputs, each linked to the Ferry dataset version its digest names (lineage), when there is one. */
import type { DatasetInput, FerryClient } from '../../../../src/sdk/index.js';
import { FerryApiError, useApi } from '../../api.js';
import { type Column, DataTable } from '../../components/data-table.js';
import { errorText } from '../../components/error-text.js';
import { href } from '../../router.js';
import { ferryDatasetRef, inputContext, sourceUrl } from './dataset-ref.js';

interface Resolved {
  input: DatasetInput;
  /** The Ferry version, or why there is none. */
  version: { name: string; version: number; rows: number } | { none: string };
}

async function resolve(client: FerryClient, input: DatasetInput): Promise<Resolved> {
  const ref = ferryDatasetRef(input);
  if (!ref) return { input, version: { none: 'no digest Ferry can look up' } };
  try {
    const v = await client.data.version(ref.name, ref.ref);
    return { input, version: { name: v.dataset, version: v.version, rows: v.rows } };
  } catch (err) {
    if (err instanceof FerryApiError && err.status === 404) return { input, version: { none: 'not a Ferry dataset version' } };
    return { input, version: { none: errorText(err).detail } };
  }
}

export function DatasetInputs({ inputs }: { inputs: readonly DatasetInput[] }) {
  const key = inputs.map((i) => `${i.dataset.name}@${i.dataset.digest}`).join(',');
  const resolved = useApi((c) => Promise.all(inputs.map((i) => resolve(c, i))), [key]);
  if (inputs.length === 0) return <p className="muted">This run logged no dataset inputs (mlflow.log_input).</p>;

  const rows: Resolved[] = resolved.data ?? inputs.map((input) => ({ input, version: { none: 'looking up…' } }));
  const columns: Column<Resolved>[] = [
    { id: 'name', header: 'Dataset', sortValue: (r) => r.input.dataset.name, cell: (r) => r.input.dataset.name },
    { id: 'context', header: 'Context', sortValue: (r) => inputContext(r.input), cell: (r) => inputContext(r.input) ?? '' },
    { id: 'digest', header: 'Digest', cell: (r) => <code title={r.input.dataset.digest}>{r.input.dataset.digest.slice(0, 12)}</code> },
    {
      id: 'ferry',
      header: 'Ferry version',
      cell: (r) =>
        'none' in r.version ? (
          <span className="muted">{r.version.none}</span>
        ) : (
          <a href={href('/data/:name/:version', { name: r.version.name, version: String(r.version.version) })}>
            {r.version.name}@{r.version.version} <small>({r.version.rows.toLocaleString()} rows)</small>
          </a>
        ),
    },
    {
      id: 'source',
      header: 'Source',
      cell: (r) => (
        <span className="mono" title={sourceUrl(r.input.dataset.source)}>
          {r.input.dataset.source_type}: {sourceUrl(r.input.dataset.source)}
        </span>
      ),
    },
  ];
  return <DataTable label="Dataset inputs" columns={columns} rows={rows} rowKey={(r) => `${r.input.dataset.name}@${r.input.dataset.digest}`} />;
}
