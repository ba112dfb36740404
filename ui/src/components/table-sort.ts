/** Client-side ordering for DataTable: numbers as numbers, text naturally ("run 2" before "run 10"), blanks last. */
export type SortValue = string | number | boolean | null | undefined;
export type SortDir = 'asc' | 'desc';

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

function blank(v: SortValue): boolean {
  return v === null || v === undefined || v === '' || (typeof v === 'number' && Number.isNaN(v));
}

export function compareValues(a: SortValue, b: SortValue): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return collator.compare(String(a), String(b));
}

/** A sorted copy; blanks stay at the end in both directions; equal keys keep their order. */
export function sortRows<T>(rows: readonly T[], key: (row: T) => SortValue, dir: SortDir): T[] {
  const keyed = rows.map((row, i) => ({ row, i, v: key(row) }));
  keyed.sort((x, y) => {
    const bx = blank(x.v);
    const by = blank(y.v);
    if (bx || by) return bx === by ? x.i - y.i : bx ? 1 : -1;
    const c = compareValues(x.v, y.v);
    return c === 0 ? x.i - y.i : dir === 'asc' ? c : -c;
  });
  return keyed.map((k) => k.row);
}

/** The next state when a header is clicked: ascending, then descending, then unsorted. */
export function nextSort(current: { column: string; dir: SortDir } | null, column: string): { column: string; dir: SortDir } | null {
  if (!current || current.column !== column) return { column, dir: 'asc' };
  return current.dir === 'asc' ? { column, dir: 'desc' } : null;
}
