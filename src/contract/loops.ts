/**
 * Loops (native API, /api/v1/loops): per registered model and deployment, triggers → a training job → an offline
 * gate → shadow → canary steps judged by the A/B engine → promote or roll back. Each firing is a loop run whose
 * steps are append-only records with their evidence and one sentence saying why.
 */
import { Type } from '@sinclair/typebox';
import { defineOperation } from './operation.js';
import { EpochMs, Nullable, SlugName, StringEnum, Text } from './common.js';
import { Duration } from './duration.js';
import { AbMetric } from './abtests.js';
import { ExecutorName, GitSource, ProjectDigest } from './jobs.js';
import { PARITY_METRICS } from './fairness.js';

const tag = 'loops';
const P = '/api/v1/loops';

export const TRIGGER_KINDS = ['manual', 'alert', 'schedule', 'labels', 'dataset', 'registry'] as const;
export const LOOP_STATES = ['active', 'paused'] as const;
export const LOOP_RUN_STATES = ['running', 'awaiting_approval', 'promoted', 'rolled_back', 'rejected', 'failed', 'cancelled', 'dry_run'] as const;
export const TERMINAL_LOOP_RUN_STATES = ['promoted', 'rolled_back', 'rejected', 'failed', 'cancelled', 'dry_run'] as const;
/** What a step record is about (the timeline's rows). */
export const STEP_KINDS = [
  'triggered',
  'training',
  'registered',
  'evaluating',
  'shadow',
  'canary',
  'awaiting_approval',
  'approved',
  'promoted',
  'rolled_back',
  'rejected',
  'failed',
  'cancelled',
  'dry_run',
] as const;
/** started: the step began; passed / failed: its verdict; info: a record along the way (a check, a hold). */
export const STEP_STATUSES = ['started', 'passed', 'failed', 'info'] as const;
export const GATE_METRICS = ['accuracy', 'log_loss', 'roc_auc', 'mae', 'rmse'] as const;
export const APPROVAL_POINTS = ['before_training', 'before_shadow', 'before_canary', 'before_promotion'] as const;
/** What a canary step does with a verdict that is neither pass nor fail. */
export const HOLD_POLICIES = ['hold', 'extend', 'ask', 'rollback'] as const;
export const JUDGE_VERDICTS = ['pass', 'fail', 'inconclusive', 'insufficient_data'] as const;

const LoopName = Type.String({
  pattern: '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$',
  description: 'unique loop name: lowercase letters, digits and dashes; 1–63 characters',
});
const ModelName = Text({ minLength: 1, maxLength: 256, description: 'a registered model' });
const DatasetName = Text({ minLength: 1, maxLength: 256, description: 'a Ferry dataset' });
const DatasetRef = Text({ minLength: 1, maxLength: 128, description: 'a version number, a tag, latest or a digest prefix' });
const FeatureName = Text({ minLength: 1, maxLength: 256 });

// ---- the loop's spec ----

export const LoopTrigger = Type.Object(
  {
    kind: StringEnum(TRIGGER_KINDS, {
      description:
        'alert: a rule of the deployment fires; schedule: a cron expression; labels: N new feedback labels on the deployment; dataset: a new version of a dataset; registry: a new version of the model registered by anyone (the mlflow client too); manual needs no entry (always allowed)',
    }),
    rule: Type.Optional(Text({ minLength: 1, maxLength: 256, description: 'alert: the rule (name or id); absent: any rule on the deployment' })),
    cron: Type.Optional(Text({ minLength: 1, maxLength: 128, description: "schedule: a cron expression ('0 3 * * *'), in UTC unless timezone" })),
    timezone: Type.Optional(Text({ minLength: 1, maxLength: 64, description: 'schedule: an IANA time zone' })),
    min_labels: Type.Optional(Type.Integer({ minimum: 1, maximum: 1e9, description: 'labels: how many new feedback labels fire it' })),
    dataset: Type.Optional(DatasetName),
  },
  { additionalProperties: false },
);

export const TrainingData = Type.Object(
  {
    dataset: DatasetName,
    version: Type.Optional(DatasetRef),
    production_window: Type.Optional(Nullable(Duration('recent labelled production traffic added to the training set (default 7d; null: none)'))),
    label: Type.Optional(Text({ minLength: 1, maxLength: 256, description: "the label column (default 'label')" })),
    holdout_share: Type.Optional(
      Type.Number({
        minimum: 0,
        maximum: 0.9,
        description:
          "the share of labelled production rows kept out of training for the gate's production window, chosen by a hash of request id and row (default 0.2)",
      }),
    ),
    output_dataset: Type.Optional(DatasetName),
    dataset_param: Type.Optional(Text({ minLength: 1, maxLength: 200, description: "the entry point's parameter that names the dataset (default 'dataset')" })),
    version_param: Type.Optional(
      Text({ minLength: 1, maxLength: 200, description: "the entry point's parameter that names its version (default 'dataset_version')" }),
    ),
  },
  {
    additionalProperties: false,
    description: 'the pinned training set; with a production window, the loop pushes both as a new version of output_dataset and the job trains on it',
  },
);

export const TrainingSpec = Type.Object(
  {
    project: Type.Optional(ProjectDigest),
    git: Type.Optional(GitSource),
    entry_point: Type.Optional(Text({ minLength: 1, maxLength: 200 })),
    parameters: Type.Optional(
      Type.Record(Type.String({ pattern: '^[A-Za-z0-9_.\\-]{1,200}$' }), Type.Union([Type.String({ maxLength: 6000 }), Type.Number(), Type.Boolean()]), {
        maxProperties: 200,
      }),
    ),
    executor: Type.Optional(ExecutorName),
    data: Type.Optional(TrainingData),
    timeout: Type.Optional(Duration('the job is cancelled and the step fails after this long (default 2h)')),
  },
  { additionalProperties: false, description: "a job (exactly one of project or git) that registers a new version of the loop's model" },
);

export const GateThreshold = Type.Object(
  {
    metric: StringEnum(GATE_METRICS),
    lower: Type.Optional(Type.Number({ description: 'value threshold: the candidate at least this (inclusive)' })),
    upper: Type.Optional(Type.Number({ description: 'value threshold: the candidate at most this (inclusive)' })),
    absolute: Type.Optional(Type.Number({ description: 'change threshold on candidate − champion, TFX semantics (negative: may regress by at most)' })),
    relative: Type.Optional(Type.Number({ description: 'change threshold on (candidate − champion) / champion' })),
    margin: Type.Optional(
      Type.Number({
        minimum: 0,
        description: 'statistical mode: pass only if the interval of the paired difference clears −margin (bootstrap; DeLong for roc_auc)',
      }),
    ),
    per_slice: Type.Optional(Type.Boolean({ description: 'apply to every slice too (default true)' })),
  },
  { additionalProperties: false },
);

/** A fairness condition of the gate: a Fairlearn parity metric (between groups) of the candidate on the holdout. */
export const GateFairness = Type.Object(
  {
    feature: FeatureName,
    metric: StringEnum(PARITY_METRICS),
    min: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: "the candidate's value at least this (inclusive)" })),
    max: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: "the candidate's value at most this (inclusive)" })),
    pos_label: Type.Optional(
      Type.Union([Type.Number(), Type.String({ maxLength: 256 }), Type.Boolean()], {
        description: 'the favourable label (default 1; labels other than {0, 1} or {−1, 1} need it)',
      }),
    ),
  },
  { additionalProperties: false, description: "judged on the candidate's predicted labels on the holdout; groups under min_slice_size rows are left out" },
);

export const GateSpec = Type.Object(
  {
    holdout: Type.Optional(Type.Object({ dataset: DatasetName, version: Type.Optional(DatasetRef) }, { additionalProperties: false })),
    production_window: Type.Optional(Nullable(Duration('recent labelled production traffic both models are scored on (default 7d; null: none)'))),
    label: Type.Optional(Text({ minLength: 1, maxLength: 256, description: "the holdout's label column (default 'label')" })),
    slices: Type.Optional(
      Type.Array(
        Type.Object(
          {
            feature: FeatureName,
            bins: Type.Optional(Type.Array(Type.Number(), { minItems: 1, maxItems: 50, description: 'numeric feature: bin edges; absent: its categories' })),
          },
          { additionalProperties: false },
        ),
        { maxItems: 10 },
      ),
    ),
    min_slice_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 1e7, description: 'smaller slices are reported, not judged (default 30)' })),
    thresholds: Type.Array(GateThreshold, { minItems: 1, maxItems: 20 }),
    alpha: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 0.5, description: 'statistical mode: two-sided level of the interval (default 0.05)' })),
    replicates: Type.Optional(Type.Integer({ minimum: 100, maximum: 100_000, description: 'bootstrap replicates (default 1000)' })),
    seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 2 ** 31 - 1, description: 'bootstrap seed (default 0)' })),
    fairness: Type.Optional(Type.Array(GateFairness, { maxItems: 10, description: 'fairness conditions on the holdout (needs holdout)' })),
  },
  { additionalProperties: false },
);

export const CanaryStep = Type.Object(
  {
    weight: Type.Number({ exclusiveMinimum: 0, maximum: 100, description: "the candidate's share of traffic in percent" }),
    min_units: Type.Optional(Type.Integer({ minimum: 0, maximum: 1e9, description: 'mature units per arm before the judge may pass the step (default 100)' })),
    max_duration: Type.Optional(Duration('after this long without a pass the inconclusive or insufficient-data policy applies (default 1h)')),
  },
  { additionalProperties: false },
);

export const RolloutSpec = Type.Object(
  {
    shadow: Type.Optional(
      Nullable(
        Type.Object(
          {
            duration: Type.Optional(Duration('how long the candidate shadows the champion (default 10m)')),
            min_units: Type.Optional(Type.Integer({ minimum: 0, maximum: 1e9, description: 'labelled shadow requests before it may pass (default 0)' })),
          },
          { additionalProperties: false },
        ),
      ),
    ),
    steps: Type.Array(CanaryStep, { maxItems: 10, description: 'canary steps, in order (empty: promote after the gate and shadow)' }),
    primary_metric: Type.Optional(AbMetric),
    primary_margin: Type.Optional(
      Type.Number({ minimum: 0, maximum: 1, description: "a canary passes when the primary metric's relative lift clears −margin (default 0: no worse)" }),
    ),
    shadow_margin: Type.Optional(
      Type.Number({ minimum: 0, description: 'on shadow pairs, how much more loss per request the candidate may have and still pass (default 0.01)' }),
    ),
    guardrails: Type.Optional(Type.Array(AbMetric, { maxItems: 10 })),
    max_error_rate_increase: Type.Optional(
      Type.Number({
        minimum: 0,
        maximum: 1,
        description: "serving guardrail: the candidate's error rate may exceed the champion's by at most this (default 0.01)",
      }),
    ),
    max_latency_ratio: Type.Optional(
      Type.Number({ minimum: 1, maximum: 100, description: 'serving guardrail: candidate p99 / champion p99 at most (default 1.5)' }),
    ),
    on_inconclusive: Type.Optional(
      StringEnum(HOLD_POLICIES, { description: 'hold: stay at the step; extend: pass with its evidence; ask: a human decides; rollback (default ask)' }),
    ),
    on_insufficient_data: Type.Optional(StringEnum(HOLD_POLICIES, { description: 'the same choices for too few units at max_duration (default hold)' })),
    alias: Type.Optional(Text({ minLength: 1, maxLength: 256, description: "the alias promotion moves (default 'champion')" })),
  },
  { additionalProperties: false },
);

export const ApprovalSpec = Type.Object(
  {
    at: StringEnum(APPROVAL_POINTS),
    distinct_from_author: Type.Optional(Type.Boolean({ description: "the approver may not be the loop run's author (default true)" })),
  },
  { additionalProperties: false },
);

export const LoopCreate = Type.Object(
  {
    name: LoopName,
    model: ModelName,
    deployment: SlugName,
    description: Type.Optional(Text({ maxLength: 2000 })),
    triggers: Type.Optional(Type.Array(LoopTrigger, { maxItems: 10 })),
    debounce: Type.Optional(Duration('triggers closer than this to the last run start are coalesced into it (default 10m)')),
    training: Type.Optional(Nullable(TrainingSpec)),
    gate: GateSpec,
    rollout: RolloutSpec,
    approvals: Type.Optional(Type.Array(ApprovalSpec, { maxItems: 4 })),
    dry_run: Type.Optional(Type.Boolean({ description: 'every run only reports what it would decide: no deployment or alias changes (default false)' })),
  },
  { additionalProperties: false },
);

export const LoopUpdate = Type.Omit(LoopCreate, ['name', 'model', 'deployment']);

// ---- what the server answers ----

export const LoopInfo = Type.Object({
  name: Type.String(),
  model: Type.String(),
  deployment: Type.String(),
  description: Nullable(Type.String()),
  state: StringEnum(LOOP_STATES),
  spec: Type.Object({
    triggers: Type.Array(LoopTrigger),
    debounce: Type.String(),
    training: Nullable(TrainingSpec),
    gate: GateSpec,
    rollout: RolloutSpec,
    approvals: Type.Array(ApprovalSpec),
    dry_run: Type.Boolean(),
  }),
  created_at: EpochMs,
  created_by: Type.String(),
  updated_at: EpochMs,
  last_run: Nullable(Type.Object({ seq: Type.Integer(), state: StringEnum(LOOP_RUN_STATES), started_at: EpochMs, reason: Nullable(Type.String()) })),
});

export const LoopLinks = Type.Object({
  job_id: Type.Optional(Type.String()),
  run_id: Type.Optional(Type.String({ description: 'the tracking run' })),
  dataset_versions: Type.Optional(Type.Array(Type.Object({ dataset: Type.String(), version: Type.Integer() }))),
  model_version: Type.Optional(Type.String()),
  champion_version: Type.Optional(Type.String()),
  deployment_revision: Type.Optional(Type.Integer()),
  abtest: Type.Optional(Type.String()),
  alert_rule: Type.Optional(Type.String()),
});

export const LoopStep = Type.Object({
  seq: Type.Integer({ description: 'order within the loop run, from 1' }),
  kind: StringEnum(STEP_KINDS),
  status: StringEnum(STEP_STATUSES),
  index: Nullable(Type.Integer({ description: 'canary: the step, from 1' })),
  of: Nullable(Type.Integer({ description: 'canary: how many steps' })),
  actor: Type.String({ description: "who or what acted: 'loop' for the driver, else a user or token name" }),
  at: EpochMs,
  links: LoopLinks,
  evidence: Type.Record(Type.String(), Type.Unknown(), {
    description: 'the numbers the decision stood on: values, intervals, thresholds, sample sizes, windows',
  }),
  reason: Type.String({ description: 'one sentence saying why' }),
});

export const LoopTriggerRecord = Type.Object({
  kind: StringEnum(TRIGGER_KINDS),
  at: EpochMs,
  actor: Type.String(),
  detail: Type.String({ description: 'what fired, in words' }),
  coalesced: Type.Boolean({ description: 'arrived while this run was going (or within the debounce): recorded, no new run' }),
});

export const LoopRunInfo = Type.Object({
  loop: Type.String(),
  seq: Type.Integer(),
  state: StringEnum(LOOP_RUN_STATES),
  phase: StringEnum(STEP_KINDS, { description: 'the step the run is at (or ended with)' }),
  dry_run: Type.Boolean(),
  author: Type.String({ description: 'who or what started it' }),
  trigger: StringEnum(TRIGGER_KINDS),
  candidate_version: Nullable(Type.String()),
  champion_version: Nullable(Type.String()),
  started_at: EpochMs,
  updated_at: EpochMs,
  ended_at: Nullable(EpochMs),
  reason: Nullable(Type.String({ description: "the last step's sentence" })),
});

export const LoopRunDetail = Type.Composite([LoopRunInfo, Type.Object({ steps: Type.Array(LoopStep), triggers: Type.Array(LoopTriggerRecord) })]);

/** A canary verdict in Argo Rollouts' `web` metric shape (successCondition: result.ok). */
export const LoopVerdict = Type.Object({
  ok: Type.Boolean({ description: 'the judge passes the current step (or the run was promoted)' }),
  inconclusive: Type.Boolean({
    description: 'neither ok nor failed: the judge waits for data or a person (Argo Rollouts pauses when neither condition matches)',
  }),
  verdict: Nullable(StringEnum(JUDGE_VERDICTS)),
  lift: Nullable(Type.Number({ description: "the primary metric's relative lift of candidate over champion" })),
  interval: Nullable(Type.Array(Nullable(Type.Number()), { minItems: 2, maxItems: 2 })),
  loop_run: Nullable(Type.Integer()),
  phase: Nullable(StringEnum(STEP_KINDS)),
  reason: Type.String(),
});

const LoopAnswer = Type.Object({ loop: LoopInfo });
const LoopParams = Type.Object({ name: LoopName });
const RunParams = Type.Object({ name: LoopName, seq: Type.Integer({ minimum: 1, maximum: 1e9 }) });
const RunAnswer = Type.Object({ loop_run: LoopRunDetail });

// ---- operations ----

export const createLoop = defineOperation({
  method: 'POST',
  path: P,
  operationId: 'createLoop',
  tag,
  access: 'editor',
  style: 'native',
  summary: 'Create a loop on a registered model and the deployment that serves it',
  body: LoopCreate,
  responses: { 201: LoopAnswer },
});

export const listLoops = defineOperation({
  method: 'GET',
  path: P,
  operationId: 'listLoops',
  tag,
  access: 'viewer',
  style: 'native',
  summary: 'Loops, by name, with their last run',
  query: Type.Object({ deployment: Type.Optional(SlugName), model: Type.Optional(ModelName) }),
  responses: { 200: Type.Object({ loops: Type.Array(LoopInfo) }) },
});

export const getLoop = defineOperation({
  method: 'GET',
  path: `${P}/:name`,
  operationId: 'getLoop',
  tag,
  access: 'viewer',
  style: 'native',
  summary: 'One loop',
  params: LoopParams,
  responses: { 200: LoopAnswer },
});

export const updateLoop = defineOperation({
  method: 'PUT',
  path: `${P}/:name`,
  operationId: 'updateLoop',
  tag,
  access: 'editor',
  style: 'native',
  summary: "Change a loop's triggers, training, gate, rollout or approvals (a run under way keeps the spec it started with)",
  params: LoopParams,
  body: LoopUpdate,
  responses: { 200: LoopAnswer },
});

export const pauseLoop = defineOperation({
  method: 'POST',
  path: `${P}/:name/pause`,
  operationId: 'pauseLoop',
  tag,
  access: 'editor',
  style: 'native',
  summary: 'Pause a loop: triggers are recorded but start no run (a run under way goes on)',
  params: LoopParams,
  body: Nullable(Type.Object({ reason: Type.Optional(Text({ maxLength: 1000 })) }, { additionalProperties: false })),
  responses: { 200: LoopAnswer },
});

export const resumeLoop = defineOperation({
  method: 'POST',
  path: `${P}/:name/resume`,
  operationId: 'resumeLoop',
  tag,
  access: 'editor',
  style: 'native',
  summary: 'Resume a paused loop',
  params: LoopParams,
  body: Nullable(Type.Object({}, { additionalProperties: false, description: 'nothing: send {} or no body' })),
  responses: { 200: LoopAnswer },
});

export const triggerLoop = defineOperation({
  method: 'POST',
  path: `${P}/:name/trigger`,
  operationId: 'triggerLoop',
  tag,
  access: 'editor',
  style: 'native',
  summary: 'Start a loop run by hand (or, while one is going, record the trigger as coalesced into it)',
  params: LoopParams,
  body: Nullable(
    Type.Object(
      {
        reason: Type.Optional(Text({ maxLength: 1000 })),
        candidate_version: Type.Optional(Type.String({ pattern: '^[0-9]{1,9}$', description: 'judge this registered version instead of training one' })),
        dry_run: Type.Optional(Type.Boolean({ description: 'report what the policy would decide on logged data; change nothing' })),
      },
      { additionalProperties: false },
    ),
  ),
  responses: {
    202: Type.Object({ loop_run: LoopRunInfo, coalesced: Type.Boolean({ description: 'true: a run was going; the trigger is recorded on it' }) }),
  },
});

export const listLoopRuns = defineOperation({
  method: 'GET',
  path: `${P}/:name/runs`,
  operationId: 'listLoopRuns',
  tag,
  access: 'viewer',
  style: 'native',
  summary: "A loop's runs, newest first",
  params: LoopParams,
  query: Type.Object({ max_results: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'default 100' })) }),
  responses: { 200: Type.Object({ loop_runs: Type.Array(LoopRunInfo) }) },
});

export const getLoopRun = defineOperation({
  method: 'GET',
  path: `${P}/:name/runs/:seq`,
  operationId: 'getLoopRun',
  tag,
  access: 'viewer',
  style: 'native',
  summary: 'One loop run: its timeline of steps with evidence and reasons, and the triggers coalesced into it',
  params: RunParams,
  responses: { 200: RunAnswer },
});

export const approveLoopRun = defineOperation({
  method: 'POST',
  path: `${P}/:name/runs/:seq/approve`,
  operationId: 'approveLoopRun',
  tag,
  access: 'editor',
  style: 'native',
  summary: 'Approve or reject a loop run that awaits approval',
  params: RunParams,
  body: Type.Object(
    {
      decision: StringEnum(['approve', 'reject'] as const),
      reason: Type.Optional(Text({ maxLength: 1000 })),
    },
    { additionalProperties: false },
  ),
  responses: { 200: RunAnswer },
});

export const promoteLoopRun = defineOperation({
  method: 'POST',
  path: `${P}/:name/runs/:seq/promote`,
  operationId: 'promoteLoopRun',
  tag,
  access: 'admin',
  style: 'native',
  summary: "Force the candidate's promotion, whatever the gate or judge said (the reason is recorded)",
  params: RunParams,
  body: Type.Object({ reason: Text({ minLength: 1, maxLength: 1000 }) }, { additionalProperties: false }),
  responses: { 200: RunAnswer },
});

export const cancelLoopRun = defineOperation({
  method: 'POST',
  path: `${P}/:name/runs/:seq/cancel`,
  operationId: 'cancelLoopRun',
  tag,
  access: 'editor',
  style: 'native',
  summary: 'Cancel a loop run: its job is cancelled and the deployment restored to the revision before the run',
  params: RunParams,
  body: Nullable(Type.Object({ reason: Type.Optional(Text({ maxLength: 1000 })) }, { additionalProperties: false })),
  responses: { 200: RunAnswer },
});

export const getLoopVerdict = defineOperation({
  method: 'GET',
  path: `${P}/:name/verdict`,
  operationId: 'getLoopVerdict',
  tag,
  access: 'viewer',
  style: 'native',
  summary: "The current rollout's verdict as an Argo Rollouts web metric reads it (successCondition: result.ok)",
  params: LoopParams,
  responses: { 200: LoopVerdict },
});
