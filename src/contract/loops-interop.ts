/**
 * Loops seen from Kubernetes progressive-delivery controllers: a Flagger webhook per loop (2xx advances the
 * canary, 412 halts it). Argo Rollouts' `web` metric reads getLoopVerdict (loops.ts) as it is.
 */
import { Type } from '@sinclair/typebox';
import { defineOperation } from './operation.js';
import { Nullable, SlugName, StringEnum, Text } from './common.js';
import { JUDGE_VERDICTS, LOOP_RUN_STATES, STEP_KINDS } from './loops.js';

const tag = 'loops';

/**
 * The Flagger webhook types a loop answers. confirm-rollout: the candidate passed Ferry's offline gate;
 * confirm-traffic-increase: Ferry's judge passed the step it is on; rollout: no harm found (halts only on harm);
 * confirm-promotion: Ferry promoted the candidate; rollback: inverted, 200 asks Flagger to roll back.
 */
export const FLAGGER_HOOKS = ['confirm-rollout', 'confirm-traffic-increase', 'rollout', 'confirm-promotion', 'rollback'] as const;

/** What Flagger POSTs to a webhook (fields newer Flagger versions add are accepted and ignored). */
export const FlaggerPayload = Type.Object(
  {
    name: Text({ minLength: 1, maxLength: 253, description: "the Canary's name" }),
    namespace: Text({ minLength: 1, maxLength: 253, description: "the Canary's namespace" }),
    phase: Type.Optional(Text({ maxLength: 64, description: "the Canary's phase (Progressing, Promoting, …)" })),
    checksum: Type.Optional(Text({ maxLength: 256, description: "a hash of the Canary's tracked configuration" })),
    metadata: Type.Optional(
      Type.Record(Type.String(), Text({ maxLength: 4096 }), { maxProperties: 100, description: "the webhook's metadata, as the Canary spec gives it" }),
    ),
  },
  { additionalProperties: true },
);

const HookFields = {
  ok: Type.Boolean({ description: 'true: the canary may go on (or, for rollback, Flagger should roll back)' }),
  hook: StringEnum(FLAGGER_HOOKS),
  verdict: Nullable(StringEnum(JUDGE_VERDICTS, { description: "the judge's last verdict on the loop's current or last run" })),
  reason: Type.String({ description: 'one sentence saying why' }),
  loop_run: Nullable(Type.Integer()),
  state: Nullable(StringEnum(LOOP_RUN_STATES)),
  phase: Nullable(StringEnum(STEP_KINDS)),
};

export const FlaggerAdvance = Type.Object(HookFields, { additionalProperties: false });

/** A halt: RFC 9457's fields (so it reads like Ferry's other refusals) plus the hook's answer. */
export const FlaggerHalt = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Literal(412),
    detail: Type.String({ description: 'the reason, for Flagger to log in its events' }),
    code: Type.Literal('LOOP_HALT'),
    errors: Type.Array(Type.Unknown(), { maxItems: 0 }),
    ...HookFields,
  },
  { additionalProperties: false },
);

export const flaggerWebhook = defineOperation({
  method: 'POST',
  path: '/api/v1/loops/:name/flagger/:hook',
  operationId: 'flaggerWebhook',
  tag,
  access: 'viewer',
  style: 'native',
  summary: "A Flagger webhook gated on the loop's current (or last) run: 200 advances the canary, 412 halts it",
  params: Type.Object({ name: SlugName, hook: StringEnum(FLAGGER_HOOKS) }),
  body: FlaggerPayload,
  responses: {
    200: FlaggerAdvance,
    412: {
      description: "Not (yet) allowed: Flagger halts the canary and logs `detail`; never a 5xx for 'not yet'.",
      content: { 'application/json': { schema: FlaggerHalt } },
    },
  },
});
