import { describe, expect, it } from 'vitest';
import { parseCanary, parseModelRef, percentText, refText, routesOf } from './model-refs.js';

describe('model references', () => {
  it('reads MODEL:VERSION and MODEL@ALIAS', () => {
    expect(parseModelRef('credit:3')).toEqual({ model: 'credit', version: '3' });
    expect(parseModelRef('credit:007')).toEqual({ model: 'credit', version: '7' });
    expect(parseModelRef('credit.risk-v2@champion')).toEqual({ model: 'credit.risk-v2', alias: 'champion' });
    for (const bad of ['credit', 'a/b:3', 'credit:', 'credit:x', ':3', 'credit@', 'a:b:3', 'credit@cham pion', 'credit/3']) {
      expect(() => parseModelRef(bad), bad).toThrow(/is not a model reference: use MODEL:VERSION or MODEL@ALIAS/);
    }
  });

  it('reads canaries as MODEL:VERSION:PCT and MODEL@ALIAS:PCT', () => {
    expect(parseCanary('credit:2:10')).toEqual({ model: 'credit', version: '2', weight: 10 });
    expect(parseCanary('credit:2:2.5%')).toEqual({ model: 'credit', version: '2', weight: 2.5 });
    expect(parseCanary('credit@challenger:25')).toEqual({ model: 'credit', alias: 'challenger', weight: 25 });
    expect(() => parseCanary('credit:2')).toThrow("'credit:2' needs a traffic percentage at the end");
    expect(() => parseCanary('credit@challenger')).toThrow('needs a traffic percentage');
    expect(() => parseCanary('credit:2:ten')).toThrow('needs a traffic percentage');
    expect(() => parseCanary('credit:2:0')).toThrow('must be more than 0 and less than 100');
    expect(() => parseCanary('credit:2:100')).toThrow('must be more than 0 and less than 100');
    expect(() => parseCanary('credit:10')).toThrow('needs a traffic percentage');
    expect(() => parseCanary('x:y:10')).toThrow("'x:y' is not a model reference");
  });

  it('gives the main route what the canaries leave', () => {
    const main = { model: 'credit', version: '1' };
    expect(routesOf(main, [])).toEqual([{ ...main, weight: 100 }]);
    const canaries = [parseCanary('credit:2:10'), parseCanary('credit@challenger:5.5')];
    expect(routesOf(main, canaries).map((r) => r.weight)).toEqual([84.5, 10, 5.5]);
    expect(routesOf(main, [parseCanary('credit:2:33.3'), parseCanary('credit:3:33.3')])[0]!.weight).toBe(33.4);
    expect(() => routesOf(main, [parseCanary('credit:2:60'), parseCanary('credit:3:40')])).toThrow('the canary percentages add up to 100%');
  });

  it('writes references and shares back', () => {
    expect(refText({ model: 'credit', version: '3' })).toBe('credit:3');
    expect(refText({ model: 'credit', alias: 'champion' })).toBe('credit@champion');
    expect(percentText(90, 100)).toBe('90%');
    expect(percentText(1, 3)).toBe('33.3%');
    expect(percentText(3, 3)).toBe('100%');
    expect(percentText(1, 0)).toBe('');
  });
});
