/** Readable output of `ferry data`: profiles (with a histogram sparkline per column), diffs, validation results. */
import type { ColumnProfileReport, DatasetVersion, DatasetVersionWithProfile, ExpectationResult, ValidationResult, VersionDiff } from '../sdk/index.js';
import { formatDetails, formatTable, heading } from './table.js';

const BARS = '▁▂▃▄▅▆▇█';

/** Counts as a one-line bar chart (empty bins as spaces, so gaps show). */
export function sparkline(counts: readonly number[]): string {
  const max = Math.max(0, ...counts);
  if (max <= 0) return '';
  return counts.map((c) => (c <= 0 ? ' ' : BARS[Math.min(BARS.length - 1, Math.floor((c / max) * (BARS.length - 1) + 0.5))]!)).join('');
}

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v >= 100 ? 0 : 1)} ${units[i]}`;
}

const num = (v: number | null | undefined) => (v === null || v === undefined ? '' : Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(5))));
const pct = (v: number | null | undefined) => (v === null || v === undefined ? '' : `${(v * 100).toFixed(v > 0 && v < 0.001 ? 3 : 1)}%`);

export function versionDetails(v: DatasetVersion): string {
  return formatDetails([
    ['dataset', v.ref],
    ['digest', `sha256:${v.digest}`],
    ['format', v.format],
    ['file', `${v.filename} (${bytes(v.size_bytes)})`],
    ['rows', v.rows],
    ['columns', v.columns],
    ['tags', v.tags.join(', ')],
    ['description', v.description],
    ['created', `${v.created_at} by ${v.created_by}`],
  ]);
}

function topText(c: ColumnProfileReport): string {
  return c.summary.top
    .slice(0, 3)
    .map((t) => `${t.value} (${t.count})`)
    .join(', ');
}

export function profileText(v: DatasetVersionWithProfile): string {
  let out = versionDetails(v) + '\n';
  out += formatTable(
    [
      { header: 'COLUMN', value: (c: ColumnProfileReport) => c.name, maxWidth: 32 },
      { header: 'TYPE', value: (c) => c.type + (c.nullable ? '?' : '') },
      { header: 'NULLS', value: (c) => pct(c.summary.null_rate), align: 'right' },
      { header: 'MIN', value: (c) => num(c.summary.min), align: 'right' },
      { header: 'MEAN', value: (c) => num(c.summary.mean), align: 'right' },
      { header: 'STD', value: (c) => num(c.summary.std), align: 'right' },
      { header: 'P50', value: (c) => num(c.summary.quantiles?.p50), align: 'right' },
      { header: 'MAX', value: (c) => num(c.summary.max), align: 'right' },
      { header: 'DISTINCT', value: (c) => c.summary.unique_estimate ?? '', align: 'right' },
      { header: 'DISTRIBUTION / TOP', value: (c) => (c.histogram ? sparkline(c.histogram.counts) : topText(c)), maxWidth: 48 },
    ],
    v.profile.columns,
  );
  const warnings = v.schema.warnings;
  if (warnings.length) out += '\n' + heading('warnings') + warnings.map((w) => `  ${w.message}\n`).join('');
  return out;
}

export function diffText(d: VersionDiff): string {
  let out = `${d.from.ref} (${d.from.rows} rows) → ${d.to.ref} (${d.to.rows} rows)${d.identical ? ': identical bytes' : ''}\n\n`;
  const s = d.schema;
  const schemaLines = [
    ...s.added.map((c) => `  + ${c.name} (${c.type})`),
    ...s.removed.map((c) => `  - ${c.name} (${c.type})`),
    ...s.retyped.map((c) => `  ~ ${c.name}: ${c.from} → ${c.to}`),
    ...s.nullability.map((c) => `  ~ ${c.name}: ${c.from ? 'nullable' : 'not null'} → ${c.to ? 'nullable' : 'not null'}`),
  ];
  out += heading('schema') + (schemaLines.length ? schemaLines.join('\n') + '\n' : `  no changes (${s.unchanged} columns)\n`) + '\n';
  out += heading(
    `distribution: ${d.summary.number_drifted} of ${d.summary.number_of_features} columns drifted${d.summary.dataset_drift ? ' (dataset drift)' : ''}`,
  );
  out += formatTable(
    [
      { header: 'COLUMN', value: (f: VersionDiff['drift'][number]) => f.name, maxWidth: 32 },
      { header: 'KIND', value: (f) => f.kind },
      { header: 'TEST', value: (f) => f.method },
      { header: 'STATISTIC', value: (f) => num(f.statistic), align: 'right' },
      { header: 'P-VALUE', value: (f) => num(f.p_value), align: 'right' },
      { header: 'THRESHOLD', value: (f) => num(f.threshold), align: 'right' },
      { header: 'DRIFT', value: (f) => (f.drifted === null ? '?' : f.drifted ? 'DRIFT' : 'ok') },
    ],
    d.drift,
    { indent: 2 },
  );
  for (const k of d.skipped) out += `  (${k.name}: ${k.reason})\n`;
  return out;
}

function resultLine(r: ExpectationResult): string {
  const res = r.result;
  if (r.exception_info?.raised_exception) return r.exception_info.exception_message ?? 'error';
  if (res.unexpected_count !== undefined && res.unexpected_count !== null) {
    const sample = (res.partial_unexpected_list ?? [])
      .slice(0, 5)
      .map((v, i) => `${JSON.stringify(v)}@row ${res.partial_unexpected_index_list?.[i] ?? '?'}`)
      .join(', ');
    return `${res.unexpected_count} unexpected (${num(res.unexpected_percent)}%)${sample ? `: ${sample}` : ''}`;
  }
  if (res.observed_value !== undefined) return `observed ${JSON.stringify(res.observed_value)}`.slice(0, 120);
  return '';
}

export function validationText(r: ValidationResult): string {
  const s = r.statistics;
  let out = `${r.success ? 'PASSED' : 'FAILED'}: suite ${r.suite}, ${s.successful_expectations}/${s.evaluated_expectations} expectations met\n\n`;
  out += formatTable(
    [
      { header: '', value: (x: ExpectationResult) => (x.success ? 'ok' : 'FAIL') },
      { header: 'EXPECTATION', value: (x) => x.expectation_config.type.replace(/^expect_/, ''), maxWidth: 44 },
      { header: 'COLUMN', value: (x) => (x.expectation_config.kwargs['column'] as string | undefined) ?? '', maxWidth: 28 },
      { header: 'RESULT', value: resultLine, maxWidth: 100 },
    ],
    r.results,
  );
  return out;
}
