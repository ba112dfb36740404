/**
 * The page registry. Every `pages/<name>-page.tsx` exports `pages: PageDef[]` and is picked up here at build
 * time (Vite's import.meta.glob): adding a page is adding its file. Routes are tried most specific first.
 */
import { NAV_SECTIONS, type NavSection, type PageDef } from '../page.js';
import { matchPath, type Params } from '../router.js';

const modules = import.meta.glob<{ pages?: PageDef[] }>('./*-page.tsx', { eager: true });

export const PAGES: readonly PageDef[] = sortPages(Object.values(modules).flatMap((m) => m.pages ?? []));

/** Static segments before params, longer before shorter, so `/runs/compare` wins over `/runs/:id`. */
export function sortPages(pages: readonly PageDef[]): PageDef[] {
  const rank = (p: string) =>
    p
      .split('/')
      .filter(Boolean)
      .map((s) => (s === '*' ? 2 : s.startsWith(':') ? 1 : 0));
  return [...pages].sort((a, b) => {
    const ra = rank(a.path);
    const rb = rank(b.path);
    for (let i = 0; i < Math.min(ra.length, rb.length); i++) if (ra[i] !== rb[i]) return ra[i]! - rb[i]!;
    return rb.length - ra.length;
  });
}

export function findPage(pages: readonly PageDef[], path: string): { page: PageDef; params: Params } | null {
  for (const page of pages) {
    const params = matchPath(page.path, path);
    if (params) return { page, params };
  }
  return null;
}

export interface NavLink {
  section: NavSection;
  path: string;
}

/** One link per section that has an entry page, in NAV_SECTIONS order. */
export function navLinks(pages: readonly PageDef[]): NavLink[] {
  const out: NavLink[] = [];
  for (const section of NAV_SECTIONS) {
    const entry = pages.find((p) => p.section === section && p.navEntry && !p.path.includes(':') && !p.path.includes('*'));
    if (entry) out.push({ section, path: entry.path });
  }
  return out;
}
