/** Table types of the cluster (migration 0014). */
export interface ClusterLeaseTable {
  /** The task the lease is for (alerts, retention, traffic_validation, …). */
  name: string;
  /** The replica id holding it. */
  holder: string;
  acquired_at: number;
  /** Epoch ms; past it, any replica may take the lease. */
  expires_at: number;
}

export interface ClusterReplicaTable {
  /** Random per process start. */
  id: string;
  host: string;
  pid: number;
  url: string | null;
  version: string;
  started_at: number;
  /** The last heartbeat (epoch ms). */
  seen_at: number;
  /** serving | draining */
  state: string;
  /** JSON: this process's serving counters (samples of the traffic metric families), cumulative since start. */
  traffic: string;
}

export interface ClusterTables {
  cluster_leases: ClusterLeaseTable;
  cluster_replicas: ClusterReplicaTable;
}
