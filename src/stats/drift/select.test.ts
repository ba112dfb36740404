import { describe, expect, it } from 'vitest';
import { DRIFT_METHODS, chooseMethod, defaultMethod, isDrifted, methodOverride, thresholdOverride } from './select.js';

describe('defaultMethod (Evidently _get_default_stattest)', () => {
  it.each([
    ['numerical', 1000, 6, 'ks'],
    ['numerical', 1000, 5, 'chisquare'],
    ['numerical', 1000, 3, 'chisquare'],
    ['numerical', 1000, 2, 'z'],
    ['numerical', 1000, 1, 'z'],
    ['categorical', 1000, 50, 'chisquare'],
    ['categorical', 10, 2, 'z'],
    ['numerical', 1001, 6, 'wasserstein'],
    ['numerical', 1001, 5, 'jensenshannon'],
    ['numerical', 1001, 1, 'jensenshannon'],
    ['categorical', 1001, 2, 'jensenshannon'],
  ] as const)('%s, %i reference rows, %i values → %s', (kind, rows, unique, want) => {
    expect(defaultMethod(kind, rows, unique)).toBe(want);
  });
});

describe('thresholds and decisions', () => {
  it('uses Evidently default thresholds', () => {
    expect(DRIFT_METHODS.ks.defaultThreshold).toBe(0.05);
    expect(DRIFT_METHODS.chisquare.defaultThreshold).toBe(0.05);
    expect(DRIFT_METHODS.z.defaultThreshold).toBe(0.05);
    for (const m of ['wasserstein', 'jensenshannon', 'psi', 'kl_div', 'hellinger'] as const) {
      expect(DRIFT_METHODS[m].defaultThreshold).toBe(0.1);
      expect(DRIFT_METHODS[m].scoreType).toBe('distance');
    }
  });

  it('reads p-values below the threshold and distances at or above it as drift (ks inclusive, as Evidently)', () => {
    expect(isDrifted('ks', 0.05, 0.05)).toBe(true);
    expect(isDrifted('chisquare', 0.05, 0.05)).toBe(false);
    expect(isDrifted('z', 0.0499, 0.05)).toBe(true);
    expect(isDrifted('psi', 0.1, 0.1)).toBe(true);
    expect(isDrifted('jensenshannon', 0.0999, 0.1)).toBe(false);
    expect(isDrifted('chisquare', NaN, 0.05)).toBe(false);
  });

  it('an explicit method wins over the default', () => {
    expect(chooseMethod('numerical', 10, 100, 'psi').name).toBe('psi');
    expect(chooseMethod('numerical', 10, 100).name).toBe('ks');
  });

  it('per-column beats per-kind beats all-columns overrides', () => {
    const options = {
      method: 'psi' as const,
      numericalMethod: 'ks' as const,
      perColumnMethod: { age: 'wasserstein' as const },
      threshold: 0.2,
      perColumnThreshold: { age: 0.3 },
    };
    expect(methodOverride(options, 'age', 'numerical')).toBe('wasserstein');
    expect(methodOverride(options, 'income', 'numerical')).toBe('ks');
    expect(methodOverride(options, 'city', 'categorical')).toBe('psi');
    expect(thresholdOverride(options, 'age', 'numerical')).toBe(0.3);
    expect(thresholdOverride(options, 'city', 'categorical')).toBe(0.2);
    expect(methodOverride({}, 'x', 'numerical')).toBeUndefined();
  });
});
