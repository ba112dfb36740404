/** Monitoring facts as short sentences (pure). */
import { formatNumber } from '../../format.js';

/** Where a reference came from: `dataset credit-risk@1`, `a CSV file`, `traffic 2026-… – 2026-…`. */
export function referenceLabel(source: Record<string, unknown>): string {
  const kind = source['kind'];
  if (kind === 'dataset' && typeof source['dataset'] === 'string') {
    const of = typeof source['training_data_of'] === 'string' ? ` (training data of ${source['training_data_of']})` : '';
    return `dataset ${source['dataset']}${of}`;
  }
  if (kind === 'file') return `an uploaded ${typeof source['format'] === 'string' ? source['format'].toUpperCase() : ''} file`.replace('  ', ' ');
  if (kind === 'window') return `this deployment's traffic from ${String(source['from'])} to ${String(source['to'])}`;
  return JSON.stringify(source);
}

export function percent(v: number | null | undefined, digits = 1): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '—' : `${(v * 100).toFixed(digits)}%`;
}

/** A drift statistic with its method: `wasserstein 4.23 (≥ 0.1 drifts)`. */
export function statisticText(method: string | undefined, statistic: number | null | undefined, threshold: number | undefined, pValue?: number | null): string {
  const value = pValue !== null && pValue !== undefined ? `p = ${formatNumber(pValue)}` : formatNumber(statistic ?? null) || '—';
  return `${method ?? 'drift'} ${value}${threshold !== undefined ? ` (threshold ${formatNumber(threshold)})` : ''}`;
}
