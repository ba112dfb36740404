/** Serving counters as plain samples: read from this process's Prometheus registry, and summed over replicas. */
import type { Registry } from 'prom-client';
import { TRAFFIC_FAMILIES } from '../contract/cluster.js';

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** This process's samples of the traffic families (every deployment). */
export async function ownTraffic(registry: Registry): Promise<Sample[]> {
  const out: Sample[] = [];
  for (const family of TRAFFIC_FAMILIES) {
    const metric = registry.getSingleMetric(family);
    if (!metric) continue;
    const got = await metric.get();
    for (const v of got.values) {
      if (!Number.isFinite(v.value)) continue;
      const labels: Record<string, string> = {};
      for (const [k, x] of Object.entries(v.labels)) if (x !== undefined) labels[k] = String(x);
      out.push({ name: (v as { metricName?: string }).metricName ?? family, labels, value: v.value });
    }
  }
  return out;
}

const keyOf = (s: Sample) =>
  `${s.name}\u0000${Object.keys(s.labels)
    .sort()
    .map((k) => `${k}=${s.labels[k]}`)
    .join('\u0000')}`;

/** One deployment's samples, summed by name and labels over the given replicas' sample lists. */
export function sumTraffic(lists: readonly (readonly Sample[])[], deployment: string): Sample[] {
  const sums = new Map<string, Sample>();
  for (const list of lists)
    for (const s of list) {
      if (s.labels['deployment'] !== deployment) continue;
      const k = keyOf(s);
      const had = sums.get(k);
      if (had) had.value += s.value;
      else sums.set(k, { name: s.name, labels: { ...s.labels }, value: s.value });
    }
  return [...sums.values()].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : 1));
}
