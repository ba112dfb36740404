/**
 * `ferry monitoring estimated NAME`: estimated performance without labels (CBPE), one line per window with each
 * chosen metric's estimate and band, and the realized value beside it where labels have joined (`!` when it falls
 * outside the band). --json prints the API's answer.
 */
import type { Command } from 'commander';
import { ESTIMATED_METRICS, type EstimatedMetricName, type EstimatedPerformance, type EstimatedPerformanceWindow } from '../sdk/index.js';
import { clientFor, durationFlag, formatTime, note, print, printJson } from './context.js';
import type { OutputOptions } from './options.js';
import { type Column, formatTable } from './table.js';

export interface EstimatedOptions extends OutputOptions {
  since?: string;
  from?: string;
  to?: string;
  window?: string;
  dataset?: string;
  label?: string;
  calibration?: 'auto' | 'isotonic' | 'none';
  prediction?: string;
  probability?: string;
  metrics?: string;
}

const OVERALL = 'overall';
const DEFAULT_METRICS: EstimatedMetricName[] = ['roc_auc', 'f1', 'accuracy'];

export function metricsOf(raw: string | undefined): EstimatedMetricName[] {
  if (raw === undefined) return DEFAULT_METRICS;
  const names = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const n of names) {
    if (!(ESTIMATED_METRICS as readonly string[]).includes(n)) throw new Error(`--metrics: '${n}' is not one of ${ESTIMATED_METRICS.join(', ')}`);
  }
  return names.length ? (names as EstimatedMetricName[]) : DEFAULT_METRICS;
}

const fixed = (v: number | null | undefined) => (typeof v === 'number' ? v.toFixed(3) : '-');

/** `0.812 [0.781, 0.843]`, then `→ 0.790` realized, with `!` when outside the band. */
export function metricCell(w: EstimatedPerformanceWindow, m: EstimatedMetricName): string {
  const x = w.metrics?.[m];
  if (!x || x.estimated === null) return '-';
  const band = `${fixed(x.estimated)} [${fixed(x.lower)}, ${fixed(x.upper)}]`;
  if (x.realized === null) return band;
  return `${band} → ${fixed(x.realized)}${x.realized_outside_band ? ' !' : ''}`;
}

export function estimatedText(r: EstimatedPerformance, metrics: EstimatedMetricName[]): string {
  const ref = r.reference;
  const head = [
    `${r.deployment}: model ${r.model.name}/${r.model.version}, ${r.from} → ${r.to}, windows of ${r.window}`,
    `reference ${ref.dataset}${ref.training_data_of ? ` (training data of ${ref.training_data_of})` : ''}, label '${ref.label}', ${ref.rows} rows`,
    `calibration ${ref.calibration.method}: ${ref.calibration.reason}`,
    `band: estimate ± ${r.band_width} sampling errors; → realized on labelled rows (! outside the band)`,
  ];
  const columns: Column<EstimatedPerformanceWindow>[] = [
    { header: 'window', value: (w) => (w.start === OVERALL ? OVERALL : formatTime(Date.parse(w.start))) },
    { header: 'rows', value: (w) => w.rows, align: 'right' },
    { header: 'labelled', value: (w) => (w.label_coverage === null ? '-' : `${w.labelled} (${Math.round(w.label_coverage * 100)}%)`), align: 'right' },
    ...metrics.map((m) => ({ header: m, value: (w: EstimatedPerformanceWindow) => metricCell(w, m) })),
  ];
  const shown = r.windows.filter((w) => w.rows > 0);
  const table = shown.length ? formatTable(columns, [...shown, { ...r.overall, start: OVERALL }]) : 'no predictions of this model version in the range';
  return [...head, '', table, ...r.notes.map((n) => `note: ${n}`)].join('\n') + '\n';
}

export async function showEstimated(name: string, o: EstimatedOptions, cmd: Command): Promise<void> {
  const metrics = metricsOf(o.metrics);
  const r = await clientFor(cmd).monitoring.estimated(name, {
    from: o.from ?? (o.since !== undefined ? durationFlag(o.since, '--since') : '24h'),
    ...(o.to ? { to: o.to } : {}),
    ...(o.window ? { window: durationFlag(o.window, '--window') } : {}),
    ...(o.dataset ? { dataset: o.dataset } : {}),
    ...(o.label ? { label: o.label } : {}),
    ...(o.calibration ? { calibration: o.calibration } : {}),
    ...(o.prediction ? { prediction: o.prediction } : {}),
    ...(o.probability ? { probability: o.probability } : {}),
  });
  if (o.json) return printJson(r);
  print(estimatedText(r, metrics));
  if (r.windows.some((w) => w.outside_band.length > 0))
    note('realized performance fell outside the estimated band in some windows: the model may have drifted beyond covariate shift');
}
