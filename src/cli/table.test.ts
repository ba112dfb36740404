import { describe, expect, it } from 'vitest';
import { cellText, formatDetails, formatTable, truncate, visibleWidth } from './table.js';

interface Row {
  id: number;
  name: string;
  note?: string | null;
}
const rows: Row[] = [
  { id: 1, name: 'alpha', note: 'first' },
  { id: 22, name: 'be', note: null },
  { id: 333, name: 'gamma-long-name' },
];
const columns = [
  { header: 'ID', value: (r: Row) => r.id, align: 'right' as const },
  { header: 'NAME', value: (r: Row) => r.name },
  { header: 'NOTE', value: (r: Row) => r.note },
];

describe('formatTable', () => {
  it('aligns columns to the widest cell, right-aligning where asked, with no trailing spaces', () => {
    expect(formatTable(columns, rows, { color: false })).toBe(
      [' ID  NAME             NOTE', '  1  alpha            first', ' 22  be', '333  gamma-long-name', ''].join('\n'),
    );
  });

  it('prints only the header for no rows', () => {
    expect(formatTable(columns, [], { color: false })).toBe('ID  NAME  NOTE\n');
  });

  it('truncates to maxWidth with an ellipsis and flattens newlines', () => {
    const out = formatTable([{ header: 'TEXT', value: (r: { t: string }) => r.t, maxWidth: 8 }], [{ t: 'line one\nline two' }], { color: false });
    expect(out).toBe('TEXT\nline on…\n');
  });

  it('honors gap and indent', () => {
    const out = formatTable(
      [
        { header: 'A', value: (r: { a: string }) => r.a },
        { header: 'B', value: () => 'x' },
      ],
      [{ a: 'aa' }],
      { color: false, gap: 4, indent: 2 },
    );
    expect(out).toBe('  A     B\n  aa    x\n');
  });

  it('colors only the header and keeps alignment when colored', () => {
    const out = formatTable(columns, rows, { color: true });
    const [header, ...body] = out.trimEnd().split('\n');
    expect(header).toContain('\u001b[');
    expect(body.join('\n')).not.toContain('\u001b[');
    expect(visibleWidth(header!)).toBe(' ID  NAME             NOTE'.length);
  });
});

describe('formatDetails', () => {
  it('aligns labels and skips empty values', () => {
    expect(
      formatDetails(
        [
          ['Name', 'm'],
          ['Description', ''],
          ['Versions', 2],
          ['Run', undefined],
        ],
        { color: false },
      ),
    ).toBe('Name      m\nVersions  2\n');
  });
  it('is empty for nothing to show', () => {
    expect(formatDetails([['A', null]], { color: false })).toBe('');
  });
});

describe('helpers', () => {
  it('measures without ANSI codes, per code point', () => {
    expect(visibleWidth('\u001b[1mab\u001b[22m')).toBe(2);
    expect(visibleWidth('héllo→')).toBe(6);
  });
  it('truncates by code points', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('abc', 3)).toBe('abc');
    expect(truncate('abc', 0)).toBe('');
  });
  it('renders cells as one line', () => {
    expect(cellText(null)).toBe('');
    expect(cellText(undefined)).toBe('');
    expect(cellText(0)).toBe('0');
    expect(cellText(false)).toBe('false');
    expect(cellText('a\r\nb\tc')).toBe('a b c');
  });
});
