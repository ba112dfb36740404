/**
 * A table for large content: sortable headers (client-side, or server-side through onSortChange), client-side
 * pages when rows exceed pageSize (10,000 rows render one page at a time), optional row selection.
 */
import { type ReactNode, useEffect, useMemo, useState } from 'react';
import { nextSort, type SortDir, sortRows, type SortValue } from './table-sort.js';

export interface Column<T> {
  id: string;
  header: ReactNode;
  cell: (row: T) => ReactNode;
  /** Sort key for client-side sorting; a column with neither this nor `sortable` cannot be sorted. */
  sortValue?: (row: T) => SortValue;
  /** Sortable by the server (the table calls onSortChange and shows rows as given). */
  sortable?: boolean;
  align?: 'left' | 'right';
  /** Tooltip on the header. */
  title?: string;
  className?: string;
}

export interface SortState {
  column: string;
  dir: SortDir;
}

export interface DataTableProps<T> {
  columns: readonly Column<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string;
  /** Controlled sort (server-side when onSortChange is given); otherwise the table sorts by itself. */
  sort?: SortState | null;
  onSortChange?: (sort: SortState | null) => void;
  /** Rows per page for client-side pages (default 50). */
  pageSize?: number;
  selection?: { selected: ReadonlySet<string>; onChange: (next: Set<string>) => void };
  /** Shown instead of an empty body. */
  empty?: ReactNode;
  label?: string;
  rowClassName?: (row: T) => string | undefined;
}

export function DataTable<T>(props: DataTableProps<T>) {
  const { columns, rows, rowKey, selection, pageSize = 50 } = props;
  const serverSort = props.onSortChange !== undefined;
  const [localSort, setLocalSort] = useState<SortState | null>(null);
  const sort = serverSort ? (props.sort ?? null) : localSort;
  const [page, setPage] = useState(0);

  const sorted = useMemo(() => {
    if (serverSort || !sort) return rows;
    const col = columns.find((c) => c.id === sort.column);
    return col?.sortValue ? sortRows(rows, col.sortValue, sort.dir) : rows;
  }, [rows, columns, sort, serverSort]);

  const pages = Math.max(1, Math.ceil(sorted.length / pageSize));
  useEffect(() => setPage(0), [rows, sort]);
  const current = Math.min(page, pages - 1);
  const visible = sorted.length > pageSize ? sorted.slice(current * pageSize, (current + 1) * pageSize) : sorted;

  const onHeader = (col: Column<T>) => {
    if (!(col.sortValue || col.sortable)) return;
    const next = nextSort(sort, col.id);
    if (serverSort) props.onSortChange!(next);
    else setLocalSort(next);
  };

  const visibleKeys = visible.map(rowKey);
  const allChecked = selection !== undefined && visibleKeys.length > 0 && visibleKeys.every((k) => selection.selected.has(k));
  const toggleAll = () => {
    if (!selection) return;
    const next = new Set(selection.selected);
    for (const k of visibleKeys)
      if (allChecked) next.delete(k);
      else next.add(k);
    selection.onChange(next);
  };
  const toggle = (key: string) => {
    if (!selection) return;
    const next = new Set(selection.selected);
    if (next.has(key)) next.delete(key);
    else next.add(key);
    selection.onChange(next);
  };

  return (
    <div className="data-table">
      <div className="table-scroll">
        <table aria-label={props.label}>
          <thead>
            <tr>
              {selection ? (
                <th className="select-cell">
                  <input type="checkbox" aria-label="Select all rows on this page" checked={allChecked} onChange={toggleAll} />
                </th>
              ) : null}
              {columns.map((col) => {
                const sortable = Boolean(col.sortValue || col.sortable);
                const dir = sort?.column === col.id ? sort.dir : undefined;
                return (
                  <th
                    key={col.id}
                    title={col.title}
                    className={[col.align === 'right' ? 'num' : '', sortable ? 'sortable' : '', col.className ?? ''].join(' ').trim() || undefined}
                    aria-sort={dir === 'asc' ? 'ascending' : dir === 'desc' ? 'descending' : undefined}
                  >
                    {sortable ? (
                      <button type="button" className="sort-button" onClick={() => onHeader(col)}>
                        {col.header}
                        <span className="sort-mark" aria-hidden="true">
                          {dir === 'asc' ? ' ▲' : dir === 'desc' ? ' ▼' : ''}
                        </span>
                      </button>
                    ) : (
                      col.header
                    )}
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {visible.map((row) => {
              const key = rowKey(row);
              const checked = selection?.selected.has(key) ?? false;
              return (
                <tr key={key} className={[checked ? 'selected' : '', props.rowClassName?.(row) ?? ''].join(' ').trim() || undefined}>
                  {selection ? (
                    <td className="select-cell">
                      <input type="checkbox" aria-label={`Select ${key}`} checked={checked} onChange={() => toggle(key)} />
                    </td>
                  ) : null}
                  {columns.map((col) => (
                    <td key={col.id} className={[col.align === 'right' ? 'num' : '', col.className ?? ''].join(' ').trim() || undefined}>
                      {col.cell(row)}
                    </td>
                  ))}
                </tr>
              );
            })}
          </tbody>
        </table>
        {rows.length === 0 ? <div className="table-empty">{props.empty ?? 'Nothing to show.'}</div> : null}
      </div>
      {sorted.length > pageSize ? (
        <Pager
          label={`Rows ${current * pageSize + 1}–${Math.min(sorted.length, (current + 1) * pageSize)} of ${sorted.length.toLocaleString()}`}
          onPrev={current > 0 ? () => setPage(current - 1) : undefined}
          onNext={current < pages - 1 ? () => setPage(current + 1) : undefined}
        />
      ) : null}
    </div>
  );
}

/** Previous / next buttons around a label; a missing handler disables its button. */
export function Pager({ label, onPrev, onNext }: { label: ReactNode; onPrev?: (() => void) | undefined; onNext?: (() => void) | undefined }) {
  return (
    <nav className="pager" aria-label="Pages">
      <button type="button" onClick={onPrev} disabled={!onPrev}>
        ‹ Previous
      </button>
      <span className="pager-label">{label}</span>
      <button type="button" onClick={onNext} disabled={!onNext}>
        Next ›
      </button>
    </nav>
  );
}
