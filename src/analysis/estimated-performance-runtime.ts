/** Estimated performance (CBPE) as the server runs it: the reference cache, the service, its route and alert metrics. */
import type { ApiRoute } from '../api-route.js';
import type { AlertMetricSource } from '../alerts/index.js';
import type { DatasetService, LineageService } from '../data/index.js';
import type { MonitoringService } from '../prediction-log/index.js';
import type { ModelLoader } from '../serving/index.js';
import type { Store } from '../store/index.js';
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
  /** The model version serving most of the deployment's traffic. */
  servingModel: (deployment: string) => { name: string; version: string };
  clock?: () => number;
}

export interface EstimatedPerformance {
  service: EstimatedPerformanceService;
  routes: ApiRoute[];
  /** Wraps an alert metric source with estimated_<metric> (estimated_f1, estimated_roc_auc, …). */
  alertMetrics(inner: AlertMetricSource): AlertMetricSource;
}

export function startEstimatedPerformance(d: EstimatedPerformanceDeps): EstimatedPerformance {
  const clock = d.clock ?? Date.now;
  const references = new ReferenceCache({ datasets: d.datasets, lineage: d.lineage, loader: d.loader, clock });
  const service = new EstimatedPerformanceService({ store: d.store, monitoring: d.monitoring, references, servingModel: d.servingModel, clock });
  return {
    service,
    routes: estimatedPerformanceRoutes(service),
    alertMetrics: (inner) => new EstimatedPerformanceAlertMetrics(inner, service),
  };
}
