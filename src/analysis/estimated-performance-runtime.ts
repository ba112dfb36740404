/** Estimated performance (CBPE) as the server runs it: the reference cache, the service, its route and alert metrics. */
import type { ApiRoute } from '../api-route.js';
import type { AlertMetricSource } from '../alerts/index.js';
import type { DatasetService, LineageService } from '../data/index.js';
import type { MonitoringService } from '../prediction-log/index.js';
import type { ModelLoader } from '../serving/index.js';
import type { Store } from '../store/index.js';
import { InvalidStateError } from '../errors.js';
import { EstimatedPerformanceAlertMetrics } from './estimated-performance-alerts.js';
import { ReferenceCache } from './estimated-performance-reference.js';
import { estimatedPerformanceRoutes } from './estimated-performance-routes.js';
import { EstimatedPerformanceService } from './estimated-performance-service.js';

export interface EstimatedPerformanceDeps {
  store: Store;
  loader: ModelLoader;
  datasets: DatasetService;
  lineage: Pick<LineageService, 'trainingVersionsOf'>;
  monitoring: Pick<MonitoringService, 'exportPages'>;
  /** The deployment's live routes (serving's DeploymentRuntime.liveRoutes): 404 unknown, 503 still loading. */
  liveRoutes: (deployment: string) => readonly { model: string; version: string; weight: number }[];
  clock?: () => number;
}

export interface EstimatedPerformance {
  service: EstimatedPerformanceService;
  routes: ApiRoute[];
  /** Wraps an alert metric source with estimated_<metric> (estimated_f1, estimated_roc_auc, …). */
  alertMetrics(inner: AlertMetricSource): AlertMetricSource;
}

/** The version taking most of the traffic stands for the deployment (as monitoring's drift reference does). */
export function servingModelOf(routes: readonly { model: string; version: string; weight: number }[], deployment: string): { name: string; version: string } {
  const main = [...routes].filter((r) => r.weight > 0).sort((a, b) => b.weight - a.weight)[0] ?? routes[0];
  if (!main) throw new InvalidStateError(`Deployment '${deployment}' serves no model version.`);
  return { name: main.model, version: main.version };
}

export function startEstimatedPerformance(d: EstimatedPerformanceDeps): EstimatedPerformance {
  const clock = d.clock ?? Date.now;
  const references = new ReferenceCache({ datasets: d.datasets, lineage: d.lineage, loader: d.loader, clock });
  const service = new EstimatedPerformanceService({
    store: d.store,
    monitoring: d.monitoring,
    references,
    servingModel: (name) => servingModelOf(d.liveRoutes(name), name),
    clock,
  });
  return {
    service,
    routes: estimatedPerformanceRoutes(service),
    alertMetrics: (inner) => new EstimatedPerformanceAlertMetrics(inner, service),
  };
}
