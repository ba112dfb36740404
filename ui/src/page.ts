/**
 * What a page module exports so the shell can route to it. Each page lives in `pages/<name>-page.tsx` and
 * exports `pages: PageDef[]`; pages/index.ts finds every such file itself (nothing to register by hand).
 */
import type { ComponentType } from 'react';
import type { Params } from './router.js';

export interface PageProps {
  /** Decoded `:name` segments of the matched pattern (and `*` for a trailing wildcard). */
  params: Params;
  /** The hash's query string (`#/experiments/1?filter=...`). */
  query: URLSearchParams;
}

/** The left navigation, in this order. A page joins it by naming its section. */
export const NAV_SECTIONS = ['Overview', 'Experiments', 'Jobs', 'Models', 'Deployments', 'A/B tests', 'Loops', 'Monitoring', 'Alerts', 'Data'] as const;
export type NavSection = (typeof NAV_SECTIONS)[number];

export interface PageDef {
  /** Route pattern, e.g. `/experiments`, `/runs/:id`, `/models/:name/versions/:version`. */
  path: string;
  component: ComponentType<PageProps>;
  /** Shown in the browser tab; the section name when left out. */
  title?: string;
  /**
   * The nav section this page belongs to (highlighted while it is open). A page whose path has no params
   * and sets `navEntry: true` is the section's link target; a section without one is not shown.
   */
  section?: NavSection;
  navEntry?: boolean;
}
