/** The deployment's attached suites, judged on each traffic window (shown only when a suite is attached). */
import type { Column } from '../../components/data-table.js';
import { DataTable } from '../../components/data-table.js';
import { formatTime } from '../../format.js';
import type { QualityWindow, TrafficValidation } from './monitoring-data.js';

interface Row {
  key: string;
  start: string;
  v: TrafficValidation;
}

const COLUMNS: Column<Row>[] = [
  { id: 'window', header: 'Window', sortValue: (r) => r.start, cell: (r) => formatTime(Date.parse(r.start)) },
  { id: 'suite', header: 'Suite', sortValue: (r) => r.v.suite, cell: (r) => r.v.suite },
  {
    id: 'result',
    header: 'Result',
    sortValue: (r) => (r.v.success ? 1 : 0),
    cell: (r) => (r.v.success ? <span className="badge ok">passed</span> : <span className="badge drifted">failed</span>),
  },
  { id: 'failed', header: 'Failed', align: 'right', sortValue: (r) => r.v.failed, cell: (r) => `${r.v.failed} of ${r.v.evaluated}` },
  {
    id: 'failures',
    header: 'Failed expectations',
    cell: (r) => r.v.failures.map((f) => (f.column ? `${f.type} (${f.column})` : f.type)).join(', '),
  },
];

export function ValidationWindows({ windows }: { windows: readonly QualityWindow[] }) {
  const rows: Row[] = windows.flatMap((w) => (w.validations ?? []).map((v) => ({ key: `${w.start}|${v.suite}`, start: w.start, v }))).reverse();
  if (rows.length === 0) return null;
  return (
    <>
      <h3>Validation suites per window</h3>
      <DataTable label="Validation per window" columns={COLUMNS} rows={rows} rowKey={(r) => r.key} pageSize={24} />
    </>
  );
}
