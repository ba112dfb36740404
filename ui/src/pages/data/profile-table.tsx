/**
 * A version's profile: one row per column (type, missing values, range, mean, spread, median, distinct
 * values, a sparkline of its distribution), 50 rows a page; clicking a column opens its full histogram or
 * top categories with its quantiles.
 */
import { useEffect, useMemo, useRef } from 'react';
import type { ColumnProfileReport } from '../../../../src/sdk/index.js';
import { type Column, DataTable } from '../../components/data-table.js';
import { Histogram } from '../../components/histogram.js';
import { formatNumber } from '../../format.js';
import { percent } from '../monitoring/describe.js';
import { columnBars } from './data-shapes.js';
import { Sparkline } from './sparkline.js';

export function ProfileTable({ columns, open, onOpen }: { columns: readonly ColumnProfileReport[]; open: string | null; onOpen: (c: string | null) => void }) {
  const cols = useMemo(() => profileColumns(open, onOpen), [open, onOpen]);
  const current = columns.find((c) => c.name === open) ?? null;
  // The open column's card sits above the table (the table keeps its full width); bring it into view.
  return (
    <div>
      {current ? <ColumnDetail key={current.name} col={current} onClose={() => onOpen(null)} /> : null}
      <DataTable
        label="Profile"
        columns={cols}
        rows={columns}
        rowKey={(c) => c.name}
        rowClassName={(c) => (c.name === open ? 'selected' : undefined)}
        empty="No columns."
      />
    </div>
  );
}

function profileColumns(open: string | null, onOpen: (c: string | null) => void): Column<ColumnProfileReport>[] {
  const s = (c: ColumnProfileReport) => c.summary;
  return [
    {
      id: 'name',
      header: 'Column',
      sortValue: (c) => c.name,
      cell: (c) => (
        <button type="button" className="link-button" aria-expanded={c.name === open} onClick={() => onOpen(c.name === open ? null : c.name)}>
          {c.name}
        </button>
      ),
    },
    {
      id: 'type',
      header: 'Type',
      sortValue: (c) => c.type,
      cell: (c) => (
        <code>
          {c.type}
          {c.nullable ? '?' : ''}
        </code>
      ),
    },
    {
      id: 'nulls',
      header: 'Missing',
      align: 'right',
      sortValue: (c) => s(c).null_rate,
      cell: (c) => (s(c).nulls > 0 ? `${formatNumber(s(c).nulls)} (${percent(s(c).null_rate)})` : '0'),
    },
    { id: 'min', header: 'Min', align: 'right', sortValue: (c) => s(c).min, cell: (c) => formatNumber(s(c).min) },
    { id: 'max', header: 'Max', align: 'right', sortValue: (c) => s(c).max, cell: (c) => formatNumber(s(c).max) },
    { id: 'mean', header: 'Mean', align: 'right', sortValue: (c) => s(c).mean, cell: (c) => formatNumber(s(c).mean) },
    { id: 'std', header: 'Std', align: 'right', sortValue: (c) => s(c).std, cell: (c) => formatNumber(s(c).std) },
    { id: 'p50', header: 'Median', align: 'right', sortValue: (c) => s(c).quantiles?.p50, cell: (c) => formatNumber(s(c).quantiles?.p50 ?? null) },
    {
      id: 'distinct',
      header: 'Distinct',
      align: 'right',
      title: 'Estimated distinct values',
      sortValue: (c) => s(c).unique_estimate,
      cell: (c) => formatNumber(s(c).unique_estimate ?? null),
    },
    {
      id: 'distribution',
      header: 'Distribution',
      cell: (c) => {
        const bars = columnBars(c);
        if (!bars) return '';
        return c.histogram ? (
          <Sparkline counts={bars.counts} label={`Distribution of ${c.name}`} />
        ) : (
          <span className="muted">
            {s(c)
              .top.slice(0, 3)
              .map((t) => t.value)
              .join(', ')}
            {s(c).top.length > 3 ? '…' : ''}
          </span>
        );
      },
    },
  ];
}

function ColumnDetail({ col, onClose }: { col: ColumnProfileReport; onClose: () => void }) {
  const bars = columnBars(col);
  const q = col.summary.quantiles;
  const box = useRef<HTMLElement>(null);
  useEffect(() => {
    // A block body: newer browsers answer scrollIntoView with a promise, which React would take for a cleanup.
    void box.current?.scrollIntoView?.({ block: 'nearest' });
  }, []);
  return (
    <section className="chart-card column-detail" aria-label={`Column ${col.name}`} ref={box}>
      <div className="card-header">
        <h3>{col.name}</h3>
        <code>{col.type}</code>
        <span className="grow" />
        <button type="button" className="link-button" onClick={onClose}>
          Close
        </button>
      </div>
      <dl className="meta compact">
        <dt>Values</dt>
        <dd>
          {formatNumber(col.summary.count - col.summary.nulls)} of {formatNumber(col.summary.count)} ({formatNumber(col.summary.nulls)} missing
          {col.summary.type_errors > 0 ? `, ${formatNumber(col.summary.type_errors)} type errors` : ''})
        </dd>
        {q ? (
          <>
            <dt>Quantiles</dt>
            <dd>{(Object.entries(q) as [string, number][]).map(([k, v]) => `${k} ${formatNumber(v)}`).join(' · ')}</dd>
          </>
        ) : null}
      </dl>
      {bars ? (
        <Histogram
          bins={bars.bins}
          series={[{ label: col.histogram ? 'rows per bin' : 'rows per category', counts: bars.counts }]}
          title={col.histogram ? `${col.name}: rows per bin` : `${col.name}: top categories`}
        />
      ) : (
        <p className="muted">No values to draw.</p>
      )}
    </section>
  );
}
