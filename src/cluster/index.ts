/**
 * Replicas as one Ferry: a heartbeat per replica (with its serving counters), leases for once-per-cluster tasks,
 * change messages between replicas, and the routes that show the cluster.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Registry } from 'prom-client';
import type { ApiRoute } from '../api-route.js';
import type { Store } from '../store/index.js';
import { ClusterBus } from './cluster-bus.js';
import { clusterRoutes } from './cluster-routes.js';
import { ClusterService } from './cluster-service.js';
import { ClusterTasks, type RunOnce } from './cluster-tasks.js';
import { ReplicaHeartbeat } from './replica-heartbeat.js';

export { ClusterBus, type ClusterTopic } from './cluster-bus.js';
export { leaseTtl, type RunOnce } from './cluster-tasks.js';
export { sumTraffic, type Sample } from './traffic-samples.js';

export interface ClusterDeps {
  store: Store;
  metrics: Registry;
  version: string;
  deploymentExists: (name: string) => Promise<void>;
  onError: (err: unknown, what: string) => void;
  /** Between heartbeats; default FERRY_CLUSTER_HEARTBEAT_MS, else 2 s. */
  heartbeatMs?: number;
}

export interface Cluster {
  replicaId: string;
  runOnce: RunOnce;
  bus: ClusterBus;
  routes: ApiRoute[];
  /** Where this replica listens (known once it does). */
  setUrl(url: string): void;
  /** Stopping: readiness off, the heartbeat says draining. */
  drain(): Promise<void>;
  readonly draining: boolean;
  /** Hands leases back, stops the heartbeat (its row goes), stops listening. */
  close(): Promise<void>;
}

export async function startCluster(d: ClusterDeps): Promise<Cluster> {
  const replicaId = `${hostname().slice(0, 40)}-${process.pid}-${randomBytes(4).toString('hex')}`;
  const envMs = Number(process.env['FERRY_CLUSTER_HEARTBEAT_MS']);
  const periodMs = d.heartbeatMs ?? (Number.isInteger(envMs) && envMs >= 100 ? envMs : 2000);
  const heartbeat = new ReplicaHeartbeat(d.store.db, replicaId, d.metrics, d.version, periodMs, (err) => d.onError(err, 'cluster heartbeat failed'));
  const tasks = new ClusterTasks(d.store.db, replicaId, d.metrics);
  const bus = new ClusterBus(d.store, replicaId, (err) => d.onError(err, 'cluster message failed'));
  const service = new ClusterService(d.store.db, heartbeat, d.metrics, d.deploymentExists);
  heartbeat.start();
  let draining = false;
  let closed = false;
  return {
    replicaId,
    runOnce: tasks.runOnce,
    bus,
    routes: clusterRoutes(service),
    setUrl(url) {
      heartbeat.url = url;
      void heartbeat.beat();
    },
    async drain() {
      draining = true;
      heartbeat.state = 'draining';
      await heartbeat.beat();
    },
    get draining() {
      return draining;
    },
    async close() {
      if (closed) return;
      closed = true;
      await tasks.release().catch((err: unknown) => d.onError(err, 'cluster leases were not handed back'));
      await heartbeat.stop();
      await bus.close();
    },
  };
}
