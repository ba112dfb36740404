import { describe, expect, it } from 'vitest';
import type { PageDef } from '../page.js';
import { findPage, navLinks, PAGES, sortPages } from './index.js';

const C = () => null;
const def = (path: string, extra: Partial<PageDef> = {}): PageDef => ({ path, component: C, ...extra });

describe('page registry', () => {
  it('tries static segments before params and wildcards', () => {
    const pages = sortPages([def('/data/*'), def('/runs/:id'), def('/data/:name'), def('/runs/compare')]);
    expect(pages.map((p) => p.path)).toEqual(['/runs/compare', '/runs/:id', '/data/:name', '/data/*']);
    expect(findPage(pages, '/runs/compare')?.page.path).toBe('/runs/compare');
    expect(findPage(pages, '/runs/abc')?.params).toEqual({ id: 'abc' });
    expect(findPage(pages, '/data/a/b')?.params).toEqual({ '*': 'a/b' });
    expect(findPage(pages, '/nowhere')).toBeNull();
  });

  it('links one entry page per section, in the nav order', () => {
    const links = navLinks([
      def('/data', { section: 'Data', navEntry: true }),
      def('/runs/:id', { section: 'Experiments', navEntry: true }),
      def('/experiments', { section: 'Experiments', navEntry: true }),
      def('/models/:name', { section: 'Models' }),
    ]);
    expect(links).toEqual([
      { section: 'Experiments', path: '/experiments' },
      { section: 'Data', path: '/data' },
    ]);
  });

  it('finds the page files (every *-page.tsx) and their routes', () => {
    const paths = PAGES.map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['/experiments', '/experiments/:id', '/runs/:id', '/compare']));
    expect(navLinks(PAGES)[0]).toEqual({ section: 'Overview', path: '/overview' });
    expect(paths).toEqual(expect.arrayContaining(['/loops', '/loops/:name', '/loops/:name/runs/:seq']));
  });
});
