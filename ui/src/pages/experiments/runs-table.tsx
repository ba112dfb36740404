/** One page of runs as a table: name, status, start, duration, and the chosen metric/param/tag columns. */
import type { Run } from '../../../../src/sdk/index.js';
import { type Column, DataTable, type SortState } from '../../components/data-table.js';
import { formatDuration, formatNumber, formatTime } from '../../format.js';
import { href } from '../../router.js';
import { parseFieldRef, runLabel, runValue } from './run-columns.js';

export interface RunsTableProps {
  runs: readonly Run[];
  columns: readonly string[];
  sort: SortState | null;
  onSortChange: (sort: SortState | null) => void;
  selected: ReadonlySet<string>;
  onSelect: (next: Set<string>) => void;
}

const FIXED: Column<Run>[] = [
  {
    id: 'attributes.run_name',
    header: 'Run',
    sortable: true,
    cell: (r) => <a href={href('/runs/:id', { id: r.info.run_id })}>{runLabel(r)}</a>,
  },
  { id: 'attributes.status', header: 'Status', sortable: true, cell: (r) => <span className={`badge ${r.info.status}`}>{r.info.status}</span> },
  { id: 'attributes.start_time', header: 'Started', sortable: true, cell: (r) => formatTime(r.info.start_time) },
  { id: 'duration', header: 'Duration', align: 'right', cell: (r) => (r.info.end_time ? formatDuration(r.info.end_time - r.info.start_time) : '') },
];

function chosenColumn(ref: string): Column<Run> {
  const f = parseFieldRef(ref);
  const numeric = f?.entity === 'metrics';
  return {
    id: ref,
    header: f ? (
      <span>
        <small>{f.entity === 'metrics' ? 'metric' : f.entity === 'params' ? 'param' : f.entity === 'tags' ? 'tag' : ''}</small> {f.key}
      </span>
    ) : (
      ref
    ),
    title: ref,
    sortable: true,
    align: numeric ? 'right' : 'left',
    cell: (r) => {
      const v = runValue(r, ref);
      return numeric ? formatNumber(v) : v === undefined ? '' : String(v);
    },
  };
}

export function RunsTable({ runs, columns, sort, onSortChange, selected, onSelect }: RunsTableProps) {
  const cols = [...FIXED, ...columns.map(chosenColumn)];
  return (
    <DataTable
      label="Runs"
      columns={cols}
      rows={runs}
      rowKey={(r) => r.info.run_id}
      sort={sort}
      onSortChange={onSortChange}
      selection={{ selected, onChange: onSelect }}
      pageSize={Number.MAX_SAFE_INTEGER}
      empty="No runs match."
    />
  );
}
