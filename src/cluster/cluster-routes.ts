/** HTTP surface of the cluster: its status, and a deployment's traffic summed over replicas. */
import { type ApiRoute, route } from '../api-route.js';
import * as C from '../contract/cluster.js';
import type { ClusterService } from './cluster-service.js';

export function clusterRoutes(cluster: ClusterService): ApiRoute[] {
  return [route(C.getClusterStatus, async () => cluster.status()), route(C.getDeploymentTraffic, async ({ params }) => cluster.traffic(params.name))];
}
