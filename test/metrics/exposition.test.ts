/** The strict exposition reader refuses what Prometheus refuses (so the metrics tests' "it parses" means something). */
import { describe, expect, it } from 'vitest';
import { parseExposition } from './exposition.js';

const ok = [
  '# HELP a_total Things.',
  '# TYPE a_total counter',
  'a_total{x="1",y="q \\"z\\" \\\\ \\n"} 3',
  'a_total{x="2"} 4 1700000000000',
  '# TYPE h_seconds histogram',
  'h_seconds_bucket{le="0.1"} 1',
  'h_seconds_bucket{le="+Inf"} 2',
  'h_seconds_sum 0.5',
  'h_seconds_count 2',
  '# TYPE g gauge',
  'g Nan',
  '',
].join('\n');

describe('parseExposition', () => {
  it('reads families, types, labels (with escapes) and values', () => {
    const f = parseExposition(ok);
    expect([...f.keys()]).toEqual(['a_total', 'h_seconds', 'g']);
    expect(f.get('a_total')!.samples[0]).toEqual({ name: 'a_total', labels: { x: '1', y: 'q "z" \\ \n' }, value: 3 });
    expect(f.get('h_seconds')!.type).toBe('histogram');
    expect(f.get('g')!.samples[0]!.value).toBeNaN();
  });

  it.each([
    ['a series twice', ok.replace('g Nan', 'g Nan\ng 1')],
    ['TYPE after samples', ok.replace('# TYPE g gauge\ng Nan', 'g 1\n# TYPE g gauge')],
    ['a family split', `${ok}a_total{x="3"} 1\n`],
    ['no +Inf bucket', ok.replace('h_seconds_bucket{le="+Inf"} 2\n', '')],
    ['_count not the +Inf bucket', ok.replace('h_seconds_count 2', 'h_seconds_count 3')],
    ['a bad escape', ok.replace('\\"z\\"', '\\q')],
    ['a bad name', ok.replace('g Nan', '1g 2')],
    ['a bad value', ok.replace('g Nan', 'g one')],
    ['an unknown type', ok.replace('# TYPE g gauge', '# TYPE g meter')],
    ['no final line feed', ok.trimEnd()],
    ['a reserved label name', ok.replace('x="2"', '__x="2"')],
  ])('refuses %s', (_what, text) => {
    expect(() => parseExposition(text)).toThrow();
  });
});
