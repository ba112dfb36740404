/**
 * The cluster: the replicas serving this Ferry (one store, one artifact store), the leases of its once-per-cluster
 * tasks, and a deployment's serving counters summed over every live replica (what the UI's live charts read, so
 * they show the whole cluster rather than the one replica the load balancer picked).
 */
import { Type } from '@sinclair/typebox';
import { NameParams } from './common.js';
import { defineOperation } from './operation.js';

const tag = 'cluster';

/** The metric families the traffic answer carries (what /metrics calls them). */
export const TRAFFIC_FAMILIES = ['ferry_predictions_total', 'ferry_prediction_duration_seconds', 'ferry_shadow_predictions_total'] as const;

export const Replica = Type.Object({
  id: Type.String({ description: 'random per process start' }),
  host: Type.String({ description: 'the machine (or pod) name' }),
  pid: Type.Integer(),
  url: Type.Union([Type.String(), Type.Null()], { description: 'where it listens, as it sees itself' }),
  version: Type.String(),
  state: Type.Union([Type.Literal('serving'), Type.Literal('draining')], { description: 'draining: stopping, readiness off' }),
  started_at: Type.Integer({ description: 'epoch ms' }),
  seen_at: Type.Integer({ description: 'its last heartbeat, epoch ms' }),
  self: Type.Boolean({ description: 'the replica that answered' }),
});

export const Lease = Type.Object({
  task: Type.String({ description: 'alerts, retention, traffic_validation, …' }),
  holder: Type.String({ description: 'the replica id running it' }),
  acquired_at: Type.Integer({ description: 'epoch ms' }),
  expires_at: Type.Integer({ description: 'epoch ms; past it another replica takes over' }),
});

export const ClusterStatus = Type.Object({
  replica: Type.String({ description: 'the id of the replica that answered' }),
  heartbeat_ms: Type.Integer({ description: 'how often replicas write their heartbeat' }),
  replicas: Type.Array(Replica, { description: 'replicas seen within three heartbeats, oldest first' }),
  leases: Type.Array(Lease),
});

export const TrafficSample = Type.Object({
  name: Type.String({ description: 'the sample name, with _bucket / _sum / _count for histograms' }),
  labels: Type.Record(Type.String(), Type.String()),
  value: Type.Number(),
});

export const DeploymentTraffic = Type.Object({
  deployment: Type.String(),
  at: Type.Integer({ description: 'epoch ms of the answer' }),
  replicas: Type.Integer({ description: 'replicas summed (seen within three heartbeats)' }),
  samples: Type.Array(TrafficSample, {
    description: `cumulative counters of ${TRAFFIC_FAMILIES.join(', ')} for this deployment, summed over replicas by name and labels (a replica that restarts starts from 0: read rates as Prometheus' increase() does)`,
  }),
});

export const getClusterStatus = defineOperation({
  method: 'GET',
  path: '/api/v1/cluster',
  operationId: 'getClusterStatus',
  tag,
  access: 'viewer',
  style: 'native',
  summary: 'The live replicas and who holds each once-per-cluster task',
  responses: { 200: ClusterStatus },
});

export const getDeploymentTraffic = defineOperation({
  method: 'GET',
  path: '/api/v1/deployments/:name/traffic',
  operationId: 'getDeploymentTraffic',
  tag,
  access: 'viewer',
  style: 'native',
  summary: "A deployment's serving counters, summed over every live replica",
  params: NameParams,
  responses: { 200: DeploymentTraffic },
});
