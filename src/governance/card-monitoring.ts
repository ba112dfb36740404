/**
 * The card's live monitoring section: for each deployment that routes to this model and has profiled traffic of
 * this version, drift against the deployment's reference, live performance from feedback and performance estimated
 * without labels (CBPE, binary classifiers), over the 24 hours of
 * traffic ending with the newest profiled window. The span is anchored on the data, not on the clock, so the
 * section changes when traffic or feedback arrives, never because time passed (staleness says that).
 */
import type { Store } from '../store/index.js';
import { profiledDeployments } from './card-repo.js';
import type { ProvidedFacts, SectionProvider } from './card-types.js';

const HOUR = 3_600_000;

type Obj = Record<string, unknown>;

/** What the section reads of monitoring (analysis' DriftService) and of serving (a deployment's routes). */
export interface MonitoringSources {
  routesOf(deployment: string): Promise<{ model: string }[]>;
  drift(deployment: string, q: { modelVersion: string; from: number; to: number }): Promise<Obj>;
  performance(deployment: string, q: { from: number; to: number }): Promise<Obj>;
  /** Performance estimated without labels (CBPE) of the version the deployment mostly serves; binary classifiers. */
  estimated?(deployment: string, q: { from: number; to: number }): Promise<Obj>;
}

const reason = (err: unknown) => (err instanceof Error ? err.message : String(err));

export function liveMonitoring(store: Store, src: MonitoringSources): SectionProvider {
  return async (model, version): Promise<ProvidedFacts | null> => {
    const deployments = [];
    const drift = [];
    const performance = [];
    const estimated = [];
    let asOf: number | null = null;
    for (const p of await profiledDeployments(store, version)) {
      const routes = await src.routesOf(p.deployment).catch(() => []);
      if (!routes.some((r) => r.model === model)) continue;
      // 24 hours of traffic ending with the newest window (its end is within the hour after its start).
      const from = p.newest_window - 23 * HOUR;
      const to = p.newest_window + HOUR;
      asOf = Math.max(asOf ?? 0, p.updated_at);
      const entry: Obj = { deployment: p.deployment, from, to, newest_window_at: p.newest_window };
      try {
        const d = await src.drift(p.deployment, { modelVersion: version, from, to });
        const cur = (d['current'] ?? {}) as Obj;
        const ref = (d['reference'] ?? {}) as Obj;
        Object.assign(entry, {
          rows: cur['rows'] ?? null,
          reference_rows: ref['rows'] ?? null,
          dataset_drift: d['dataset_drift'] ?? null,
          share_drifted: d['share_drifted'] ?? null,
        });
        for (const f of (d['features'] ?? []) as Obj[])
          drift.push({
            deployment: p.deployment,
            feature: f['name'],
            method: f['method'] ?? null,
            statistic: f['statistic'] ?? null,
            drifted: f['drifted'] ?? null,
          });
        const pred = d['prediction'] as Obj | null | undefined;
        if (pred)
          drift.push({
            deployment: p.deployment,
            feature: `prediction (${String(pred['name'] ?? '')})`,
            method: pred['method'] ?? null,
            statistic: pred['statistic'] ?? null,
            drifted: pred['drifted'] ?? null,
          });
      } catch (err) {
        entry['drift_not_computed'] = reason(err);
      }
      try {
        const perf = await src.performance(p.deployment, { from, to });
        const mine = ((perf['versions'] ?? []) as Obj[]).find((v) => v['model_version'] === version);
        if (mine) performance.push({ deployment: p.deployment, ...mine });
      } catch (err) {
        entry['performance_not_computed'] = reason(err);
      }
      if (src.estimated) {
        try {
          const e = await src.estimated(p.deployment, { from, to });
          const of = (e['model'] ?? {}) as Obj;
          // The estimator is the main version's: another version's estimate says nothing of this one.
          if (of['name'] === model && of['version'] === version)
            estimated.push({ deployment: p.deployment, reference: e['reference'] ?? null, ...((e['overall'] ?? {}) as Obj) });
        } catch (err) {
          entry['estimated_not_computed'] = reason(err);
        }
      }
      deployments.push(entry);
    }
    if (deployments.length === 0) return null;
    return { as_of: asOf, facts: { deployments, drift, live_performance: performance, estimated_performance: estimated } };
  };
}
