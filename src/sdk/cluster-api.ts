/**
 * The cluster (/api/v1/cluster): the replicas serving this Ferry, with their heartbeats, and which replica holds
 * each once-per-cluster task. A deployment's traffic summed over the replicas is `deployments.traffic(name)`.
 */
import type { Static } from '@sinclair/typebox';
import * as C from '../contract/cluster.js';
import type { HttpClient } from './http.js';

/** The metric families a traffic answer carries (what /metrics calls them). */
export const TRAFFIC_FAMILIES: readonly string[] = C.TRAFFIC_FAMILIES;

export type ClusterStatus = Static<typeof C.ClusterStatus>;
export type ClusterReplica = Static<typeof C.Replica>;
export type ClusterLease = Static<typeof C.Lease>;
/** A deployment's cumulative serving counters, summed over every live replica. */
export type DeploymentTraffic = Static<typeof C.DeploymentTraffic>;
/** One counter sample, as /metrics would write it (histograms as _bucket / _sum / _count samples). */
export type TrafficSample = Static<typeof C.TrafficSample>;

export class ClusterApi {
  constructor(private readonly http: HttpClient) {}

  /** The live replicas (seen within three heartbeats, oldest first) and the leases of once-per-cluster tasks. */
  status(): Promise<ClusterStatus> {
    return this.http.call(C.getClusterStatus);
  }
}
