/** JSON Schemas of the alerts API bodies (TypeBox), for the OpenAPI description (handlers validate and name fields). */
import { Type } from '@sinclair/typebox';
import { COMPARISONS, FEATURE_METRICS, PLAIN_METRICS, SEVERITIES } from './rule-spec.js';

const Duration = (description: string) => Type.String({ pattern: '^(0|(\\d+(ms|s|m|h|d|w))+)$', description });

const ruleFields = {
  name: Type.String({ description: 'unique rule name' }),
  deployment: Type.String({ description: 'deployment the rule watches (it need not exist yet)' }),
  metric: Type.String({ description: `${PLAIN_METRICS.join(', ')}, or ${FEATURE_METRICS.map((m) => `${m}:<feature>`).join(', ')}` }),
  comparison: Type.Union(COMPARISONS.map((c) => Type.Literal(c))),
  threshold: Type.Number(),
  window: Type.Optional(Duration('the metric is computed over this window ending now (default 5m)')),
  for: Type.Optional(Duration('the condition must hold this long before the alert fires (default 0s)')),
  keep_firing_for: Type.Optional(Duration('a firing alert keeps firing this long after the condition clears (default 0s)')),
  severity: Type.Optional(Type.Union(SEVERITIES.map((s) => Type.Literal(s)))),
  labels: Type.Optional(Type.Record(Type.String(), Type.String())),
  enabled: Type.Optional(Type.Boolean()),
};

export const CreateRuleBody = Type.Object(ruleFields);
export const UpdateRuleBody = Type.Partial(Type.Object(ruleFields));

const MatcherBody = Type.Object({ name: Type.String({ description: 'deployment, rule, severity, metric or a label name' }), value: Type.String(), is_regex: Type.Optional(Type.Boolean()) });

export const CreateSilenceBody = Type.Object({
  matchers: Type.Array(Type.Union([MatcherBody, Type.String({ description: 'name=value or name=~regex' })]), { minItems: 1 }),
  duration: Type.Optional(Duration('how long from starts_at (or give ends_at)')),
  starts_at: Type.Optional(Type.Union([Type.String(), Type.Integer()], { description: 'ISO 8601 or epoch ms (default now)' })),
  ends_at: Type.Optional(Type.Union([Type.String(), Type.Integer()], { description: 'ISO 8601 or epoch ms' })),
  comment: Type.Optional(Type.String()),
});

export const CreateNotifierBody = Type.Object({
  name: Type.String(),
  kind: Type.Optional(Type.Union([Type.Literal('webhook'), Type.Literal('slack')])),
  url: Type.String({ description: 'http(s) URL; checked against the destination allow/deny list' }),
  secret: Type.Optional(Type.String({ minLength: 16, description: 'HMAC-SHA256 key (required for webhook); write-only' })),
  enabled: Type.Optional(Type.Boolean()),
});

export const UpdateNotifierBody = Type.Object({
  url: Type.Optional(Type.String()),
  secret: Type.Optional(Type.String({ minLength: 16 })),
  enabled: Type.Optional(Type.Boolean()),
});

export const DestinationsBody = Type.Object({
  allow: Type.Optional(Type.Array(Type.String(), { description: 'host names, *.domains, addresses or CIDRs allowed even when private/loopback' })),
  deny: Type.Optional(Type.Array(Type.String(), { description: 'always refused (wins over allow)' })),
  allow_only: Type.Optional(Type.Boolean({ description: 'refuse every destination not on the allow list' })),
});
