/** Where a registered model is deployed (pure): every route and shadow route of every deployment naming it. */
import type { Deployment } from '../../../../src/sdk/index.js';

export interface ModelUsage {
  deployment: string;
  role: 'route' | 'shadow';
  /** `v2` or `@champion → v2` (the version the route resolved to, when it did). */
  ref: string;
  /** The version served now, when known. */
  version: string | undefined;
  /** Share of the deployment's traffic (0–1); null for a shadow (it gets a copy of everything). */
  share: number | null;
}

export function modelUsage(deployments: readonly Deployment[], model: string): ModelUsage[] {
  const out: ModelUsage[] = [];
  for (const d of deployments) {
    const total = d.spec.routes.reduce((a, r) => a + r.weight, 0);
    const status = d.status?.routes ?? [];
    const resolved = (i: number) => status[i]?.version;
    d.spec.routes.forEach((r, i) => {
      if (r.model !== model) return;
      const version = r.version ?? resolved(i);
      out.push({
        deployment: d.name,
        role: 'route',
        ref: r.alias ? `@${r.alias}${version ? ` → v${version}` : ''}` : `v${r.version}`,
        version,
        share: total > 0 ? r.weight / total : 0,
      });
    });
    d.spec.shadow.forEach((s, i) => {
      if (s.model !== model) return;
      const version = s.version ?? resolved(d.spec.routes.length + i);
      out.push({ deployment: d.name, role: 'shadow', ref: s.alias ? `@${s.alias}${version ? ` → v${version}` : ''}` : `v${s.version}`, version, share: null });
    });
  }
  return out;
}
