import { describe, expect, it } from 'vitest';
import type { AlertStatus, Silence } from '../../../../src/sdk/index.js';
import { alertSince, causeText, groupAlerts, matchersText, metricHref, parseMatcherText, silencedBy } from './alert-groups.js';

let n = 0;
function alert(p: Partial<AlertStatus>): AlertStatus {
  n++;
  return {
    rule: `r${n}`,
    rule_id: `id${n}`,
    deployment: 'd',
    metric: 'error_rate',
    comparison: '>',
    threshold: 0.05,
    severity: 'warning',
    labels: {},
    enabled: true,
    state: 'inactive',
    value: null,
    active_since: null,
    firing_since: null,
    keep_firing_since: null,
    resolved_at: null,
    last_eval_at: null,
    fingerprint: `f${n}`,
    ...p,
  };
}

describe('alert groups', () => {
  it('groups per deployment: firing groups first, most severe, longest firing; pending after firing inside a group', () => {
    const list = [
      alert({ rule: 'p', deployment: 'a', state: 'pending', severity: 'critical', active_since: 50 }),
      alert({ rule: 'f-late', deployment: 'a', state: 'firing', severity: 'warning', firing_since: 300, active_since: 300 }),
      alert({ rule: 'f-early', deployment: 'a', state: 'firing', severity: 'warning', firing_since: 100, active_since: 90 }),
      alert({ rule: 'crit', deployment: 'b', state: 'firing', severity: 'critical', firing_since: 400 }),
      alert({ rule: 'only-pending', deployment: 'c', state: 'pending', severity: 'critical', active_since: 10 }),
      alert({ rule: 'quiet', deployment: 'e', state: 'inactive' }),
      alert({ rule: 'off', deployment: 'f', state: 'firing', enabled: false }),
    ];
    const { active, resolved } = groupAlerts(list);
    expect(active.map((g) => [g.deployment, g.severity])).toEqual([
      ['b', 'critical'],
      ['a', 'warning'],
      ['c', 'critical'],
    ]);
    expect(active[1]!.alerts.map((a) => a.rule)).toEqual(['f-early', 'f-late', 'p']);
    expect(resolved).toEqual([]);
  });

  it('lists resolved alerts per deployment, most recently resolved first', () => {
    const { active, resolved } = groupAlerts([
      alert({ rule: 'old', deployment: 'x', resolved_at: 100 }),
      alert({ rule: 'new', deployment: 'x', resolved_at: 500, severity: 'critical' }),
      alert({ rule: 'mid', deployment: 'y', resolved_at: 300 }),
    ]);
    expect(active).toEqual([]);
    expect(resolved.map((g) => g.deployment)).toEqual(['x', 'y']);
    expect(resolved[0]).toMatchObject({ state: 'resolved', severity: 'critical' });
    expect(resolved[0]!.alerts.map((a) => a.rule)).toEqual(['new', 'old']);
  });

  it('dates an alert from when it fired, was pending, or resolved', () => {
    expect(alertSince(alert({ state: 'firing', firing_since: 20, active_since: 10 }))).toBe(20);
    expect(alertSince(alert({ state: 'pending', active_since: 10 }))).toBe(10);
    expect(alertSince(alert({ state: 'inactive', resolved_at: 99 }))).toBe(99);
  });
});

describe('causes and links', () => {
  it('says the value against the threshold', () => {
    expect(causeText({ metric: 'feature_drift:income', value: 1, comparison: '>=', threshold: 1 })).toBe('feature_drift:income = 1 (fires when ≥ 1)');
    expect(causeText({ metric: 'accuracy', value: null, comparison: '<', threshold: 0.8 })).toBe('accuracy = no data (fires when < 0.8)');
  });
  it('links a metric to where the monitoring page shows it', () => {
    expect(metricHref('credit', 'feature_drift:income')).toBe('#/monitoring/credit?feature=income');
    expect(metricHref('credit', 'null_rate:age')).toBe('#/monitoring/credit?tab=trends&feature=age');
    expect(metricHref('credit', 'roc_auc')).toBe('#/monitoring/credit?tab=performance');
    expect(metricHref('a b', 'error_rate')).toBe('#/monitoring/a%20b');
  });
});

describe('silences', () => {
  const silence = (matchers: Silence['matchers'], starts_at = 0, ends_at = 1000): Silence => ({
    id: 's',
    matchers,
    starts_at,
    ends_at,
    created_by: 'x',
    comment: '',
    created_at: 0,
    status: 'active',
  });
  const a = alert({ deployment: 'credit', severity: 'critical', labels: { team: 'risk' } });
  it('finds the active silence whose matchers all match', () => {
    const exact = silence([
      { name: 'deployment', value: 'credit', is_regex: false },
      { name: 'team', value: 'risk', is_regex: false },
    ]);
    const regex = silence([{ name: 'severity', value: 'warning|critical', is_regex: true }]);
    const other = silence([{ name: 'deployment', value: 'cred', is_regex: false }]);
    expect(silencedBy(a, [other, exact], 10)).toBe(exact);
    expect(silencedBy(a, [regex], 10)).toBe(regex);
    expect(silencedBy(a, [silence([{ name: 'severity', value: 'crit', is_regex: true }])], 10)).toBeUndefined();
    expect(silencedBy(a, [exact], 1000)).toBeUndefined();
    expect(silencedBy(a, [silence([{ name: 'x', value: '(', is_regex: true }])], 10)).toBeUndefined();
    expect(matchersText(exact.matchers.concat(regex.matchers))).toBe('deployment=credit, team=risk, severity=~warning|critical');
  });
  it('reads matchers typed in the form, or says what is wrong', () => {
    expect(parseMatcherText('deployment = credit,\n severity=~warning|critical')).toEqual({ matchers: ['deployment=credit', 'severity=~warning|critical'] });
    expect(parseMatcherText(' ').error).toMatch(/at least one/);
    expect(parseMatcherText('deployment').error).toBe('"deployment" is not name=value or name=~regex.');
    expect(parseMatcherText('rule=~(').error).toMatch(/not a valid regular expression/);
  });
});
