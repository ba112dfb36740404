/** Grouping, dedup by fingerprint, the repeat interval and silences (pure), and notification bodies/signature. */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type EvaluatedAlert, planNotifications, type RuleFacts } from '../src/alerts/grouping.js';
import { signature, slackBody, webhookBody } from '../src/alerts/payloads.js';
import { parseMatchers, silencedBy } from '../src/alerts/silences.js';
import { INITIAL_STATE } from '../src/alerts/state-machine.js';

const HOUR = 3_600_000;
const rule = (id: string, deployment: string, extra: Partial<RuleFacts> = {}): RuleFacts => ({
  id,
  name: id,
  deployment,
  metric: 'error_rate',
  comparison: '>',
  threshold: 0.1,
  severity: 'warning',
  labels: {},
  ...extra,
});
const firing = (
  r: RuleFacts,
  since: number,
  notified: { at: number | null; status: string | null } = { at: null, status: null },
  event: EvaluatedAlert['event'] = null,
): EvaluatedAlert => ({
  rule: r,
  fingerprint: `fp-${r.id}`,
  event,
  before: INITIAL_STATE,
  after: { ...INITIAL_STATE, state: 'firing', active_since: since, firing_since: since, last_value: 0.5, last_eval_at: since },
  last_notified_at: notified.at,
  notified_status: notified.status,
});
const resolved = (r: RuleFacts, notifiedStatus: string | null, now: number): EvaluatedAlert => ({
  rule: r,
  fingerprint: `fp-${r.id}`,
  event: 'resolved',
  before: { ...INITIAL_STATE, state: 'firing', active_since: 0, firing_since: 0 },
  after: { ...INITIAL_STATE, resolved_at: now, last_value: 0.01, last_eval_at: now },
  last_notified_at: 0,
  notified_status: notifiedStatus,
});

describe('planNotifications', () => {
  it('groups simultaneous firings of one deployment into one notification listing every cause', () => {
    const now = 1000;
    const { groups, markers } = planNotifications(
      [
        firing(rule('a', 'credit'), now, undefined, 'firing'),
        firing(rule('b', 'credit'), now, undefined, 'firing'),
        firing(rule('c', 'fraud'), now, undefined, 'firing'),
      ],
      [],
      now,
      4 * HOUR,
    );
    expect(groups.map((g) => [g.deployment, g.status, g.alerts.map((a) => a.rule)])).toEqual([
      ['credit', 'firing', ['a', 'b']],
      ['fraud', 'firing', ['c']],
    ]);
    expect(groups[0]!.group_key).toBe('{deployment="credit"}');
    expect(markers).toEqual(['a', 'b', 'c'].map((id) => ({ rule_id: id, last_notified_at: now, notified_status: 'firing' })));
  });

  it('does not re-send an announced alert until the repeat interval has passed', () => {
    const r = rule('a', 'credit');
    expect(planNotifications([firing(r, 0, { at: 0, status: 'firing' })], [], HOUR, 4 * HOUR).groups).toEqual([]);
    expect(planNotifications([firing(r, 0, { at: 0, status: 'firing' })], [], 4 * HOUR, 4 * HOUR).groups[0]!.alerts.map((a) => a.rule)).toEqual(['a']);
    // A new firing (after a resolve) is announced even if the last notice was recent.
    expect(planNotifications([firing(r, 500, { at: 100, status: 'firing' })], [], 600, 4 * HOUR).groups).toHaveLength(1);
  });

  it('sends a resolved notification once, only for alerts whose firing was announced', () => {
    const now = 5000;
    const { groups, markers } = planNotifications(
      [resolved(rule('a', 'credit'), 'firing', now), resolved(rule('b', 'credit'), 'silenced', now), resolved(rule('c', 'credit'), null, now)],
      [],
      now,
      HOUR,
    );
    expect(groups.map((g) => [g.status, g.alerts.map((a) => [a.rule, a.state, a.ends_at])])).toEqual([['resolved', [['a', 'resolved', now]]]]);
    expect(markers.every((m) => m.notified_status === null)).toBe(true);
    // After the marker reset, the next evaluation (state inactive, no event) sends nothing.
    expect(planNotifications([{ ...resolved(rule('a', 'credit'), null, now), event: null }], [], now + 1, HOUR).groups).toEqual([]);
  });

  it('records silenced alerts instead of sending them, and announces them when the silence ends', () => {
    const silences = [{ matchers: parseMatchers([{ name: 'rule', value: 'b' }]), starts_at: 0, ends_at: 10_000 }];
    const a = rule('a', 'credit');
    const b = rule('b', 'credit');
    const first = planNotifications([firing(a, 100), firing(b, 100)], silences, 100, 4 * HOUR);
    expect(first.groups.map((g) => [g.alerts.map((x) => x.rule), g.silenced.map((x) => x.rule)])).toEqual([[['a'], ['b']]]);
    expect(first.markers.find((m) => m.rule_id === 'b')!.notified_status).toBe('silenced');
    // Still silenced: not recorded again.
    expect(planNotifications([firing(b, 100, { at: 100, status: 'silenced' })], silences, 200, 4 * HOUR).groups).toEqual([]);
    // Silence over, still firing: announced now, not after the repeat interval.
    expect(planNotifications([firing(b, 100, { at: 100, status: 'silenced' })], silences, 10_000, 4 * HOUR).groups[0]!.alerts.map((x) => x.rule)).toEqual([
      'b',
    ]);
  });
});

describe('silence matchers', () => {
  const fields = { deployment: 'credit-risk', rule: 'high-errors', severity: 'critical', metric: 'error_rate', team: 'risk' };
  it('matches exactly or by whole-value regex, on fields and labels', () => {
    const s = (m: unknown) => silencedBy([{ matchers: parseMatchers(m), starts_at: 0, ends_at: 10 }], fields, 5) !== undefined;
    expect(s(['deployment=credit-risk'])).toBe(true);
    expect(s(['deployment=credit'])).toBe(false);
    expect(s(['deployment=~credit.*', 'severity=critical'])).toBe(true);
    expect(s(['deployment=~credit'])).toBe(false);
    expect(s({ team: 'risk' })).toBe(true);
    expect(s([{ name: 'severity', value: 'warning|critical', is_regex: true }])).toBe(true);
    expect(silencedBy([{ matchers: parseMatchers(['team=risk']), starts_at: 0, ends_at: 10 }], fields, 10)).toBeUndefined();
  });
  it('refuses malformed matchers naming the field', () => {
    for (const [m, field] of [
      [[], 'matchers'],
      [['nope'], 'matchers[0]'],
      [[{ name: 'x', value: '(', is_regex: true }], 'matchers[0].value'],
      [[{ name: '1x', value: 'a' }], 'matchers[0].name'],
    ] as const) {
      expect(() => parseMatchers(m)).toThrow(expect.objectContaining({ errors: [expect.objectContaining({ field })] }));
    }
  });
});

describe('notification bodies', () => {
  const plan = { group_key: '{deployment="credit"}', deployment: 'credit', status: 'firing' as const };
  const alerts = [
    {
      rule: 'a',
      rule_id: 'id-a',
      metric: 'error_rate',
      value: 0.5,
      threshold: 0.1,
      comparison: '>' as const,
      severity: 'critical' as const,
      state: 'firing' as const,
      starts_at: 0,
      fingerprint: 'f',
      labels: {},
    },
  ];
  it('has the documented generic shape and a Slack form', () => {
    const body = webhookBody(plan, alerts, 1000);
    expect(body).toEqual({
      version: '1',
      group_key: '{deployment="credit"}',
      deployment: 'credit',
      status: 'firing',
      sent_at: '1970-01-01T00:00:01.000Z',
      alerts: [{ ...alerts[0], starts_at: '1970-01-01T00:00:00.000Z' }],
    });
    const slack = slackBody(body);
    expect(slack.text).toContain('FIRING: 1 alert on deployment credit');
    expect(slack.text).toContain('*a* [critical] error_rate = 0.5 (&gt; 0.1)');
    expect(slack.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'FIRING: 1 alert on deployment credit' } });
  });
  it('signs `${timestamp}.${body}` with HMAC-SHA256', () => {
    expect(signature('k'.repeat(16), '1700000000', '{"a":1}')).toBe(
      `sha256=${createHmac('sha256', 'k'.repeat(16)).update('1700000000.{"a":1}').digest('hex')}`,
    );
  });
});
