/** The overview's numbers: each route's share of a deployment's traffic, in words. */
import type { Deployment } from '../../../../src/sdk/index.js';

export interface RouteShare {
  /** "credit v3" or "credit @champion → v3". */
  label: string;
  /** Share of traffic in [0, 1]; 0 when every weight is 0. */
  share: number;
}

function refLabel(model: string, ref: { version?: string; alias?: string }, resolved: string | undefined): string {
  if (ref.alias) return `${model} @${ref.alias}${resolved ? ` → v${resolved}` : ''}`;
  return `${model} v${ref.version ?? resolved ?? '?'}`;
}

/** Main routes with their share (weights are relative), then the shadows (which get a copy of every request). */
export function deploymentShares(d: Deployment): { routes: RouteShare[]; shadows: string[] } {
  const total = d.spec.routes.reduce((s, r) => s + r.weight, 0);
  const status = d.status.routes;
  const routes = d.spec.routes.map((r, i) => ({ label: refLabel(r.model, r, status[i]?.version), share: total > 0 ? r.weight / total : 0 }));
  const shadows = d.spec.shadow.map((s, i) => refLabel(s.model, s, status[d.spec.routes.length + i]?.version));
  return { routes, shadows };
}

/** 0.5 → "50%", 0.125 → "12.5%". */
export function shareText(x: number): string {
  return `${Number((x * 100).toPrecision(3))}%`;
}
