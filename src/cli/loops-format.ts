/**
 * Readable output of `ferry loops ...` (pure): the loops table, one loop's summary (triggers, training, gate,
 * rollout, approvals), a loop's runs, one run's timeline (one row per step: seq, time, kind with the canary step
 * i/n, status, actor, the reason sentence; then the triggers recorded on it), a watched step as one line, the
 * verdict and a trigger's answer.
 */
import { formatNumber, formatPercent } from '../sdk/index.js';
import type {
  LoopCanaryStep,
  LoopGateThreshold,
  LoopInfo,
  LoopRolloutSpec,
  LoopRunDetail,
  LoopRunInfo,
  LoopStep,
  LoopTrainingSpec,
  LoopTriggerRecord,
  LoopTriggerResult,
  LoopTriggerSpec,
  LoopVerdict,
} from '../sdk/index.js';
import { formatDuration, formatTime } from './context.js';
import { formatDetails, formatTable, heading } from './table.js';

/** What fires the loop, in a few words: `alert credit-p99`, `schedule 0 3 * * * (UTC)`, `500 new labels`. */
export function triggerSummary(t: LoopTriggerSpec): string {
  switch (t.kind) {
    case 'alert':
      return t.rule ? `alert ${t.rule}` : 'any alert on the deployment';
    case 'schedule':
      return `schedule ${t.cron ?? '?'} (${t.timezone ?? 'UTC'})`;
    case 'labels':
      return `${t.min_labels ?? '?'} new labels`;
    case 'dataset':
      return `new version of dataset ${t.dataset ?? '?'}`;
    case 'registry':
      return 'new registered version';
    case 'manual':
      return 'manual';
  }
}

/** `accuracy margin 0.01`, `accuracy >= 0.8`, `log_loss <= 0.5, abs change -0.01`. */
export function thresholdSummary(t: LoopGateThreshold): string {
  const parts = [
    t.lower !== undefined ? `>= ${formatNumber(t.lower)}` : '',
    t.upper !== undefined ? `<= ${formatNumber(t.upper)}` : '',
    t.absolute !== undefined ? `abs change ${formatNumber(t.absolute, { sign: true })}` : '',
    t.relative !== undefined ? `rel change ${formatPercent(t.relative, { sign: true })}` : '',
    t.margin !== undefined ? `margin ${formatNumber(t.margin)}` : '',
    t.per_slice === false ? 'overall only' : '',
  ].filter(Boolean);
  return `${t.metric} ${parts.join(', ')}`.trim();
}

const stepWeight = (s: LoopCanaryStep) => `${formatNumber(s.weight)}%`;

/** `shadow 10m, canary 10% -> 50%, then alias champion`. */
export function rolloutSummary(r: LoopRolloutSpec): string {
  const shadow = r.shadow === null ? 'no shadow' : `shadow ${r.shadow?.duration ?? '10m'}`;
  const canary = r.steps.length ? `canary ${r.steps.map(stepWeight).join(' -> ')}` : 'no canary';
  return `${shadow}, ${canary}, then alias ${r.alias ?? 'champion'}`;
}

/** `sha256:1a2b3c4d… main on credit-risk@latest + 7d of production` (the project's digest cut to 8 hex digits). */
export function trainingSummary(t: LoopTrainingSpec | null): string {
  if (!t) return 'none: each run judges a registered version (trigger --candidate-version)';
  const source = t.project
    ? `${t.project.slice(0, 15)}…`
    : t.git
      ? `${t.git.url}@${t.git.commit.slice(0, 12)}${t.git.subdirectory ? `:${t.git.subdirectory}` : ''}`
      : '?';
  const data = t.data
    ? ` on ${t.data.dataset}@${t.data.version ?? 'latest'}${t.data.production_window === null ? '' : ` + ${t.data.production_window ?? '7d'} of production`}`
    : '';
  return `${source} ${t.entry_point ?? 'main'}${data}${t.executor ? ` (executor ${t.executor})` : ''}`;
}

/** `#3 promoted` for a loop's last run; '' for none. */
function lastRunText(l: LoopInfo): string {
  return l.last_run ? `#${l.last_run.seq} ${l.last_run.state}` : '';
}

export function loopsTable(loops: readonly LoopInfo[]): string {
  return formatTable<LoopInfo>(
    [
      { header: 'NAME', value: (l) => l.name },
      { header: 'MODEL', value: (l) => l.model, maxWidth: 32 },
      { header: 'DEPLOYMENT', value: (l) => l.deployment },
      { header: 'STATE', value: (l) => (l.spec.dry_run ? `${l.state} (dry run)` : l.state) },
      { header: 'TRIGGERS', value: (l) => ['manual', ...l.spec.triggers.map((t) => t.kind).filter((k) => k !== 'manual')].join(' '), maxWidth: 40 },
      { header: 'LAST RUN', value: lastRunText },
      { header: 'STARTED', value: (l) => formatTime(l.last_run?.started_at) },
      { header: 'REASON', value: (l) => l.last_run?.reason ?? '', maxWidth: 80 },
    ],
    loops,
  );
}

/** One loop in a few lines: what fires it and what each run does. */
export function loopSummary(l: LoopInfo): string {
  const s = l.spec;
  const head = `Loop ${l.name}: model ${l.model} on deployment ${l.deployment}, ${l.state}${s.dry_run ? ' (dry run: decides, changes nothing)' : ''}\n`;
  const details = formatDetails(
    [
      ['description', l.description],
      ['triggers', ['manual', ...s.triggers.filter((t) => t.kind !== 'manual').map(triggerSummary)].join('; ')],
      ['debounce', s.debounce],
      ['training', trainingSummary(s.training)],
      [
        'gate',
        s.gate.thresholds.map(thresholdSummary).join('; ') + (s.gate.holdout ? ` on ${s.gate.holdout.dataset}@${s.gate.holdout.version ?? 'latest'}` : ''),
      ],
      ['rollout', rolloutSummary(s.rollout)],
      ['approvals', s.approvals.map((a) => a.at.replace('_', ' ')).join(', ') || 'none'],
      [
        'last run',
        l.last_run ? `${lastRunText(l)}, started ${formatTime(l.last_run.started_at)}${l.last_run.reason ? `: ${l.last_run.reason}` : ''}` : 'none yet',
      ],
      ['created', `${formatTime(l.created_at)} by ${l.created_by}`],
    ],
    { indent: 2 },
  );
  return head + details;
}

/** `candidate 7 vs champion 6`. */
function versions(r: LoopRunInfo): string {
  return [r.candidate_version ? `candidate ${r.candidate_version}` : '', r.champion_version ? `champion ${r.champion_version}` : '']
    .filter(Boolean)
    .join(' vs ');
}

/** How long a run took, or has taken so far as of `now`. */
function runDuration(r: LoopRunInfo, now: number): string {
  return formatDuration((r.ended_at ?? now) - r.started_at);
}

export function runsTable(runs: readonly LoopRunInfo[], now = Date.now()): string {
  return formatTable<LoopRunInfo>(
    [
      { header: 'SEQ', value: (r) => r.seq, align: 'right' },
      { header: 'STATE', value: (r) => (r.dry_run ? `${r.state} (dry run)` : r.state) },
      { header: 'PHASE', value: (r) => r.phase },
      { header: 'TRIGGER', value: (r) => r.trigger },
      { header: 'AUTHOR', value: (r) => r.author, maxWidth: 24 },
      { header: 'CANDIDATE', value: (r) => r.candidate_version ?? '' },
      { header: 'CHAMPION', value: (r) => r.champion_version ?? '' },
      { header: 'STARTED', value: (r) => formatTime(r.started_at) },
      { header: 'DURATION', value: (r) => runDuration(r, now), align: 'right' },
      { header: 'REASON', value: (r) => r.reason ?? '', maxWidth: 80 },
    ],
    runs,
  );
}

/** A step's kind, with the canary step: `canary 1/2`. */
export function stepKind(s: Pick<LoopStep, 'kind' | 'index' | 'of'>): string {
  return s.index !== null && s.of !== null ? `${s.kind} ${s.index}/${s.of}` : s.kind;
}

export function stepsTable(steps: readonly LoopStep[]): string {
  if (!steps.length) return '  (no steps yet)\n';
  return formatTable<LoopStep>(
    [
      { header: 'SEQ', value: (s) => s.seq, align: 'right' },
      { header: 'TIME', value: (s) => formatTime(s.at) },
      { header: 'KIND', value: stepKind },
      { header: 'STATUS', value: (s) => s.status },
      { header: 'ACTOR', value: (s) => s.actor, maxWidth: 24 },
      { header: 'REASON', value: (s) => s.reason },
    ],
    steps,
    { indent: 2 },
  );
}

export function triggersTable(triggers: readonly LoopTriggerRecord[]): string {
  if (!triggers.length) return '  (none)\n';
  return formatTable<LoopTriggerRecord>(
    [
      { header: 'TIME', value: (t) => formatTime(t.at) },
      { header: 'KIND', value: (t) => t.kind },
      { header: 'ACTOR', value: (t) => t.actor, maxWidth: 24 },
      { header: 'COALESCED', value: (t) => (t.coalesced ? 'yes' : 'no (started the run)') },
      { header: 'DETAIL', value: (t) => t.detail },
    ],
    triggers,
    { indent: 2 },
  );
}

/** `Loop credit-loop run #3: running (canary), candidate 7 vs champion 6, started by alert (alice) …`. */
export function runHeadline(r: LoopRunInfo, now = Date.now()): string {
  const state = r.state === 'running' || r.state === 'awaiting_approval' ? `${r.state} (${r.phase})` : r.state;
  const vs = versions(r);
  const when = r.ended_at !== null ? `, took ${runDuration(r, now)}` : `, for ${runDuration(r, now)}`;
  return `Loop ${r.loop} run #${r.seq}: ${state}${r.dry_run ? ', dry run' : ''}${vs ? `, ${vs}` : ''}; ${r.trigger} trigger by ${r.author} at ${formatTime(r.started_at)}${when}\n`;
}

/** What a step links to, in words: `job 0f3c…, model version 7, abtest loop-credit-3`. */
export function linksText(s: LoopStep): string {
  const l = s.links;
  return [
    l.job_id ? `job ${l.job_id}` : '',
    l.run_id ? `tracking run ${l.run_id}` : '',
    ...(l.dataset_versions ?? []).map((d) => `dataset ${d.dataset} v${d.version}`),
    l.model_version ? `model version ${l.model_version}` : '',
    l.champion_version ? `champion ${l.champion_version}` : '',
    l.deployment_revision !== undefined ? `deployment revision ${l.deployment_revision}` : '',
    l.abtest ? `abtest ${l.abtest}` : '',
    l.alert_rule ? `alert rule ${l.alert_rule}` : '',
  ]
    .filter(Boolean)
    .join(', ');
}

/** Each step's links and evidence (`show --evidence`): the numbers the decision stood on, as compact JSON. */
export function evidenceText(steps: readonly LoopStep[]): string {
  return steps
    .map((s) => {
      const links = linksText(s);
      const evidence = Object.keys(s.evidence).length ? JSON.stringify(s.evidence) : '';
      return `  #${s.seq} ${stepKind(s)} ${s.status}${links ? `\n    links     ${links}` : ''}${evidence ? `\n    evidence  ${evidence}` : ''}\n`;
    })
    .join('');
}

/** The run's timeline: the headline, one row per step, then the triggers recorded on it; what to do next where it waits. */
export function runText(r: LoopRunDetail, opts: { evidence?: boolean; now?: number } = {}): string {
  const parts = [runHeadline(r, opts.now), `\n${heading('Steps')}`, stepsTable(r.steps), `\n${heading('Triggers')}`, triggersTable(r.triggers)];
  if (opts.evidence) parts.push(`\n${heading('Evidence')}`, evidenceText(r.steps) || '  (no steps yet)\n');
  const next = nextHint(r);
  if (next) parts.push(`\n${next}\n`);
  return parts.join('');
}

/** The command a waiting run needs, or ''. */
export function nextHint(r: Pick<LoopRunInfo, 'loop' | 'seq' | 'state'>): string {
  if (r.state === 'awaiting_approval') return `Awaiting approval: ferry loops approve ${r.loop} ${r.seq} [--reject] [--reason TEXT]`;
  return '';
}

/** One watched step as a line (no table: rows arrive one by one). */
export function stepLine(s: LoopStep): string {
  return `  ${String(s.seq).padStart(3)}  ${formatTime(s.at)}  ${stepKind(s)}  ${s.status}  ${s.actor}  ${s.reason}\n`;
}

/** One trigger recorded while watching. */
export function triggerLine(t: LoopTriggerRecord): string {
  return `  trigger ${formatTime(t.at)}  ${t.kind}  ${t.actor}${t.coalesced ? '  (coalesced)' : ''}  ${t.detail}\n`;
}

/** The answer to `ferry loops trigger`: the run started, or the run the trigger was recorded on. */
export function triggerText(r: LoopTriggerResult): string {
  const run = r.loop_run;
  if (r.coalesced) return `Run #${run.seq} of loop ${run.loop} is going (${run.state}, ${run.phase}): the trigger is recorded on it; no new run started.\n`;
  return `Started run #${run.seq} of loop ${run.loop}${run.dry_run ? ' (dry run: decides, changes nothing)' : ''}${run.candidate_version ? `, judging version ${run.candidate_version}` : ''}.\n`;
}

/** The verdict as Argo Rollouts reads it, in words: `ok: the judge passes canary step …`. */
export function verdictText(v: LoopVerdict): string {
  const interval =
    v.interval && v.interval[0] !== null && v.interval[1] !== null
      ? ` [${formatPercent(v.interval[0], { sign: true })}, ${formatPercent(v.interval[1], { sign: true })}]`
      : '';
  const lift = v.lift !== null ? `, lift ${formatPercent(v.lift, { sign: true })}${interval}` : '';
  const where = v.loop_run !== null ? ` (run #${v.loop_run}${v.phase ? `, ${v.phase}` : ''})` : '';
  return `${v.ok ? 'ok' : 'not ok'}: ${v.verdict ?? 'no verdict'}${lift}${where}\n  ${v.reason}\n`;
}
