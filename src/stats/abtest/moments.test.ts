import { describe, expect, it } from 'vitest';
import { addUnit, emptyArmMoments, mergeArmMoments, type ArmMoments } from './moments.js';

const units = [
  { y: 3, d: 2, x: 1 },
  { y: 0, d: 1, x: 4 },
  { y: 7, d: 5, x: 2 },
  { y: -2, d: 3, x: 0 },
  { y: 1, d: 1, x: 1 },
];

const fold = (us: typeof units, start: ArmMoments = emptyArmMoments()) => us.reduce((m, u) => addUnit(m, u.y, { denominator: u.d, covariate: u.x }), start);

describe('ArmMoments', () => {
  it('are the sums of the unit values, products and squares', () => {
    const m = fold(units);
    expect(m).toEqual({
      n: 5,
      sum: 9,
      sumSquares: 63,
      denominatorSum: 12,
      denominatorSumSquares: 40,
      mainDenominatorSumProduct: 6 + 0 + 35 - 6 + 1,
      covariateSum: 8,
      covariateSumSquares: 22,
      mainCovariateSumProduct: 3 + 0 + 14 + 0 + 1,
    });
  });

  it('merge like the data they summarize (windows and replicas add up), in any order', () => {
    const whole = fold(units);
    expect(mergeArmMoments(fold(units.slice(0, 2)), fold(units.slice(2)))).toEqual(whole);
    expect(mergeArmMoments(fold(units.slice(3)), fold(units.slice(0, 3)))).toEqual(whole);
    expect(mergeArmMoments(whole, emptyArmMoments())).toEqual(whole);
  });

  it('treat absent optional sums as 0 and never change their inputs', () => {
    const plain: ArmMoments = { n: 2, sum: 3, sumSquares: 5 };
    const copy = { ...plain };
    const next = addUnit(plain, 4);
    expect(plain).toEqual(copy);
    expect(next).toMatchObject({ n: 3, sum: 7, sumSquares: 21, covariateSum: 0, denominatorSum: 0 });
  });
});
