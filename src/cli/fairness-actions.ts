/** What `ferry models fairness` and `ferry deployments fairness` do (definitions in fairness-command.ts). */
import type { Command } from 'commander';
import type { FairnessAnalysis, FairnessReport, FairnessRequest, LiveFairness, LiveFairnessWindow } from '../sdk/index.js';
import { clientFor, print, printJson } from './context.js';
import type { OutputOptions } from './options.js';
import { type Column, formatDetails, formatTable, heading } from './table.js';

export interface ReportOptions extends OutputOptions {
  dataset?: string;
  datasetVersion?: string;
  label?: string;
  sensitive?: string[];
  metric?: string[];
  prediction?: string;
  posLabel?: string;
  minGroupSize?: number;
  missingSensitive?: string;
  sampleWeight?: string;
  bootstrap?: number;
  seed?: number;
  level?: number;
  list?: boolean;
  report?: number;
}

export interface LiveOptions extends OutputOptions {
  feature: string;
  from?: string;
  to?: string;
  window?: string;
  posLabel?: string;
  minGroupSize?: number;
  modelVersion?: string;
}

/** A label as typed: numbers and true/false as such, other text as text. */
export function labelArg(raw: string): string | number | boolean {
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  const n = Number(raw);
  return raw.trim() !== '' && Number.isFinite(n) ? n : raw;
}

const fmt = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : Number.isInteger(v) ? String(v) : v.toFixed(4));
const SHORT: Record<string, string> = {
  selection_rate: 'SELECTION',
  true_positive_rate: 'TPR',
  false_positive_rate: 'FPR',
  true_negative_rate: 'TNR',
  false_negative_rate: 'FNR',
  accuracy: 'ACCURACY',
  precision: 'PRECISION',
  recall: 'RECALL',
  count: 'COUNT',
};

/** One analysis: groups as rows (counts always shown), a column per metric, then parity and four-fifths. */
export function formatAnalysis(a: FairnessAnalysis): string {
  const first = a.frames[0];
  const rows = (first?.groups ?? []).map((g, i) => ({ g, i }));
  const columns: Column<{ g: (typeof rows)[number]['g']; i: number }>[] = [
    { header: 'GROUP', value: (r) => r.g.label, maxWidth: 40 },
    { header: 'N', value: (r) => r.g.n, align: 'right' },
    ...a.frames.map((f): Column<{ g: (typeof rows)[number]['g']; i: number }> => ({
      header: SHORT[f.metric] ?? f.metric.toUpperCase(),
      value: (r) => {
        const g = f.groups[r.i]!;
        return g.interval ? `${fmt(g.value)} [${fmt(g.interval.lo)}, ${fmt(g.interval.hi)}]` : fmt(g.value);
      },
      align: 'right',
    })),
    { header: 'NOTE', value: (r) => (!r.g.observed ? 'no rows' : r.g.insufficient ? 'insufficient' : '') },
  ];
  const p = a.parity;
  return (
    heading(`By ${a.features.join(' × ')}`) +
    formatTable(columns, rows) +
    (first ? formatDetails([['Overall', `n ${first.n}; ${a.frames.map((f) => `${SHORT[f.metric] ?? f.metric} ${fmt(f.overall)}`).join(', ')}`]]) : '') +
    formatDetails([
      ['Demographic parity', `difference ${fmt(p.demographic_parity_difference.between_groups)}, ratio ${fmt(p.demographic_parity_ratio.between_groups)}`],
      ['Equalized odds', `difference ${fmt(p.equalized_odds_difference.between_groups)}, ratio ${fmt(p.equalized_odds_ratio.between_groups)}`],
      ['Equal opportunity', `difference ${fmt(p.equal_opportunity_difference.between_groups)}, ratio ${fmt(p.equal_opportunity_ratio.between_groups)}`],
      [
        'Four-fifths (heuristic)',
        a.four_fifths.undefined
          ? 'undefined (every selection rate is 0)'
          : a.four_fifths.flagged
            ? `flagged: ratio ${fmt(a.four_fifths.ratio)} < 0.8`
            : `not flagged: ratio ${fmt(a.four_fifths.ratio)}`,
      ],
    ]) +
    '\n'
  );
}

export function formatReport(r: FairnessReport): string {
  return (
    formatDetails([
      ['Report', `${r.id} (${r.created_at}, by ${r.created_by})`],
      ['Model', `${r.model} version ${r.version}`],
      ['Dataset', `${r.dataset} version ${r.dataset_version}: ${r.n_rows} rows, label '${r.spec.label}', prediction '${r.spec.prediction}'`],
      ['Differences, ratios', 'between groups; ratio = lowest / highest; — = undefined (NaN in Fairlearn)'],
    ]) +
    '\n' +
    r.analyses.map(formatAnalysis).join('') +
    r.notes.map((n) => `note: ${n}\n`).join('')
  );
}

export async function modelFairness(name: string, version: string, opts: ReportOptions, cmd: Command): Promise<void> {
  const api = clientFor(cmd).fairness;
  if (opts.list) {
    const reports = await api.list(name, version);
    if (opts.json) return printJson({ reports });
    return print(
      formatTable(
        [
          { header: 'ID', value: (r) => r.id, align: 'right' },
          { header: 'DATASET', value: (r) => `${r.dataset}@${r.dataset_version}` },
          { header: 'SENSITIVE', value: (r) => r.sensitive_features.join(', ') },
          { header: 'ROWS', value: (r) => r.n_rows, align: 'right' },
          { header: 'DP RATIO', value: (r) => fmt(r.demographic_parity_ratio), align: 'right' },
          { header: '4/5 FLAG', value: (r) => (r.four_fifths_flagged ? 'yes' : '') },
          { header: 'CREATED', value: (r) => r.created_at },
        ],
        reports,
      ),
    );
  }
  let report: FairnessReport;
  if (opts.report !== undefined) report = await api.get(name, version, opts.report);
  else {
    if (!opts.dataset || !opts.label || !opts.sensitive?.length) {
      throw new Error('--dataset, --label and --sensitive are required to create a report (or pass --list or --report ID).');
    }
    const body: FairnessRequest = {
      dataset: opts.dataset,
      dataset_version: opts.datasetVersion === undefined ? 'latest' : /^\d+$/.test(opts.datasetVersion) ? Number(opts.datasetVersion) : opts.datasetVersion,
      label: opts.label,
      sensitive_features: opts.sensitive.flatMap((s) => s.split(',').map((x) => x.trim())).filter(Boolean),
      ...(opts.metric ? { metrics: opts.metric.flatMap((s) => s.split(',').map((x) => x.trim())).filter(Boolean) } : {}),
      ...(opts.prediction ? { prediction: opts.prediction } : {}),
      ...(opts.posLabel !== undefined ? { pos_label: labelArg(opts.posLabel) } : {}),
      ...(opts.minGroupSize !== undefined ? { min_group_size: opts.minGroupSize } : {}),
      ...(opts.missingSensitive ? { missing_sensitive: opts.missingSensitive as 'group' } : {}),
      ...(opts.sampleWeight ? { sample_weight: opts.sampleWeight } : {}),
      ...(opts.bootstrap !== undefined
        ? {
            bootstrap: {
              samples: opts.bootstrap,
              ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
              ...(opts.level !== undefined ? { level: opts.level } : {}),
            },
          }
        : {}),
    };
    report = await api.create(name, version, body);
  }
  if (opts.json) return printJson({ report });
  print(formatReport(report));
}

function formatWindow(w: LiveFairnessWindow, title: string): string {
  return (
    heading(`${title}: ${w.n} predictions, ${w.labelled} labelled${w.missing_feature ? `, ${w.missing_feature} without the feature` : ''}`) +
    (w.groups.length
      ? formatTable(
          [
            { header: 'GROUP', value: (g) => g.label, maxWidth: 40 },
            { header: 'N', value: (g) => g.n, align: 'right' },
            { header: 'SELECTION', value: (g) => fmt(g.selection_rate), align: 'right' },
            { header: 'LABELLED', value: (g) => g.labelled, align: 'right' },
            { header: 'COVERAGE', value: (g) => fmt(g.label_coverage), align: 'right' },
            { header: 'TPR', value: (g) => fmt(g.true_positive_rate), align: 'right' },
            { header: 'FPR', value: (g) => fmt(g.false_positive_rate), align: 'right' },
            { header: 'NOTE', value: (g) => (g.insufficient ? 'insufficient' : '') },
          ],
          w.groups,
        ) +
        formatDetails([
          ['Demographic parity', `difference ${fmt(w.demographic_parity_difference)}, ratio ${fmt(w.demographic_parity_ratio)}`],
          ['Equalized odds', `difference ${fmt(w.equalized_odds_difference)}, ratio ${fmt(w.equalized_odds_ratio)}`],
          ['Equal opportunity', `difference ${fmt(w.equal_opportunity_difference)}, ratio ${fmt(w.equal_opportunity_ratio)}`],
        ])
      : '') +
    '\n'
  );
}

export function formatLive(l: LiveFairness): string {
  return (
    formatDetails([
      ['Deployment', l.deployment],
      ['Feature', `${l.feature} (a logged model input)`],
      ['Range', `${l.from} – ${l.to}, windows of ${l.window}`],
    ]) +
    '\n' +
    formatWindow(l.overall, 'Whole range') +
    l.windows
      .filter((w) => w.n > 0)
      .map((w) => formatWindow(w, `${w.start} – ${w.end}`))
      .join('') +
    l.notes.map((n) => `note: ${n}\n`).join('')
  );
}

export async function liveFairness(name: string, opts: LiveOptions, cmd: Command): Promise<void> {
  const live = await clientFor(cmd).fairness.live(name, {
    feature: opts.feature,
    ...(opts.from ? { from: opts.from } : {}),
    ...(opts.to ? { to: opts.to } : {}),
    ...(opts.window ? { window: opts.window } : {}),
    ...(opts.posLabel !== undefined ? { pos_label: opts.posLabel } : {}),
    ...(opts.minGroupSize !== undefined ? { min_group_size: opts.minGroupSize } : {}),
    ...(opts.modelVersion !== undefined ? { model_version: opts.modelVersion } : {}),
  });
  if (opts.json) return printJson(live);
  print(formatLive(live));
}
