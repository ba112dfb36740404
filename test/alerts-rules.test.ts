/** Alert rules (pure): the state machine (for, keep_firing_for, flapping, no data), rule validation, durations. */
import { describe, expect, it } from 'vitest';
import { conditionHolds, parseRuleSpec } from '../src/alerts/rule-spec.js';
import { type AlertStateValue, INITIAL_STATE, step } from '../src/alerts/state-machine.js';

/** Runs a rule over (time, value) evaluations and returns the events and the final state. */
function run(timing: { for_ms: number; keep_firing_for_ms: number }, evals: [number, number | null][], threshold = 0.1) {
  let s: AlertStateValue = INITIAL_STATE;
  const events: string[] = [];
  for (const [t, v] of evals) {
    const r = step(s, timing, conditionHolds(v, '>', threshold), v, t);
    s = r.next;
    events.push(r.event ? `${t}:${r.event}` : `${t}:-`);
  }
  return { events, state: s };
}

describe('state machine (Prometheus semantics)', () => {
  it('goes pending, then firing once the condition held for `for`, then resolves', () => {
    const { events, state } = run({ for_ms: 60_000, keep_firing_for_ms: 0 }, [
      [0, 0.5],
      [30_000, 0.6],
      [60_000, 0.7],
      [90_000, 0.05],
    ]);
    expect(events).toEqual(['0:pending', '30000:-', '60000:firing', '90000:resolved']);
    expect(state).toMatchObject({ state: 'inactive', resolved_at: 90_000, firing_since: null, last_value: 0.05 });
  });

  it('fires at once when for = 0', () => {
    const { events, state } = run({ for_ms: 0, keep_firing_for_ms: 0 }, [[0, 0.5]]);
    expect(events).toEqual(['0:firing']);
    expect(state).toMatchObject({ state: 'firing', active_since: 0, firing_since: 0 });
  });

  it('a pending alert whose condition clears before `for` goes back to inactive without firing', () => {
    const { events } = run({ for_ms: 60_000, keep_firing_for_ms: 0 }, [
      [0, 0.5],
      [30_000, 0.01],
      [60_000, 0.5],
      [90_000, 0.5],
      [120_000, 0.5],
    ]);
    expect(events).toEqual(['0:pending', '30000:inactive', '60000:pending', '90000:-', '120000:firing']);
  });

  it('keep_firing_for rides out a flapping condition, counted from the first false evaluation', () => {
    const timing = { for_ms: 0, keep_firing_for_ms: 60_000 };
    const flapping = run(timing, [
      [0, 0.5],
      [30_000, 0.0],
      [60_000, 0.5],
      [90_000, 0.0],
      [120_000, 0.0],
      [149_999, 0.0],
      [150_000, 0.0],
    ]);
    expect(flapping.events).toEqual(['0:firing', '30000:-', '60000:-', '90000:-', '120000:-', '149999:-', '150000:resolved']);
    // Without it the same series fires and resolves on every flap.
    expect(
      run({ for_ms: 0, keep_firing_for_ms: 0 }, [
        [0, 0.5],
        [30_000, 0.0],
        [60_000, 0.5],
        [90_000, 0.0],
      ]).events,
    ).toEqual(['0:firing', '30000:resolved', '60000:firing', '90000:resolved']);
  });

  it('keeps the keep_firing_since mark while the condition stays false and clears it when it holds again', () => {
    const timing = { for_ms: 0, keep_firing_for_ms: 60_000 };
    expect(
      run(timing, [
        [0, 1],
        [10, 0],
      ]).state.keep_firing_since,
    ).toBe(10);
    expect(
      run(timing, [
        [0, 1],
        [10, 0],
        [20, 1],
      ]).state.keep_firing_since,
    ).toBeNull();
  });

  it('no data (null) and NaN make the condition false: never fire, and a firing alert resolves', () => {
    expect(conditionHolds(null, '<', 1)).toBe(false);
    expect(conditionHolds(Number.NaN, '!=', 1)).toBe(false);
    expect(
      run({ for_ms: 0, keep_firing_for_ms: 0 }, [
        [0, null],
        [1, null],
      ]).events,
    ).toEqual(['0:-', '1:-']);
    expect(
      run({ for_ms: 0, keep_firing_for_ms: 0 }, [
        [0, 0.5],
        [1, null],
      ]).events,
    ).toEqual(['0:firing', '1:resolved']);
    expect(
      run({ for_ms: 10, keep_firing_for_ms: 0 }, [
        [0, 0.5],
        [5, null],
      ]).events,
    ).toEqual(['0:pending', '5:inactive']);
  });

  it('applies every comparison', () => {
    expect([
      conditionHolds(1, '>', 1),
      conditionHolds(1, '>=', 1),
      conditionHolds(1, '<', 1),
      conditionHolds(1, '<=', 1),
      conditionHolds(1, '==', 1),
      conditionHolds(1, '!=', 1),
    ]).toEqual([false, true, false, true, true, false]);
  });
});

describe('rule validation', () => {
  const ok = { name: 'high-errors', deployment: 'credit', metric: 'error_rate', comparison: '>', threshold: 0.05 };
  const fieldOf = (f: object) => {
    try {
      parseRuleSpec({ ...ok, ...f });
    } catch (err) {
      return (err as { errors: { field: string }[] }).errors[0]!.field;
    }
    return null;
  };

  it('fills defaults', () => {
    expect(parseRuleSpec(ok)).toEqual({ ...ok, window_ms: 300_000, for_ms: 0, keep_firing_for_ms: 0, severity: 'warning', labels: {}, enabled: true });
  });

  it('accepts every documented metric form', () => {
    for (const metric of [
      'dataset_drift',
      'drift_share',
      'feature_drift:age',
      'drift_score:income',
      'null_rate:zip code',
      'latency_p99',
      'request_rate',
      'accuracy',
      'f1',
      'roc_auc',
      'log_loss',
      'mae',
      'rmse',
      'r2',
      'mape',
      'precision',
      'recall',
    ]) {
      expect(fieldOf({ metric })).toBeNull();
    }
  });

  it('names the field of each malformed part', () => {
    expect(fieldOf({ metric: 'cpu' })).toBe('metric');
    expect(fieldOf({ metric: 'drift_score' })).toBe('metric');
    expect(fieldOf({ metric: 'drift_score:' })).toBe('metric');
    expect(fieldOf({ comparison: '=>' })).toBe('comparison');
    expect(fieldOf({ threshold: 'high' })).toBe('threshold');
    expect(fieldOf({ threshold: undefined })).toBe('threshold');
    expect(fieldOf({ window: '-5m' })).toBe('window');
    expect(fieldOf({ window: '0s' })).toBe('window');
    expect(fieldOf({ for: 'soon' })).toBe('for');
    expect(fieldOf({ keep_firing_for: '5 minutes' })).toBe('keep_firing_for');
    expect(fieldOf({ severity: 'page' })).toBe('severity');
    expect(fieldOf({ deployment: 'Credit Risk' })).toBe('deployment');
    expect(fieldOf({ name: '' })).toBe('name');
    expect(fieldOf({ labels: { 'bad-key': 'x' } })).toBe('labels.bad-key');
    expect(fieldOf({ labels: ['x'] })).toBe('labels');
    expect(fieldOf({ enabled: 'maybe' })).toBe('enabled');
  });
});

describe('durations', () => {
  // The grammar itself is tested in src/contract/duration.test.ts; here, that rules read it and name the field.
  const ok = { name: 'r', deployment: 'credit', metric: 'error_rate', comparison: '>', threshold: 0.1 };
  it('takes 1h30m and 1.5h alike, 0 only where it means something', () => {
    expect(parseRuleSpec({ ...ok, window: '1.5h', for: '1h30m', keep_firing_for: '0' })).toMatchObject({
      window_ms: 5_400_000,
      for_ms: 5_400_000,
      keep_firing_for_ms: 0,
    });
    expect(() => parseRuleSpec({ ...ok, window: '0s' })).toThrow(/'window' must be longer than 0/);
    expect(() => parseRuleSpec({ ...ok, for: '30m1h' })).toThrow(/'for' must be a duration/);
  });
});
