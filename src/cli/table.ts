/** A small aligned-table formatter for the CLI's readable output (no dependency beyond picocolors). */
import pc from 'picocolors';

export type Cell = string | number | boolean | null | undefined;

export interface Column<T> {
  header: string;
  value: (row: T) => Cell;
  /** 'right' for numbers; default 'left'. */
  align?: 'left' | 'right';
  /** Longer values are cut with '…'. */
  maxWidth?: number;
}

export interface TableOptions {
  /** Color the header (default: when the terminal supports it; NO_COLOR/FORCE_COLOR are honored). */
  color?: boolean;
  /** Spaces between columns (default 2). */
  gap?: number;
  /** Spaces before every line (default 0). */
  indent?: number;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

/** Printed width: ANSI color codes take no room; each code point takes one cell. */
export function visibleWidth(s: string): number {
  return [...s.replace(ANSI, '')].length;
}

export function truncate(s: string, max: number): string {
  if (max < 1) return '';
  const chars = [...s];
  return chars.length <= max ? s : `${chars.slice(0, max - 1).join('')}…`;
}

/** A cell as one line of text: null/undefined → '', newlines and tabs → spaces. */
export function cellText(v: Cell): string {
  if (v === null || v === undefined) return '';
  return String(v).replace(/[\r\n\t]+/g, ' ');
}

function pad(s: string, width: number, align: 'left' | 'right'): string {
  const fill = ' '.repeat(Math.max(0, width - visibleWidth(s)));
  return align === 'right' ? fill + s : s + fill;
}

/** Header + one line per row, columns aligned; no trailing spaces. Returns the text ending in '\n'. */
export function formatTable<T>(columns: readonly Column<T>[], rows: readonly T[], opts: TableOptions = {}): string {
  const colors = pc.createColors(opts.color ?? pc.isColorSupported);
  const gap = ' '.repeat(opts.gap ?? 2);
  const indent = ' '.repeat(opts.indent ?? 0);
  const cells = rows.map((row) =>
    columns.map((c) => {
      const text = cellText(c.value(row));
      return c.maxWidth !== undefined ? truncate(text, c.maxWidth) : text;
    }),
  );
  const widths = columns.map((c, i) => Math.max(visibleWidth(c.header), ...cells.map((r) => visibleWidth(r[i]!))));
  const line = (parts: string[]) =>
    indent +
    parts
      .map((p, i) => (i === parts.length - 1 && columns[i]!.align !== 'right' ? p : pad(p, widths[i]!, columns[i]!.align ?? 'left')))
      .join(gap)
      .trimEnd();
  const out = [colors.bold(line(columns.map((c) => c.header))), ...cells.map(line)];
  return `${out.join('\n')}\n`;
}

/** `label  value` lines with the labels aligned, for one object's details. Empty values are skipped. */
export function formatDetails(pairs: readonly [string, Cell][], opts: TableOptions = {}): string {
  const colors = pc.createColors(opts.color ?? pc.isColorSupported);
  const indent = ' '.repeat(opts.indent ?? 0);
  const shown = pairs.map(([k, v]) => [k, cellText(v)] as const).filter(([, v]) => v !== '');
  const width = Math.max(0, ...shown.map(([k]) => visibleWidth(k)));
  return (
    shown.map(([k, v]) => `${indent}${colors.bold(pad(k, width, 'left'))}${' '.repeat(opts.gap ?? 2)}${v}`.trimEnd()).join('\n') + (shown.length ? '\n' : '')
  );
}

/** A section title line. */
export function heading(title: string, opts: TableOptions = {}): string {
  const colors = pc.createColors(opts.color ?? pc.isColorSupported);
  return `${colors.bold(title)}\n`;
}
