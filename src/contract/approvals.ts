/**
 * Approval gates per alias (native API, /api/v1/models/{name}/...): a policy per registered model and alias
 * (required checks and approvers), approvals recorded on a version with the hash of its facts, and the gate's
 * status. While a policy is not satisfied, moving its alias to the version — through any route, the MLflow
 * client's set_registered_model_alias and the loops included — is refused with 403 and the unmet conditions.
 */
import { Type } from '@sinclair/typebox';
import { defineOperation } from './operation.js';
import { EpochMs, Nullable, StringEnum, Text } from './common.js';
import { CARD_SECTIONS } from './cards.js';
import { PARITY_METRICS } from './fairness.js';

const tag = 'approvals';
const P = '/api/v1/models/:name';

export const CHECK_KINDS = ['metric', 'fairness', 'card', 'validation'] as const;
export const DECISIONS = ['approve', 'reject'] as const;
export const APPROVER_ROLES = ['editor', 'admin'] as const;
export const APPROVAL_STATUSES = ['current', 'superseded'] as const;
export const GATE_EVENT_KINDS = ['policy_set', 'policy_deleted', 'approval', 'alias_moved', 'alias_refused'] as const;

const ModelName = Text({ minLength: 1, maxLength: 256, description: 'a registered model' });
const AliasName = Type.String({ pattern: '^[\\w-]+$', minLength: 1, maxLength: 255, description: "an alias: letters, digits, '_' or '-'" });
const VersionNumber = Type.String({ pattern: '^[0-9]{1,9}$', description: 'a version number' });
const CheckName = Text({ minLength: 1, maxLength: 128, description: 'how the gate names this check (default: built from the check)' });
const Finite = (description: string) => Type.Number({ minimum: -1e300, maximum: 1e300, description });

export const ModelAliasParams = Type.Object({ name: ModelName, alias: AliasName });
export const ModelParams = Type.Object({ name: ModelName });
export const VersionParams = Type.Object({ name: ModelName, version: VersionNumber });

// ---- checks ----

export const MetricCheck = Type.Object(
  {
    kind: Type.Literal('metric'),
    name: Type.Optional(CheckName),
    metric: Text({ minLength: 1, maxLength: 250, description: "a metric of the version's source run (its latest value), e.g. accuracy" }),
    op: StringEnum(['>=', '<='] as const, { description: 'the value must be at least (>=) or at most (<=) the threshold' }),
    threshold: Finite('the bound'),
  },
  { additionalProperties: false },
);

export const FairnessCheckSpec = Type.Object(
  {
    kind: Type.Literal('fairness'),
    name: Type.Optional(CheckName),
    metric: StringEnum(PARITY_METRICS, { description: 'a parity metric of the latest stored fairness report that analysed these features' }),
    features: Type.Array(Text({ minLength: 1, maxLength: 256 }), {
      minItems: 1,
      maxItems: 8,
      description: 'the sensitive feature the report analysed, or several (their intersections)',
    }),
    method: Type.Optional(StringEnum(['between_groups', 'to_overall'] as const, { description: 'default between_groups' })),
    min: Type.Optional(Finite('the value must be at least this (a ratio: e.g. 0.8)')),
    max: Type.Optional(Finite('the value must be at most this (a difference: e.g. 0.1)')),
  },
  { additionalProperties: false },
);

export const CardCheck = Type.Object(
  {
    kind: Type.Literal('card'),
    name: Type.Optional(CheckName),
    sections: Type.Array(StringEnum(CARD_SECTIONS), {
      minItems: 1,
      maxItems: 50,
      description: "the model card's sections that must be present and not stale (e.g. uses, training_data, evaluation, fairness)",
    }),
  },
  { additionalProperties: false },
);

export const ValidationCheck = Type.Object(
  {
    kind: Type.Literal('validation'),
    name: Type.Optional(CheckName),
    suite: Type.Optional(Text({ minLength: 1, maxLength: 256, description: 'only this suite (default: every suite that validated the data)' })),
  },
  { additionalProperties: false },
);

export const GateCheck = Type.Union([MetricCheck, FairnessCheckSpec, CardCheck, ValidationCheck], {
  description:
    "metric: a metric of the version's source run against a threshold; fairness: a stored fairness report's parity metric within bounds; card: model card sections present and not stale; validation: the training dataset versions' latest validations passed",
});

// ---- policies ----

export const PolicyInput = Type.Object(
  {
    checks: Type.Array(GateCheck, { maxItems: 50, description: 'every one must pass' }),
    required_approvals: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 20, description: "independent approvals needed (default 1); the version's author never counts" }),
    ),
    roles: Type.Optional(
      Type.Array(StringEnum(APPROVER_ROLES), { minItems: 1, maxItems: 2, uniqueItems: true, description: "roles whose approvals count (default ['admin'])" }),
    ),
    description: Type.Optional(Text({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);

export const Policy = Type.Object(
  {
    model: Type.String(),
    alias: Type.String(),
    checks: Type.Array(GateCheck),
    required_approvals: Type.Integer(),
    roles: Type.Array(StringEnum(APPROVER_ROLES)),
    description: Type.String(),
    created_at: EpochMs,
    created_by: Type.String(),
    updated_at: EpochMs,
    updated_by: Type.String(),
  },
  { additionalProperties: false },
);

// ---- approvals ----

export const ApprovalInput = Type.Object(
  {
    alias: AliasName,
    decision: StringEnum(DECISIONS),
    comment: Type.Optional(Text({ maxLength: 4000, description: 'why (recorded with the decision)' })),
  },
  { additionalProperties: false },
);

export const Approval = Type.Object(
  {
    id: Type.Integer(),
    model: Type.String(),
    version: Type.String(),
    alias: Type.String(),
    decision: StringEnum(DECISIONS),
    actor: Type.String(),
    role: Type.String({ description: "the approver's role when they decided" }),
    comment: Type.String(),
    facts_hash: Type.String({ description: "the hash of the version's card (its facts) when the decision was recorded" }),
    created_at: EpochMs,
    status: StringEnum(APPROVAL_STATUSES, {
      description: 'superseded: a fact of the version changed since (the hash differs), or the same person decided again later',
    }),
    counts: Type.Boolean({ description: 'whether the gate counts it now' }),
    note: Type.String({ description: 'why it counts or not, in one sentence' }),
  },
  { additionalProperties: false },
);

// ---- the gate ----

export const CheckResult = Type.Object(
  {
    name: Type.String(),
    kind: StringEnum(CHECK_KINDS),
    passed: Type.Boolean(),
    reason: Type.String({ description: 'one sentence' }),
    evidence: Type.Record(Type.String(), Type.Unknown()),
  },
  { additionalProperties: false },
);

export const GateStatus = Type.Object(
  {
    model: Type.String(),
    version: Type.String(),
    alias: Type.String(),
    has_policy: Type.Boolean({ description: 'false: no policy guards this alias, so any version may take it' }),
    satisfied: Type.Boolean(),
    facts_hash: Type.String({ description: "the version's card (facts) hash now; approvals recorded with another are superseded" }),
    authors: Type.Array(Type.String(), { description: 'who created the version and its source run: their approvals never count' }),
    checks: Type.Array(CheckResult),
    approvals: Type.Object(
      {
        required: Type.Integer(),
        counted: Type.Integer(),
        approvers: Type.Array(Type.String()),
        rejected_by: Type.Array(Type.String()),
        not_counted: Type.Array(Type.Object({ actor: Type.String(), reason: Type.String() }, { additionalProperties: false })),
      },
      { additionalProperties: false },
    ),
    unmet: Type.Array(Type.String(), { description: 'each condition not met, one sentence each' }),
    reason: Type.String({ description: 'the verdict in one sentence' }),
  },
  { additionalProperties: false },
);

export const GateEvent = Type.Object(
  {
    id: Type.Integer(),
    model: Type.String(),
    alias: Type.String(),
    version: Nullable(Type.String()),
    kind: StringEnum(GATE_EVENT_KINDS),
    actor: Type.String(),
    reason: Type.String(),
    evidence: Type.Unknown(),
    created_at: EpochMs,
  },
  { additionalProperties: false },
);

// ---- operations ----

export const putPolicy = defineOperation({
  method: 'PUT',
  path: `${P}/policies/:alias`,
  operationId: 'putApprovalPolicy',
  tag,
  access: 'admin',
  style: 'native',
  summary: "Set the alias's approval policy (checks and approvers); replaces any policy it had",
  params: ModelAliasParams,
  body: PolicyInput,
  responses: { 200: Type.Object({ policy: Policy, created: Type.Boolean() }, { additionalProperties: false }) },
});

export const getPolicy = defineOperation({
  method: 'GET',
  path: `${P}/policies/:alias`,
  operationId: 'getApprovalPolicy',
  tag,
  access: 'viewer',
  style: 'native',
  summary: "The alias's approval policy",
  params: ModelAliasParams,
  responses: { 200: Type.Object({ policy: Policy }, { additionalProperties: false }) },
});

export const listPolicies = defineOperation({
  method: 'GET',
  path: `${P}/policies`,
  operationId: 'listApprovalPolicies',
  tag,
  access: 'viewer',
  style: 'native',
  summary: "The model's approval policies, by alias",
  params: ModelParams,
  responses: { 200: Type.Object({ policies: Type.Array(Policy) }, { additionalProperties: false }) },
});

export const deletePolicy = defineOperation({
  method: 'DELETE',
  path: `${P}/policies/:alias`,
  operationId: 'deleteApprovalPolicy',
  tag,
  access: 'admin',
  style: 'native',
  summary: 'Remove the policy: the alias is no longer guarded',
  params: ModelAliasParams,
  responses: { 200: Type.Object({}, { additionalProperties: false }) },
});

export const recordApproval = defineOperation({
  method: 'POST',
  path: `${P}/versions/:version/approvals`,
  operationId: 'recordApproval',
  tag,
  access: 'editor',
  style: 'native',
  summary: "Approve or reject the version for an alias; records who, when, their role, the comment and the version's card hash",
  params: VersionParams,
  body: ApprovalInput,
  responses: { 201: Type.Object({ approval: Approval, gate: GateStatus }, { additionalProperties: false }) },
});

export const listApprovals = defineOperation({
  method: 'GET',
  path: `${P}/versions/:version/approvals`,
  operationId: 'listApprovals',
  tag,
  access: 'viewer',
  style: 'native',
  summary: 'Decisions recorded on the version, newest first, each marked current or superseded',
  params: VersionParams,
  query: Type.Object({ alias: Type.Optional(AliasName) }),
  responses: { 200: Type.Object({ approvals: Type.Array(Approval) }, { additionalProperties: false }) },
});

export const getGate = defineOperation({
  method: 'GET',
  path: `${P}/versions/:version/gate`,
  operationId: 'getApprovalGate',
  tag,
  access: 'viewer',
  style: 'native',
  summary: 'Whether the alias may point at the version now: every check with its reason, approvals counted, unmet conditions',
  params: VersionParams,
  query: Type.Object({ alias: AliasName }),
  responses: { 200: GateStatus },
});

export const listGateEvents = defineOperation({
  method: 'GET',
  path: `${P}/gate-events`,
  operationId: 'listGateEvents',
  tag,
  access: 'viewer',
  style: 'native',
  summary: "The gate's record for the model, newest first: policy changes, approvals, alias moves allowed and refused, each with its reason and evidence",
  params: ModelParams,
  query: Type.Object({
    alias: Type.Optional(AliasName),
    max_results: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'default 100' })),
  }),
  responses: { 200: Type.Object({ events: Type.Array(GateEvent) }, { additionalProperties: false }) },
});
