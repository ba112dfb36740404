import { describe, expect, it } from 'vitest';
import { href, matchPath, parseHash } from './router.js';

describe('hash router', () => {
  it('parses the hash into a path and query', () => {
    const loc = parseHash('#/experiments/1?filter=metrics.auc%20%3E%200.8&col=a&col=b');
    expect(loc.path).toBe('/experiments/1');
    expect(loc.query.get('filter')).toBe('metrics.auc > 0.8');
    expect(loc.query.getAll('col')).toEqual(['a', 'b']);
    expect(parseHash('').path).toBe('/');
    expect(parseHash('#runs/x').path).toBe('/runs/x');
  });

  it('matches patterns with params and a trailing wildcard', () => {
    expect(matchPath('/runs/:id', '/runs/abc')).toEqual({ id: 'abc' });
    expect(matchPath('/models/:name', '/models/a%2Fb')).toEqual({ name: 'a/b' });
    expect(matchPath('/runs/:id', '/runs')).toBeNull();
    expect(matchPath('/runs/:id', '/runs/a/b')).toBeNull();
    expect(matchPath('/experiments', '/experiments/')).toEqual({});
    expect(matchPath('/data/*', '/data/a/b%20c')).toEqual({ '*': 'a/b c' });
    expect(matchPath('/runs/:id', '/runs/%E0%A4%A')).toBeNull();
  });

  it('builds links with encoded params and queries', () => {
    expect(href('/runs/:id', { id: 'a/b' }, { tab: 'metrics', empty: '', none: undefined })).toBe('#/runs/a%2Fb?tab=metrics');
    expect(href('/compare', {}, { run: ['x', 'y'], exp: '1' })).toBe('#/compare?run=x&run=y&exp=1');
    expect(href('/experiments')).toBe('#/experiments');
    expect(() => href('/runs/:id')).toThrow(/missing param/);
    const round = parseHash(href('/experiments/:id', { id: '7' }, { filter: "params.x = 'a&b'" }));
    expect(round.query.get('filter')).toBe("params.x = 'a&b'");
  });
});
