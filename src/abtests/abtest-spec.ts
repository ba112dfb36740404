/**
 * An A/B test's spec: what a create request says, checked beyond its shape (the contract's) against the
 * deployment it runs on, with the defaults filled in. Stored as JSON in `abtests.spec`; durations are kept as
 * the text the client sent (shown back as sent) and read into milliseconds where the report needs them.
 */
import type { Static } from '@sinclair/typebox';
import type * as C from '../contract/abtests.js';
import { REQUESTS_METRIC } from '../contract/abtests.js';
import { InvalidParameterError, InvalidStateError } from '../errors.js';
import { durationField } from '../fields.js';
import { withQualityDefaults } from './quality-metrics.js';

export type AbMetric = Static<typeof C.AbMetric>;
export type AbTestCreateInput = Static<typeof C.AbTestCreate>;
export type AbTestSettings = Static<typeof C.AbTestInfo>['settings'];

export interface Arm {
  version: string;
  weight: number;
}

export interface AbTestSpec {
  description: string | null;
  unit_key: string | null;
  arms: Arm[];
  control: string;
  primary_metric: AbMetric;
  guardrails: AbMetric[];
  settings: AbTestSettings;
}

/** A metric with its durations in milliseconds (what the report's queries need). */
export interface MetricPlan {
  metric: string;
  role: 'primary' | 'guardrail';
  kind: AbMetric['kind'];
  direction: 'increase' | 'decrease';
  denominator: string | null;
  windowMs: number;
  delayMs: number;
  /** null: no CUPED. */
  lookbackMs: number | null;
}

/** The deployment as the test sees it: its main routes' versions and weights, and its sticky key. */
export interface DeploymentArms {
  name: string;
  routes: Arm[];
  stickyKey: string | null;
}

const WEIGHT_TOLERANCE = 1e-9;

export const DEFAULT_SETTINGS: AbTestSettings = Object.freeze({
  method: 'sequential',
  alpha: 0.05,
  sequential_tuning: 5000,
  correction: 'holm',
  prior_mean: 0,
  prior_stddev: 0.1,
  proper_prior: false,
});

/** Checks one metric (field: where it sits in the request, for refusals) and returns it as stored. */
function checkMetric(input: AbMetric, field: string): AbMetric {
  const m = withQualityDefaults(input, field);
  if (m.kind === 'ratio' && m.denominator === undefined)
    throw new InvalidParameterError(`${field}.denominator`, `${field} is a ratio metric: it needs a denominator (a metric, or ${REQUESTS_METRIC}).`);
  if (m.kind !== 'ratio' && m.denominator !== undefined)
    throw new InvalidParameterError(`${field}.denominator`, `${field} is a ${m.kind} metric: only ratio metrics take a denominator.`);
  if (m.denominator === m.metric) throw new InvalidParameterError(`${field}.denominator`, `${field}.denominator must differ from its metric.`);
  durationField(m.window, `${field}.window`);
  if (m.delay !== undefined) durationField(m.delay, `${field}.delay`, { allowZero: true });
  if (m.cuped_lookback !== undefined && m.cuped_lookback !== null) durationField(m.cuped_lookback, `${field}.cuped_lookback`);
  return { ...m, direction: m.direction ?? 'increase' };
}

/** The metric's plan: durations read (they were checked when the test was created). */
export function metricPlan(m: AbMetric, role: 'primary' | 'guardrail'): MetricPlan {
  return {
    metric: m.metric,
    role,
    kind: m.kind,
    direction: m.direction ?? 'increase',
    denominator: m.denominator ?? null,
    windowMs: durationField(m.window, 'window'),
    delayMs: m.delay === undefined ? 0 : durationField(m.delay, 'delay', { allowZero: true }),
    lookbackMs: m.cuped_lookback === undefined || m.cuped_lookback === null ? null : durationField(m.cuped_lookback, 'cuped_lookback'),
  };
}

export function metricPlans(spec: AbTestSpec): MetricPlan[] {
  return [metricPlan(spec.primary_metric, 'primary'), ...spec.guardrails.map((g) => metricPlan(g, 'guardrail'))];
}

/** The deployment's split in percent (its weights need not add up to 100). */
function percentages(routes: Arm[]): Arm[] {
  const total = routes.reduce((a, r) => a + r.weight, 0);
  return routes.map((r) => ({ version: r.version, weight: (r.weight / total) * 100 }));
}

function checkArms(input: AbTestCreateInput['arms'], dep: DeploymentArms): Arm[] {
  const expected = percentages(dep.routes);
  if (input === undefined) return expected;
  const versions = dep.routes.map((r) => r.version);
  const named = input.map((a) => a.version);
  if (new Set(named).size !== named.length || named.length !== versions.length || !named.every((v) => versions.includes(v)))
    throw new InvalidParameterError(
      'arms',
      `'arms' must name each version deployment '${dep.name}' serves exactly once (${versions.join(', ')}); got ${named.join(', ')}.`,
    );
  const sum = input.reduce((a, r) => a + r.weight, 0);
  if (Math.abs(sum - 100) > WEIGHT_TOLERANCE) throw new InvalidParameterError('arms', `The weights of 'arms' must add up to 100; they add up to ${sum}.`);
  for (const a of input) {
    const want = expected.find((e) => e.version === a.version)!.weight;
    if (Math.abs(a.weight - want) > WEIGHT_TOLERANCE)
      throw new InvalidStateError(
        `'arms' say ${input.map((x) => `${x.version}: ${x.weight}%`).join(', ')} but deployment '${dep.name}' splits ` +
          `${expected.map((x) => `${x.version}: ${x.weight}%`).join(', ')}; change the deployment's weights or the arms so they agree.`,
      );
  }
  // In the deployment's route order, so the SRM check lines arms and weights up the same way.
  return expected.map((e) => ({ version: e.version, weight: input.find((a) => a.version === e.version)!.weight }));
}

/** Checks a create request against the deployment and returns the spec to store. */
export function buildSpec(input: AbTestCreateInput, dep: DeploymentArms): AbTestSpec {
  if (dep.routes.length < 2)
    throw new InvalidParameterError(
      'deployment',
      `Deployment '${dep.name}' has ${dep.routes.length} route; an A/B test needs two or more (its routes are the arms).`,
    );
  const versions = dep.routes.map((r) => r.version);
  if (new Set(versions).size !== versions.length)
    throw new InvalidParameterError(
      'deployment',
      `Deployment '${dep.name}' serves one version on two routes (${versions.join(', ')}): its arms would be indistinguishable.`,
    );
  if (dep.routes.some((r) => !(r.weight > 0)))
    throw new InvalidParameterError('deployment', `Deployment '${dep.name}' has a route with weight 0: every arm needs traffic.`);
  const arms = checkArms(input.arms, dep);
  const control = input.control ?? arms[0]!.version;
  if (!arms.some((a) => a.version === control))
    throw new InvalidParameterError('control', `'control' must be one of the arms (${arms.map((a) => a.version).join(', ')}); got '${control}'.`);
  const primary = checkMetric(input.primary_metric, 'primary_metric');
  const guardrails = (input.guardrails ?? []).map((g, i) => checkMetric(g, `guardrails[${i}]`));
  const seen = new Set([primary.metric]);
  guardrails.forEach((g, i) => {
    if (seen.has(g.metric)) throw new InvalidParameterError(`guardrails[${i}].metric`, `Metric '${g.metric}' is listed twice.`);
    seen.add(g.metric);
  });
  const settings = { ...DEFAULT_SETTINGS, ...(input.settings ?? {}) };
  return {
    description: input.description ?? null,
    unit_key: dep.stickyKey,
    arms,
    control,
    primary_metric: primary,
    guardrails,
    settings,
  };
}
