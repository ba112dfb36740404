/** Readable output of drift and data-quality reports: tables, with a bar of each score against its threshold. */
import pc from 'picocolors';
import type { DriftReport, FeatureDriftRow, QualityReport } from '../sdk/index.js';
import { formatDetails, formatTable, heading } from './table.js';

const num = (v: number | null | undefined, digits = 4) => (v === null || v === undefined ? '-' : Number(v.toPrecision(digits)).toString());
const pct = (v: number | null | undefined) => (v === null || v === undefined ? '-' : `${(100 * v).toFixed(1)}%`);

/**
 * How far a feature is from its threshold, as a bar of up to 20 cells: distances fill in proportion to
 * score / threshold (full at 2x); p-value tests fill as p falls below the threshold (log scale, full at 1e-6).
 */
export function driftBar(f: FeatureDriftRow, color = true): string {
  if (f.statistic === null || f.statistic === undefined || f.threshold === undefined) return '';
  let ratio: number;
  if (f.p_value !== null && f.p_value !== undefined) ratio = f.p_value >= 1 ? 0 : Math.log10(Math.max(f.p_value, 1e-12)) / Math.log10(f.threshold);
  else ratio = f.statistic / f.threshold;
  const cells = Math.max(0, Math.min(20, Math.round(ratio * 10)));
  const bar = '█'.repeat(cells) + '·'.repeat(20 - cells);
  const c = pc.createColors(color);
  return f.drifted ? c.red(bar) : c.green(bar);
}

export function driftText(r: DriftReport, color = process.stdout.isTTY === true): string {
  const verdict = r.dataset_drift ? 'YES' : 'no';
  const head = formatDetails(
    [
      ['deployment', r.deployment],
      ['window', `${r.from} → ${r.to}`],
      ['current rows', r.current.rows],
      ['reference rows', `${r.reference.rows} (${String(r.reference.source['kind'] ?? '')}, ${r.reference.created_at})`],
      ['dataset drift', `${verdict}: ${r.number_drifted} of ${r.number_of_features} features drifted (threshold ${pct(r.drift_share)})`],
    ],
    { color },
  );
  const rows = [...r.features, ...(r.prediction ? [{ ...r.prediction, name: `${r.prediction.name} (prediction)` }] : [])];
  const table = formatTable<FeatureDriftRow>(
    [
      { header: 'feature', value: (f) => f.name, maxWidth: 32 },
      { header: 'kind', value: (f) => f.kind ?? '' },
      { header: 'method', value: (f) => f.method ?? '' },
      { header: 'statistic', value: (f) => num(f.statistic), align: 'right' },
      { header: 'p-value', value: (f) => num(f.p_value), align: 'right' },
      { header: 'threshold', value: (f) => num(f.threshold), align: 'right' },
      { header: 'drifted', value: (f) => (f.drifted === null ? `- ${f.note ?? ''}` : f.drifted ? 'YES' : 'no') },
      { header: 'score vs threshold', value: (f) => driftBar(f, color) },
    ],
    rows,
    { color },
  );
  return `${head}\n${table}\n`;
}

export function qualityText(r: QualityReport, color = process.stdout.isTTY === true): string {
  const table = formatTable(
    [
      { header: 'feature', value: (f) => f.name, maxWidth: 32 },
      { header: 'rows', value: (f) => f.rows, align: 'right' },
      { header: 'missing', value: (f) => pct(f.null_rate), align: 'right' },
      { header: 'type errors', value: (f) => f.type_errors, align: 'right' },
      { header: 'out of range', value: (f) => pct(f.out_of_range), align: 'right' },
      {
        header: 'unseen categories',
        value: (f) =>
          f.unseen_categories === null
            ? '-'
            : `${pct(f.unseen_categories)}${
                f.unseen_top?.length
                  ? ` (${f.unseen_top
                      .slice(0, 3)
                      .map((u) => u.value)
                      .join(', ')})`
                  : ''
              }`,
      },
    ],
    r.features,
    { color },
  );
  const note = r.has_reference ? '' : '\n(no reference: set one with `ferry reference set` to check ranges and categories)\n';
  return `${heading(`Data quality of ${r.deployment}, ${r.from} → ${r.to} (${r.windows.length} window${r.windows.length === 1 ? '' : 's'})`, { color })}\n${table}\n${note}`;
}
