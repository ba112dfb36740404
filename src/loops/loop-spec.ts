/**
 * A loop's spec: what a create or update request says, checked beyond its shape (the contract's), with the
 * defaults filled in. Stored as JSON in `loops.spec`, and copied onto each loop run when it starts, so a run
 * finishes under the policy it began with. Durations stay as the text the client sent and are read where used.
 */
import type { Static } from '@sinclair/typebox';
import { Cron } from 'croner';
import type * as C from '../contract/loops.js';
import { InvalidParameterError } from '../errors.js';
import { durationField } from '../fields.js';
import { checkFairnessSpecs } from './gate/index.js';

export type LoopCreateInput = Static<typeof C.LoopCreate>;
export type LoopUpdateInput = Static<typeof C.LoopUpdate>;
export type LoopSpec = Static<typeof C.LoopInfo>['spec'];
export type TriggerSpec = Static<typeof C.LoopTrigger>;
export type TrainingSpec = Static<typeof C.TrainingSpec>;
export type GateSpec = Static<typeof C.GateSpec>;
export type RolloutSpec = Static<typeof C.RolloutSpec>;
export type ApprovalPoint = (typeof C.APPROVAL_POINTS)[number];

export const DEFAULT_DEBOUNCE = '10m';
export const DEFAULT_WINDOW = '7d';
export const DEFAULT_LABEL = 'label';
export const DEFAULT_TRAINING_TIMEOUT = '2h';
export const DEFAULT_SHADOW = { duration: '10m', min_units: 0 } as const;
export const DEFAULT_STEP = { min_units: 100, max_duration: '1h' } as const;
export const DEFAULT_ALIAS = 'champion';

/** A cron expression that never fires again is refused: a loop that waits forever helps nobody. */
function checkCron(t: TriggerSpec, field: string, now: number): void {
  let next: Date | null;
  try {
    next = new Cron(t.cron!, { paused: true, ...(t.timezone ? { timezone: t.timezone } : {}) }).nextRun(new Date(now));
  } catch (err) {
    const what = /timezone/i.test((err as Error).message) ? `${field}.timezone` : `${field}.cron`;
    throw new InvalidParameterError(what, `${what}: ${(err as Error).message}`);
  }
  if (next === null) throw new InvalidParameterError(`${field}.cron`, `${field}.cron '${t.cron}' never fires after now.`);
}

function checkTriggers(triggers: TriggerSpec[], now: number): void {
  triggers.forEach((t, i) => {
    const f = `triggers[${i}]`;
    const need = (key: keyof TriggerSpec, kind: string) => {
      if (t[key] === undefined) throw new InvalidParameterError(`${f}.${key}`, `${f}: a ${kind} trigger needs '${key}'.`);
    };
    const allowed: Record<TriggerSpec['kind'], (keyof TriggerSpec)[]> = {
      manual: [],
      alert: ['rule'],
      schedule: ['cron', 'timezone'],
      labels: ['min_labels'],
      dataset: ['dataset'],
      registry: [],
    };
    for (const key of Object.keys(t) as (keyof TriggerSpec)[])
      if (key !== 'kind' && !allowed[t.kind].includes(key))
        throw new InvalidParameterError(`${f}.${key}`, `${f}: '${key}' does not apply to a ${t.kind} trigger.`);
    if (t.kind === 'schedule') {
      need('cron', 'schedule');
      checkCron(t, f, now);
    }
    if (t.kind === 'labels') need('min_labels', 'labels');
    if (t.kind === 'dataset') need('dataset', 'dataset');
  });
}

function checkTraining(t: TrainingSpec, field: string): TrainingSpec {
  if ((t.project === undefined) === (t.git === undefined))
    throw new InvalidParameterError(`${field}.project`, `${field}: give exactly one source: 'project' (a stored project's digest) or 'git'.`);
  // A credential in the URL would be stored and shown to every viewer of the loop: the executor's settings hold secrets.
  if (t.git && /^[a-z][a-z0-9+.-]*:\/\/[^/]*@/i.test(t.git.url))
    throw new InvalidParameterError(`${field}.git.url`, `${field}.git.url must not carry a user or password; give the executor its credentials instead.`);
  if (t.timeout !== undefined) durationField(t.timeout, `${field}.timeout`, {});
  const data = t.data && {
    ...t.data,
    production_window: t.data.production_window === undefined ? DEFAULT_WINDOW : t.data.production_window,
    label: t.data.label ?? DEFAULT_LABEL,
    holdout_share: t.data.holdout_share ?? 0.2,
    dataset_param: t.data.dataset_param ?? 'dataset',
    version_param: t.data.version_param ?? 'dataset_version',
  };
  if (data?.production_window) durationField(data.production_window, `${field}.data.production_window`, {});
  return { ...t, timeout: t.timeout ?? DEFAULT_TRAINING_TIMEOUT, ...(data ? { data } : {}) };
}

function checkGate(g: GateSpec): GateSpec {
  const window = g.production_window === undefined ? DEFAULT_WINDOW : g.production_window;
  if (window) durationField(window, 'gate.production_window', {});
  if (!g.holdout && !window)
    throw new InvalidParameterError('gate.holdout', "gate: give a 'holdout' dataset, a 'production_window', or both: the gate needs rows to score.");
  g.thresholds.forEach((t, i) => {
    if ([t.lower, t.upper, t.absolute, t.relative, t.margin].every((v) => v === undefined))
      throw new InvalidParameterError(
        `gate.thresholds[${i}]`,
        `gate.thresholds[${i}] (${t.metric}): give a bound — lower, upper, absolute, relative or margin.`,
      );
    if (t.lower !== undefined && t.upper !== undefined && t.lower > t.upper)
      throw new InvalidParameterError(`gate.thresholds[${i}].lower`, `gate.thresholds[${i}]: lower ${t.lower} is above upper ${t.upper}.`);
  });
  if (g.fairness !== undefined && g.fairness.length > 0) {
    if (!g.holdout)
      throw new InvalidParameterError('gate.fairness', "gate.fairness is judged on the holdout: give 'gate.holdout' (a dataset with the feature as a column).");
    checkFairnessSpecs(g.fairness, 'gate.fairness');
  }
  (g.slices ?? []).forEach((s, i) => {
    if (s.bins)
      for (let k = 1; k < s.bins.length; k++)
        if (!(s.bins[k]! > s.bins[k - 1]!)) throw new InvalidParameterError(`gate.slices[${i}].bins`, `gate.slices[${i}].bins must increase strictly.`);
  });
  return {
    ...g,
    production_window: window,
    label: g.label ?? DEFAULT_LABEL,
    slices: g.slices ?? [],
    min_slice_size: g.min_slice_size ?? 30,
    alpha: g.alpha ?? 0.05,
    replicates: g.replicates ?? 1000,
    seed: g.seed ?? 0,
  };
}

function checkRollout(r: RolloutSpec): RolloutSpec {
  // The registry reads these as version references (models:/m/latest, @v3): refused here, not at promotion.
  if (r.alias !== undefined && (/^v\d+$/i.test(r.alias) || r.alias.toLowerCase() === 'latest'))
    throw new InvalidParameterError('rollout.alias', `rollout.alias '${r.alias}': 'latest' and 'v<number>' name versions, not aliases.`);
  const shadow = r.shadow === null ? null : { ...DEFAULT_SHADOW, ...(r.shadow ?? {}) };
  if (shadow) durationField(shadow.duration, 'rollout.shadow.duration', { allowZero: true });
  const steps = r.steps.map((s, i) => {
    const step = { ...DEFAULT_STEP, ...s };
    durationField(step.max_duration, `rollout.steps[${i}].max_duration`, {});
    return step;
  });
  return {
    ...r,
    shadow,
    steps,
    primary_metric: r.primary_metric ?? { metric: 'model:accuracy', kind: 'ratio', window: '10m' },
    guardrails: r.guardrails ?? [],
    primary_margin: r.primary_margin ?? 0,
    shadow_margin: r.shadow_margin ?? 0.01,
    max_error_rate_increase: r.max_error_rate_increase ?? 0.01,
    max_latency_ratio: r.max_latency_ratio ?? 1.5,
    on_inconclusive: r.on_inconclusive ?? 'ask',
    on_insufficient_data: r.on_insufficient_data ?? 'hold',
    alias: r.alias ?? DEFAULT_ALIAS,
  };
}

/** The spec with defaults, or a 400 naming the field. `now` decides whether a cron still fires. */
export function parseLoopSpec(input: LoopUpdateInput, now = Date.now()): LoopSpec {
  const triggers = input.triggers ?? [];
  checkTriggers(triggers, now);
  const debounce = input.debounce ?? DEFAULT_DEBOUNCE;
  durationField(debounce, 'debounce', { allowZero: true });
  const approvals = input.approvals ?? [];
  const seen = new Set<string>();
  // A point the run never reaches would be skipped without a word: refused instead.
  const unreachable: Partial<Record<ApprovalPoint, string | false>> = {
    before_training: !input.training && 'the loop has no training',
    before_shadow: input.rollout.shadow === null && 'the rollout has no shadow step',
    before_canary: input.rollout.steps.length === 0 && 'the rollout has no canary step',
  };
  approvals.forEach((a, i) => {
    if (seen.has(a.at)) throw new InvalidParameterError(`approvals[${i}].at`, `approvals[${i}]: there is already an approval ${a.at.replace('_', ' ')}.`);
    const why = unreachable[a.at];
    if (why) throw new InvalidParameterError(`approvals[${i}].at`, `approvals[${i}]: no run would ever reach ${a.at} (${why}).`);
    seen.add(a.at);
  });
  return {
    triggers,
    debounce,
    training: input.training ? checkTraining(input.training, 'training') : null,
    gate: checkGate(input.gate),
    rollout: checkRollout(input.rollout),
    approvals: approvals.map((a) => ({ at: a.at, distinct_from_author: a.distinct_from_author ?? true })),
    dry_run: input.dry_run ?? false,
  };
}

/** Milliseconds of a duration the spec holds (already checked when the spec was parsed). */
export function ms(text: string, field: string): number {
  return durationField(text, field, { allowZero: true });
}
