/** The quickstart's closing message: where Ferry runs, how to sign in, and what the demo shows. */
import pc from 'picocolors';
import type { DemoSummary } from './index.js';

const n = (x: number) => x.toLocaleString('en-US');
const pct = (x: number | null) => (x === null ? '-' : x.toFixed(2));

export interface ReportContext {
  url: string;
  token: string | null;
  tokenFile: string;
  dataDir: string;
}

function header(ctx: ReportContext): string[] {
  return [
    '',
    `${pc.bold('Open ')} ${pc.cyan(ctx.url)}`,
    `${pc.bold('Token')} ${ctx.token ?? `(the admin token saved when this data dir was made; see ${ctx.tokenFile})`}`,
    `      sign in with it in the browser; also saved (mode 0600) in ${ctx.tokenFile}`,
    '',
  ];
}

function liveLines(live: boolean): string[] {
  if (!live) return [];
  return [`  • ${pc.bold('Live')}: for the next 30 minutes, 40 applicants a second from the new population keep arriving (--no-live turns this off).`];
}

function loopLines(d: DemoSummary): string[] {
  if (!d.loop) return [];
  return [
    `  • Loop ${pc.bold(d.loop.name)}: retrains on drift, gates, shadows, canaries and promotes — each step with its evidence and why:`,
    ...d.loop.runs.map(
      (r) =>
        `    run ${r.seq} (${r.trigger}${r.candidate_version ? `, version ${r.candidate_version}` : ''}): ${r.state.replace('_', ' ')} — ${r.reason ?? ''}`,
    ),
  ];
}

function footer(ctx: ReportContext): string[] {
  return [
    '',
    'From a terminal:',
    `  export FERRY_URL=${ctx.url} FERRY_TOKEN=${ctx.token ?? '<token>'}`,
    '  npx ferry deployments show credit-risk     # routes and weights',
    '  npx ferry drift credit-risk --since 15m    # which features drifted',
    '  npx ferry performance credit-risk --since 15m',
    '  npx ferry alerts                           # what is firing',
    '  npx ferry abtest show credit-risk-v2       # is the canary better? (the A/B tests page plots it)',
    '  npx ferry loops show credit-risk-retrain   # what the loop did, step by step (the Loops page draws it)',
    '',
    `Ctrl-C stops the server. \`ferry quickstart --data-dir ${ctx.dataDir}\` reopens this demo; delete the folder for a fresh one.`,
    '',
  ];
}

export function loadedReport(ctx: ReportContext, d: DemoSummary, live: boolean): string {
  const [v1, v2] = d.model.versions;
  const drifting = d.monitoring.windows.filter((w) => w.rows > 0);
  const drifted = drifting.filter((w) => w.dataset_drift);
  const firing = d.alerts.filter((a) => a.state === 'firing');
  const quiet = d.alerts.filter((a) => a.state !== 'firing').map((a) => a.rule);
  const perf = d.monitoring.performance.map((p) => `v${p.model_version} accuracy ${pct(p.accuracy)}, ROC AUC ${pct(p.roc_auc)} (${n(p.n)} labels)`);
  const shift = new Date(d.traffic.drift_from).getTime() - new Date(d.traffic.started_at).getTime();
  const served = Object.entries(d.traffic.by_version)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([v, c]) => `v${v} ${n(c.requests)}`)
    .join(', ');
  const lines = [
    ...header(ctx),
    pc.bold(`The demo: the credit-risk model in production (loaded in ${d.seconds.toFixed(0)} s)`),
    `  • Deployment ${pc.bold('credit-risk')} serves model credit-risk v${v1?.version} to ${v1?.weight}% of requests and v${v2?.version} to ${v2?.weight}% (a canary).`,
    `    ${n(d.traffic.requests)} requests (${n(d.traffic.rows)} loan applications) were replayed: ${served}.`,
    `  • ${Math.round(shift / 1000)} s into the replay the applicants changed: younger, incomes ×1.6, more debt, shorter jobs, more renters and business loans.`,
    `    Drift against the training data (credit-risk@1), per 10 s window: ${drifted.length} of ${drifting.length} windows drifted` +
      (d.monitoring.drifted_features.length ? `; last window: ${d.monitoring.drifted_features.join(', ')}.` : '.'),
    ...firing.map(
      (a) =>
        `  • ${pc.red(pc.bold('Alert firing'))}: ${a.rule} — ${a.metric} = ${a.value ?? 'n/a'} (rule: ${a.metric} ${a.comparison} ${a.threshold}, severity ${a.severity}).`,
    ),
    ...(firing.length === 0 ? ['  • No alert is firing yet (the server evaluates rules every 30 s).'] : []),
    ...(quiet.length ? [`    Quiet: ${quiet.join(', ')}.`] : []),
    `  • Live performance from feedback labels: ${perf.join('; ') || 'no labels yet'}.`,
    `  • A/B test ${pc.bold(d.abtest.name)}, v${v2?.version} against v${v1?.version} on accuracy (log loss as guardrail), each request a unit: ` +
      `${d.abtest.arms.map((a) => `v${a.arm} ${n(a.units)} mature units, accuracy ${pct(a.mean)}`).join('; ')}.`,
    `    ${d.abtest.verdict}: ${d.abtest.reason}${d.abtest.srm_flagged ? ' The split does not match the weights (sample-ratio mismatch).' : ''}`,
    ...loopLines(d),
    `  • Training: experiment credit-risk, ${d.experiment.runs.length} runs; v${v1?.version} and v${v2?.version} link back to their runs and dataset versions (lineage).`,
    `  • Data: dataset credit-risk, ${d.dataset.versions.length} versions; suite ${d.dataset.suite}` +
      (d.dataset.v2_validation
        ? ` on v2: ${d.dataset.v2_validation.success ? 'passed' : 'failed'} (${d.dataset.v2_validation.evaluated - d.dataset.v2_validation.failed}/${d.dataset.v2_validation.evaluated} expectations).`
        : '.'),
    ...liveLines(live),
    ...footer(ctx),
  ];
  return lines.join('\n');
}

export function reusedReport(ctx: ReportContext, loadedAt: string | null, live: boolean): string {
  return [
    ...header(ctx),
    pc.bold(`The demo project credit-risk is already in this data dir${loadedAt ? ` (loaded ${loadedAt})` : ''}; not loading it again.`),
    '  Its traffic was replayed when it was loaded: look at that time for the canary split, the drift and the alert.',
    ...liveLines(live),
    ...footer(ctx),
  ].join('\n');
}

export function bareReport(ctx: ReportContext): string {
  return [...header(ctx), 'Started without the demo (--no-demo).', ...footer(ctx).slice(-2)].join('\n');
}
