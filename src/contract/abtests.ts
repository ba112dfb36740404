/**
 * A/B tests (native API, /api/v1/abtests) — online experiments between a deployment's model versions on business
 * outcomes, not to be confused with MLflow experiments (groups of runs) — and outcome events (/api/v1/outcomes).
 */
import { Type } from '@sinclair/typebox';
import { defineOperation } from './operation.js';
import { EpochMs, Nullable, SlugName, StringEnum, Text } from './common.js';
import { Duration } from './duration.js';

const tag = 'abtests';
const P = '/api/v1/abtests';

export const ABTEST_STATES = ['draft', 'running', 'stopped'] as const;
export const METRIC_KINDS = ['proportion', 'mean', 'ratio'] as const;
export const ENGINE_METHODS = ['sequential', 'fixed', 'bayesian'] as const;
export const CORRECTIONS = ['holm', 'benjamini-hochberg', 'none'] as const;
export const VERDICTS = ['better', 'worse', 'inconclusive', 'insufficient_data'] as const;
/** The denominator of a ratio metric that counts the unit's predictions (e.g. revenue per prediction). */
export const REQUESTS_METRIC = '$requests';

const AbTestName = Type.String({
  pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$',
  description: 'unique A/B test name: letters, digits and _ . -, at most 128 characters',
});
export const MetricName = Type.String({
  pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$',
  description: 'an outcome metric: letters, digits and _ . : -, at most 128 characters (e.g. conversion, revenue)',
});
const Instant = (description: string) =>
  Type.String({ minLength: 1, maxLength: 64, description: `${description}: ISO 8601, epoch milliseconds, or a duration ago such as 24h` });
const InstantValue = (description: string) =>
  Type.Unsafe<string | number>({ type: ['string', 'integer'], description: `${description}: ISO 8601, epoch milliseconds, or a duration ago such as 1h30m` });

// ---- definitions ----

export const AbMetric = Type.Object(
  {
    metric: MetricName,
    kind: StringEnum(METRIC_KINDS, {
      description:
        "proportion: share of units with an event of the metric in their window; mean: the sum of the unit's values in its window, averaged over units; ratio: the sum of the metric over the sum of `denominator` (delta method)",
    }),
    denominator: Type.Optional(
      Type.String({
        pattern: '^(\\$requests|[A-Za-z0-9][A-Za-z0-9_.:-]{0,127})$',
        description: "ratio only: the denominator's metric, or $requests (the unit's predictions)",
      }),
    ),
    direction: Type.Optional(StringEnum(['increase', 'decrease'] as const, { description: 'which way is better (default increase)' })),
    window: Duration('attribution window: a unit counts once this long has passed since its first exposure (plus the delay)'),
    delay: Type.Optional(Duration('events this soon after the first exposure are not counted (default 0)')),
    cuped_lookback: Type.Optional(
      Nullable(Duration("CUPED: the unit's same metric over this long before its first exposure is the covariate (null or absent: no CUPED)")),
    ),
  },
  { additionalProperties: false },
);

export const EngineSettings = Type.Object(
  {
    method: Type.Optional(
      StringEnum(ENGINE_METHODS, { description: 'sequential (default: always-valid, peek at will), fixed (one look at a planned horizon) or bayesian' }),
    ),
    alpha: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 0.5, description: 'false-positive rate (default 0.05)' })),
    sequential_tuning: Type.Optional(
      Type.Number({ minimum: 1, maximum: 1e9, description: 'sequential: N*, the units at which you expect to decide (default 5000)' }),
    ),
    correction: Type.Optional(StringEnum(CORRECTIONS, { description: 'across the primary metric and the guardrails (default holm)' })),
    prior_mean: Type.Optional(Type.Number({ description: 'bayesian: prior mean of the relative lift (default 0)' })),
    prior_stddev: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'bayesian: prior standard deviation of the relative lift (default 0.1)' })),
    proper_prior: Type.Optional(Type.Boolean({ description: 'bayesian: use the prior (default false: flat)' })),
  },
  { additionalProperties: false },
);

export const ArmSpec = Type.Object(
  {
    version: Type.String({ minLength: 1, maxLength: 64, description: 'a model version the deployment serves (one of its routes)' }),
    weight: Type.Number({ minimum: 0, maximum: 100, description: "its share of traffic in percent; the arms' weights sum to 100" }),
  },
  { additionalProperties: false },
);

export const AbTestCreate = Type.Object(
  {
    name: AbTestName,
    deployment: SlugName,
    description: Type.Optional(Text({ maxLength: 2000 })),
    primary_metric: AbMetric,
    guardrails: Type.Optional(Type.Array(AbMetric, { maxItems: 20, description: 'metrics that must not get worse' })),
    arms: Type.Optional(
      Type.Array(ArmSpec, {
        minItems: 2,
        maxItems: 10,
        description: "the split the test expects (checked for sample-ratio mismatch); default: the deployment's routes and weights, which these must equal",
      }),
    ),
    control: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: "the control arm's version (default the deployment's first route)" })),
    settings: Type.Optional(EngineSettings),
    start: Type.Optional(Type.Boolean({ description: 'start at once (default true); false leaves it a draft' })),
  },
  { additionalProperties: false },
);

export const AbTestInfo = Type.Object({
  id: Type.String(),
  name: Type.String(),
  deployment: Type.String(),
  description: Nullable(Type.String()),
  state: StringEnum(ABTEST_STATES),
  unit_key: Nullable(Type.String({ description: "the deployment's sticky key: its value is the unit; null: each request is a unit" })),
  arms: Type.Array(Type.Object({ version: Type.String(), weight: Type.Number() })),
  control: Type.String(),
  primary_metric: AbMetric,
  guardrails: Type.Array(AbMetric),
  settings: Type.Object({
    method: StringEnum(ENGINE_METHODS),
    alpha: Type.Number(),
    sequential_tuning: Type.Number(),
    correction: StringEnum(CORRECTIONS),
    prior_mean: Type.Number(),
    prior_stddev: Type.Number(),
    proper_prior: Type.Boolean(),
  }),
  created_at: EpochMs,
  created_by: Type.String(),
  started_at: Nullable(EpochMs),
  stopped_at: Nullable(EpochMs),
  stopped_by: Nullable(Type.String()),
  stop_reason: Nullable(Type.String()),
});

const AbTestAnswer = Type.Object({ abtest: AbTestInfo });
const AbTestParams = Type.Object({ name: AbTestName });

// ---- the report ----

export const EffectInterval = Type.Object({
  estimate: Type.Number(),
  lower: Nullable(Type.Number()),
  upper: Nullable(Type.Number()),
  stderr: Type.Number(),
  p_value: Nullable(Type.Number()),
});

export const ArmResult = Type.Object({
  arm: Type.String({ description: 'the model version' }),
  units: Type.Integer({ description: 'mature units: their window has closed' }),
  pending_units: Type.Integer({ description: 'exposed units whose window is still open (not counted yet)' }),
  mean: Nullable(Type.Number({ description: 'the metric per unit (the ratio for ratio metrics; the share for proportions)' })),
  cuped_mean: Nullable(Type.Number({ description: 'the mean adjusted by CUPED, when CUPED applies' })),
});

export const Comparison = Type.Object({
  arm: Type.String({ description: 'the treatment arm' }),
  control: Type.String(),
  absolute: Nullable(EffectInterval),
  relative: Nullable(EffectInterval),
  p_value: Nullable(Type.Number({ description: 'always-valid for sequential tests' })),
  adjusted_p_value: Nullable(Type.Number({ description: 'after the correction across metrics' })),
  chance_to_win: Nullable(Type.Number()),
  risk: Nullable(Type.Object({ control: Type.Number(), treatment: Type.Number() })),
  verdict: StringEnum(VERDICTS),
  reason: Type.String({ description: 'one sentence saying why' }),
});

export const MetricResult = Type.Object({
  metric: Type.String(),
  role: StringEnum(['primary', 'guardrail'] as const),
  kind: StringEnum(METRIC_KINDS),
  direction: StringEnum(['increase', 'decrease'] as const),
  arms: Type.Array(ArmResult),
  comparisons: Type.Array(Comparison),
});

export const SrmResult = Type.Object({
  chi_squared: Nullable(Type.Number()),
  p_value: Nullable(Type.Number()),
  flagged: Type.Boolean({ description: 'p < 0.001: the split differs from the configured weights; results are suspect' }),
  units: Type.Array(Type.Object({ arm: Type.String(), units: Type.Integer(), expected_share: Type.Number(), observed_share: Nullable(Type.Number()) })),
  reason: Type.String(),
});

export const HistoryPoint = Type.Object({
  at: EpochMs,
  metric: Type.String(),
  arm: Type.String(),
  units: Type.Integer(),
  estimate: Nullable(Type.Number({ description: 'relative lift over control' })),
  lower: Nullable(Type.Number()),
  upper: Nullable(Type.Number()),
});

export const AbTestReport = Type.Object({
  abtest: Type.String(),
  state: StringEnum(ABTEST_STATES),
  at: EpochMs,
  method: StringEnum(ENGINE_METHODS),
  alpha: Type.Number(),
  srm: SrmResult,
  metrics: Type.Array(MetricResult),
  decision: Type.Object({
    verdict: StringEnum(VERDICTS),
    reason: Type.String({ description: 'the primary metric and the guardrails in one sentence' }),
  }),
  history: Type.Array(HistoryPoint, { description: 'the primary metric over time (with history=true)' }),
});

// ---- operations ----

export const createAbTest = defineOperation({
  method: 'POST',
  path: P,
  operationId: 'createAbTest',
  tag,
  access: 'editor',
  style: 'native',
  summary: 'Create an A/B test on a deployment: its routes are the arms, a primary metric and guardrails decide',
  description:
    'The deployment needs two routes or more. Its sticky key names the unit (a user, an account); without one, each request is a unit. Assignment hashes the unit with a salt of the test, so two tests split independently.',
  body: AbTestCreate,
  responses: { 201: AbTestAnswer },
});

export const listAbTests = defineOperation({
  method: 'GET',
  path: P,
  operationId: 'listAbTests',
  tag,
  access: 'viewer',
  style: 'native',
  summary: 'A/B tests, newest first',
  query: Type.Object({
    deployment: Type.Optional(SlugName),
    state: Type.Optional(StringEnum(ABTEST_STATES)),
  }),
  responses: { 200: Type.Object({ abtests: Type.Array(AbTestInfo) }) },
});

export const getAbTest = defineOperation({
  method: 'GET',
  path: `${P}/:name`,
  operationId: 'getAbTest',
  tag,
  access: 'viewer',
  style: 'native',
  summary: 'One A/B test',
  params: AbTestParams,
  responses: { 200: AbTestAnswer },
});

export const startAbTest = defineOperation({
  method: 'POST',
  path: `${P}/:name/start`,
  operationId: 'startAbTest',
  tag,
  access: 'editor',
  style: 'native',
  summary: 'Start a draft A/B test (one running test per deployment)',
  params: AbTestParams,
  body: Nullable(Type.Object({}, { additionalProperties: false, description: 'nothing: send {} or no body' })),
  responses: { 200: AbTestAnswer },
});

export const stopAbTest = defineOperation({
  method: 'POST',
  path: `${P}/:name/stop`,
  operationId: 'stopAbTest',
  tag,
  access: 'editor',
  style: 'native',
  summary: 'Stop an A/B test: assignment ends (the deployment routes by weight again); the report stays',
  params: AbTestParams,
  body: Nullable(Type.Object({ reason: Type.Optional(Text({ maxLength: 1000 })) }, { additionalProperties: false })),
  responses: { 200: AbTestAnswer },
});

export const getAbTestReport = defineOperation({
  method: 'GET',
  path: `${P}/:name/report`,
  operationId: 'getAbTestReport',
  tag,
  access: 'viewer',
  style: 'native',
  summary: 'The report: per metric and arm, mature and pending units, the effect with its interval, p-value, verdict and why; the sample-ratio check',
  params: AbTestParams,
  query: Type.Object({
    at: Type.Optional(Instant('read the test as of this time (default now)')),
    history: Type.Optional(Type.Boolean({ description: 'add the primary metric over time (default false)' })),
    points: Type.Optional(Type.Integer({ minimum: 2, maximum: 200, description: 'history: how many points (default 30)' })),
  }),
  responses: { 200: AbTestReport },
});

// ---- outcomes ----

export const MAX_OUTCOMES = 10_000;

export const OutcomeItem = Type.Object(
  {
    unit: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: "the unit: the sticky key's value (a user id, an account)" })),
    request_id: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'or the request a prediction answered: its unit is credited' })),
    metric: MetricName,
    value: Type.Optional(Type.Number({ description: 'the amount (revenue, a count); default 1 (an occurrence: a conversion, a click)' })),
    timestamp: Type.Optional(InstantValue('when it happened: ISO 8601, epoch ms or a duration ago (default: now)')),
  },
  { additionalProperties: false, description: 'exactly one of unit or request_id' },
);

export const OutcomeResult = Type.Object({
  accepted: Type.Integer({ description: 'events stored' }),
  unknown: Type.Array(
    Type.Object({ index: Type.Integer(), unit: Type.Optional(Type.String()), request_id: Type.Optional(Type.String()), reason: Type.String() }),
    {
      description:
        'items whose unit no A/B test has seen (stored all the same when given by unit: a pre-exposure event counts for CUPED), or whose request is unknown (not stored)',
    },
  ),
});

export const submitOutcomes = defineOperation({
  method: 'POST',
  path: '/api/v1/outcomes',
  operationId: 'submitOutcomes',
  tag,
  access: 'editor',
  style: 'native',
  summary: 'Business outcome events by unit or request (conversions, revenue, defaults, clicks), arriving any time later',
  body: Type.Object({ outcomes: Type.Array(OutcomeItem, { minItems: 1, maxItems: MAX_OUTCOMES }) }),
  rawBody: {
    description: 'A JSON list of outcome events, or {"outcomes": [...]}',
    content: {
      'application/json': {
        schema: Type.Union([
          Type.Array(OutcomeItem, { minItems: 1, maxItems: MAX_OUTCOMES }),
          Type.Object({ outcomes: Type.Array(OutcomeItem, { minItems: 1, maxItems: MAX_OUTCOMES }) }),
        ]),
      },
    },
  },
  responses: { 200: OutcomeResult },
});
