/**
 * The last step: what the monitoring saw, read back through the API — drift per window, which features moved,
 * live performance per model version — for the final message and `--json`.
 */
import type { DriftWindow, FerryClient } from '../../sdk/index.js';
import { DEMO } from './assets.js';

export interface MonitoringSummary {
  windows: DriftWindow[];
  /** Features drifted in the last window with at least half as many rows as the fullest. */
  drifted_features: string[];
  performance: { model_version: string; n: number; accuracy: number | null; roc_auc: number | null }[];
}

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export async function readMonitoring(client: FerryClient, from: string): Promise<MonitoringSummary> {
  const { windows } = await client.monitoring.driftWindows(DEMO.deployment, { from });
  // The last well-filled window: a window with a handful of rows can show a feature drifted by chance.
  const most = Math.max(0, ...windows.map((w) => w.rows));
  const last = [...windows].reverse().find((w) => w.rows > 0 && w.rows >= most / 2);
  const perf = await client.monitoring.performance(DEMO.deployment, { from });
  return {
    windows,
    drifted_features: last ? last.features.filter((f) => f.drifted).map((f) => f.name) : [],
    performance: perf.versions.map((v) => ({
      model_version: v.model_version,
      n: v.n,
      accuracy: num('accuracy' in v ? v.accuracy : null),
      roc_auc: num('roc_auc' in v ? v.roc_auc : null),
    })),
  };
}
