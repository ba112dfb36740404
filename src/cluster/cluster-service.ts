/** What the cluster routes answer: the live replicas and leases, and a deployment's traffic summed over replicas. */
import type { Kysely } from 'kysely';
import type { Registry } from 'prom-client';
import type { Database } from '../store/index.js';
import { listLeases } from './lease-repo.js';
import type { ReplicaHeartbeat } from './replica-heartbeat.js';
import { liveReplicas } from './replica-repo.js';
import { ownTraffic, type Sample, sumTraffic } from './traffic-samples.js';

export class ClusterService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly heartbeat: ReplicaHeartbeat,
    private readonly registry: Registry,
    /** Throws the usual not-found error for an unknown deployment. */
    private readonly deploymentExists: (name: string) => Promise<void>,
    private readonly clock: () => number = Date.now,
  ) {}

  private live() {
    return liveReplicas(this.db, this.clock() - 3 * this.heartbeat.periodMs);
  }

  async status() {
    let replicas = await this.live();
    // Before its first heartbeat lands, this replica still counts itself.
    if (!replicas.some((r) => r.id === this.heartbeat.id)) {
      await this.heartbeat.beat();
      replicas = await this.live();
    }
    const leases = await listLeases(this.db);
    return {
      replica: this.heartbeat.id,
      heartbeat_ms: this.heartbeat.periodMs,
      replicas: replicas.map((r) => ({
        id: r.id,
        host: r.host,
        pid: Number(r.pid),
        url: r.url,
        version: r.version,
        state: r.state === 'draining' ? ('draining' as const) : ('serving' as const),
        started_at: Number(r.started_at),
        seen_at: Number(r.seen_at),
        self: r.id === this.heartbeat.id,
      })),
      leases: leases.map((l) => ({ task: l.name, holder: l.holder, acquired_at: Number(l.acquired_at), expires_at: Number(l.expires_at) })),
    };
  }

  async traffic(deployment: string) {
    await this.deploymentExists(deployment);
    const replicas = await this.live();
    // This replica's counters are read fresh; the others' as of their last heartbeat.
    const lists: Sample[][] = [await ownTraffic(this.registry)];
    for (const r of replicas) if (r.id !== this.heartbeat.id) lists.push(JSON.parse(r.traffic) as Sample[]);
    return { deployment, at: this.clock(), replicas: lists.length, samples: sumTraffic(lists, deployment) };
  }
}
