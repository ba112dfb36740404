/** A deployment's routes and state, in words (pure). */
import type { Deployment, DeploymentRouteStatus, DeploymentSpec, RouteState } from '../../../../src/sdk/index.js';
import { refLabel, sharesOf } from './weights.js';

export type StateLabel = 'ready' | 'updating' | 'loading' | 'failed' | 'not serving';

export interface DeploymentState {
  label: StateLabel;
  detail: string;
}

export function deploymentState(d: Deployment): DeploymentState {
  const s = d.status;
  const routes = s?.routes ?? [];
  const failed = routes.filter((r) => r.state === 'failed');
  const loading = routes.some((r) => r.state === 'loading');
  const serving = s?.serving_revision ?? null;
  if (failed.length > 0) {
    const why = failed.map((r) => `${refLabel(r.ref)}: ${r.reason ?? 'failed to load'}`).join('; ');
    return { label: 'failed', detail: serving === null ? why : `${why} (revision ${serving} keeps serving)` };
  }
  if (serving === null)
    return loading ? { label: 'loading', detail: 'Loading its models.' } : { label: 'not serving', detail: 'No revision is serving (yet).' };
  if (loading || (s?.applied_revision ?? serving) !== serving)
    return { label: 'updating', detail: `Revision ${serving} serves while revision ${s?.applied_revision ?? '?'} loads.` };
  return { label: 'ready', detail: `Revision ${serving} serves.` };
}

export type RouteRole = 'main' | 'canary' | 'off' | 'shadow';

export interface RouteRow {
  key: string;
  role: RouteRole;
  label: string;
  model: string;
  /** The version the route resolved to (for an alias), or its pinned version. */
  version: string | undefined;
  weight: number | null;
  share: number | null;
  state: RouteState | 'unknown';
  reason: string | undefined;
}

/** The main route is the heaviest (the first of equals); other weighted routes are canaries; weight 0 is off. */
export function routeRows(spec: DeploymentSpec, status: readonly DeploymentRouteStatus[] = []): RouteRow[] {
  const shares = sharesOf(spec.routes.map((r) => r.weight));
  let main = 0;
  spec.routes.forEach((r, i) => {
    if (r.weight > spec.routes[main]!.weight) main = i;
  });
  // Status lists the applied revision's main routes, then its shadows; trust it only where it names the same ref.
  const statusAt = (i: number, ref: { model: string; version?: string | undefined; alias?: string | undefined }) => {
    const st = status[i];
    return st && st.ref.model === ref.model && st.ref.version === ref.version && st.ref.alias === ref.alias ? st : undefined;
  };
  const rows: RouteRow[] = spec.routes.map((r, i) => {
    const st = statusAt(i, r);
    return {
      key: `route-${i}`,
      role: i === main && r.weight > 0 ? 'main' : r.weight > 0 ? 'canary' : 'off',
      label: refLabel(r),
      model: r.model,
      version: r.version ?? st?.version,
      weight: r.weight,
      share: shares[i] ?? 0,
      state: st?.state ?? 'unknown',
      reason: st?.reason,
    };
  });
  spec.shadow.forEach((s, i) => {
    const st = statusAt(spec.routes.length + i, s);
    rows.push({
      key: `shadow-${i}`,
      role: 'shadow',
      label: refLabel(s),
      model: s.model,
      version: s.version ?? st?.version,
      weight: null,
      share: null,
      state: st?.state ?? 'unknown',
      reason: st?.reason,
    });
  });
  return rows;
}

/** `credit:1 90% · credit:2 10% · shadow credit:3` for lists and confirmations. */
export function specSummary(spec: DeploymentSpec): string {
  const shares = sharesOf(spec.routes.map((r) => r.weight));
  const parts = spec.routes.map((r, i) => `${refLabel(r)} ${pct(shares[i] ?? 0)}`);
  for (const s of spec.shadow) parts.push(`shadow ${refLabel(s)}`);
  return parts.join(' · ');
}

/** `0.9` → `90%`, `1/3` → `33.3%`. */
export function pct(share: number): string {
  const p = share * 100;
  return `${Number.isInteger(p) ? p : Number(p.toFixed(1))}%`;
}
