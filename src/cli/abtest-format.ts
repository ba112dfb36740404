/**
 * Readable output of `ferry abtest ...` (pure): the tests table, one test's summary line, and the report — the
 * sample-ratio line, per metric a table of arms (mature and pending units, mean, lift with its interval,
 * p-value, verdict) with each comparison's reason below it, and the decision line.
 */
import { formatNumber, formatP, formatPercent, intervalName } from '../sdk/index.js';
import type { AbComparison, AbHistoryPoint, AbMetric, AbMetricResult, AbTestInfo, AbTestReport } from '../sdk/index.js';
import { formatTime } from './context.js';
import { formatTable, heading } from './table.js';

// The numbers read the same in the CLI and the UI: the SDK holds their formatting.
export { formatNumber, formatP, formatPercent, intervalName };

/** The lift cell: relative lift with its interval; the absolute difference when the control mean is 0. */
export function liftText(c: AbComparison): string {
  if (c.relative) {
    const r = c.relative;
    const range = r.lower !== null && r.upper !== null ? ` [${formatPercent(r.lower, { sign: true })}, ${formatPercent(r.upper, { sign: true })}]` : '';
    return `${formatPercent(r.estimate, { sign: true })}${range}`;
  }
  if (c.absolute) {
    const a = c.absolute;
    const range = a.lower !== null && a.upper !== null ? ` [${formatNumber(a.lower, { sign: true })}, ${formatNumber(a.upper, { sign: true })}]` : '';
    return `${formatNumber(a.estimate, { sign: true })} abs${range}`;
  }
  return '';
}

/** `conversion proportion 7d`, with the options that differ from the defaults. */
export function metricSummary(m: AbMetric): string {
  return [
    m.metric,
    m.kind === 'ratio' ? `ratio over ${m.denominator ?? '?'}` : m.kind,
    m.window,
    m.direction === 'decrease' ? 'lower is better' : '',
    m.delay && m.delay !== '0' ? `delay ${m.delay}` : '',
    m.cuped_lookback ? `CUPED ${m.cuped_lookback}` : '',
  ]
    .filter(Boolean)
    .join(' ');
}

export function armsSummary(t: Pick<AbTestInfo, 'arms' | 'control'>): string {
  return t.arms.map((a) => `${a.version} ${formatNumber(a.weight)}%${a.version === t.control ? ' (control)' : ''}`).join(', ');
}

export function abtestsTable(tests: readonly AbTestInfo[]): string {
  return formatTable<AbTestInfo>(
    [
      { header: 'NAME', value: (t) => t.name, maxWidth: 40 },
      { header: 'DEPLOYMENT', value: (t) => t.deployment },
      { header: 'STATE', value: (t) => t.state },
      { header: 'ARMS', value: (t) => t.arms.map((a) => `${a.version}:${formatNumber(a.weight)}%`).join(' ') },
      { header: 'PRIMARY METRIC', value: (t) => metricSummary(t.primary_metric), maxWidth: 40 },
      { header: 'GUARDRAILS', value: (t) => t.guardrails.length, align: 'right' },
      { header: 'METHOD', value: (t) => t.settings.method },
      { header: 'STARTED', value: (t) => formatTime(t.started_at) },
      { header: 'STOPPED', value: (t) => formatTime(t.stopped_at) },
    ],
    tests,
  );
}

/** After create/start/stop: what the test is now, in a few lines. */
export function abtestSummary(t: AbTestInfo): string {
  const lines = [
    `A/B test ${t.name} on deployment ${t.deployment}: ${t.state}`,
    `  unit        ${t.unit_key ? `the sticky key '${t.unit_key}'` : 'each request (the deployment has no sticky key)'}`,
    `  arms        ${armsSummary(t)}`,
    `  primary     ${metricSummary(t.primary_metric)}`,
    ...t.guardrails.map((g, i) => `  ${i === 0 ? 'guardrails' : '          '}  ${metricSummary(g)}`),
    `  method      ${t.settings.method}, alpha ${t.settings.alpha}${t.settings.method === 'sequential' ? `, tuned for ${t.settings.sequential_tuning} units` : ''}, correction ${t.settings.correction}`,
  ];
  if (t.started_at) lines.push(`  started     ${formatTime(t.started_at)}`);
  if (t.stopped_at)
    lines.push(`  stopped     ${formatTime(t.stopped_at)}${t.stopped_by ? ` by ${t.stopped_by}` : ''}${t.stop_reason ? `: ${t.stop_reason}` : ''}`);
  return `${lines.join('\n')}\n`;
}

export function srmLine(r: AbTestReport): string {
  const s = r.srm;
  const status = s.flagged ? 'MISMATCH' : s.p_value === null ? 'not checked yet' : 'ok';
  const arms = s.units
    .map(
      (u) => `${u.arm} ${u.units} units${u.observed_share !== null ? ` ${formatPercent(u.observed_share)}` : ''} (expected ${formatPercent(u.expected_share)})`,
    )
    .join(', ');
  const p = formatP(s.p_value);
  const pText = p ? ` (p ${p.startsWith('<') ? p.replace('<', '< ') : `= ${p}`})` : '';
  const why = s.flagged ? `  results are suspect: ${s.reason}\n` : s.p_value === null ? `  ${s.reason}\n` : '';
  return `Sample ratio: ${status}${pText}${arms ? ` — ${arms}` : ''}\n${why}`;
}

function metricTable(r: AbTestReport, m: AbMetricResult): string {
  const byArm = new Map(m.comparisons.map((c) => [c.arm, c]));
  const control = m.comparisons[0]?.control;
  const bayes = r.method === 'bayesian';
  const rows = m.arms.map((a) => ({ a, c: byArm.get(a.arm) }));
  type Row = (typeof rows)[number];
  const cuped = m.arms.some((a) => a.cuped_mean !== null);
  const table = formatTable<Row>(
    [
      { header: 'ARM', value: ({ a }) => (a.arm === control ? `${a.arm} (control)` : a.arm) },
      { header: 'UNITS', value: ({ a }) => a.units, align: 'right' },
      { header: 'PENDING', value: ({ a }) => a.pending_units, align: 'right' },
      { header: 'MEAN', value: ({ a }) => formatNumber(a.mean), align: 'right' },
      ...(cuped ? [{ header: 'CUPED MEAN', value: ({ a }: Row) => formatNumber(a.cuped_mean), align: 'right' as const }] : []),
      { header: `LIFT [${intervalName(r)}]`, value: ({ c }) => (c ? liftText(c) : '') },
      ...(bayes
        ? [{ header: 'CHANCE TO WIN', value: ({ c }: Row) => formatPercent(c?.chance_to_win), align: 'right' as const }]
        : [
            { header: 'P', value: ({ c }: Row) => formatP(c?.p_value), align: 'right' as const },
            { header: 'ADJ. P', value: ({ c }: Row) => formatP(c?.adjusted_p_value), align: 'right' as const },
          ]),
      { header: 'VERDICT', value: ({ c }) => c?.verdict ?? '' },
    ],
    rows,
    { indent: 2 },
  );
  const reasons = m.comparisons.map((c) => `  ${c.arm}: ${c.reason}\n`).join('');
  return table + reasons;
}

export function reportText(r: AbTestReport, t?: AbTestInfo): string {
  const head = t
    ? `A/B test ${r.abtest} on ${t.deployment}: ${r.state}, ${r.method} (alpha ${r.alpha}), as of ${formatTime(r.at)}\n`
    : `A/B test ${r.abtest}: ${r.state}, ${r.method} (alpha ${r.alpha}), as of ${formatTime(r.at)}\n`;
  const metrics = r.metrics.map((m) => {
    const way = m.direction === 'decrease' ? 'lower is better' : 'higher is better';
    return `\n${heading(`${m.role === 'primary' ? 'Primary' : 'Guardrail'}: ${m.metric} (${m.kind}, ${way})`)}${metricTable(r, m)}`;
  });
  return `${head}${srmLine(r)}${metrics.join('')}\n${heading(`Decision: ${r.decision.verdict}`)}  ${r.decision.reason}\n`;
}

/** The primary metric's lift over time (`show --history`): one line per point and treatment arm. */
export function historyTable(points: readonly AbHistoryPoint[]): string {
  if (!points.length) return '  (no history yet)\n';
  return formatTable<AbHistoryPoint>(
    [
      { header: 'AT', value: (p) => formatTime(p.at) },
      { header: 'ARM', value: (p) => p.arm },
      { header: 'UNITS', value: (p) => p.units, align: 'right' },
      { header: 'LIFT', value: (p) => formatPercent(p.estimate, { sign: true }), align: 'right' },
      { header: 'LOWER', value: (p) => formatPercent(p.lower, { sign: true }), align: 'right' },
      { header: 'UPPER', value: (p) => formatPercent(p.upper, { sign: true }), align: 'right' },
    ],
    points,
    { indent: 2 },
  );
}
