/** HTTP surface of estimated performance (CBPE): per window, estimates with bands beside realized metrics. */
import { type ApiRoute, route } from '../api-route.js';
import * as C from '../contract/estimated-performance.js';
import type { EstimatedPerformanceService } from './estimated-performance-service.js';

export function estimatedPerformanceRoutes(svc: EstimatedPerformanceService): ApiRoute[] {
  return [route(C.getEstimatedPerformance, async ({ params, query }) => svc.estimated(params.name, query))];
}
