/** Fairness as the server runs it: the offline reports' service, live fairness, their routes and alert metrics. */
import type { ApiRoute } from '../api-route.js';
import type { AlertMetricSource } from '../alerts/index.js';
import type { DatasetService } from '../data/index.js';
import type { MonitoringService } from '../prediction-log/index.js';
import type { ModelLoader } from '../serving/index.js';
import type { Store } from '../store/index.js';
import { FairnessAlertMetrics } from './fairness-alerts.js';
import { type FairnessCheckInput, type FairnessCheckResult, fairnessCheck } from './fairness-gate.js';
import { LiveFairnessService } from './fairness-live.js';
import { fairnessRoutes } from './fairness-routes.js';
import { FairnessService } from './fairness-service.js';

export interface FairnessRuntimeDeps {
  store: Store;
  loader: ModelLoader;
  datasets: DatasetService;
  monitoring: Pick<MonitoringService, 'exportPages'>;
  clock?: () => number;
}

export interface Fairness {
  service: FairnessService;
  live: LiveFairnessService;
  routes: ApiRoute[];
  /** Wraps an alert metric source with the fairness metrics (demographic_parity_ratio:<feature>, …). */
  alertMetrics(inner: AlertMetricSource): AlertMetricSource;
  /** The gate on the latest stored report (see fairness-gate.ts). */
  check(q: FairnessCheckInput): Promise<FairnessCheckResult>;
}

export function startFairness(d: FairnessRuntimeDeps): Fairness {
  const service = new FairnessService({ store: d.store, loader: d.loader, datasets: d.datasets, ...(d.clock ? { clock: d.clock } : {}) });
  const live = new LiveFairnessService({ store: d.store, monitoring: d.monitoring, ...(d.clock ? { clock: d.clock } : {}) });
  return {
    service,
    live,
    routes: fairnessRoutes(service, live),
    alertMetrics: (inner) => new FairnessAlertMetrics(inner, live),
    check: (q) => fairnessCheck(d.store, q),
  };
}
