/** Prometheus: jobs by state and executor (read from the store when scraped), queue wait, run time. */
import { Gauge, Histogram, type Registry } from 'prom-client';
import type { Store } from '../store/index.js';
import * as repo from './job-repo.js';
import type { JobEvents } from './job-worker.js';

const BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 4 * 3600, 24 * 3600];

export function jobMetrics(registry: Registry, store: Store): JobEvents {
  new Gauge({
    name: 'ferry_jobs',
    help: 'Jobs by state and executor (every server sees the same numbers: they come from the store)',
    labelNames: ['executor', 'state'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const r of await repo.stateCounts(store.db)) this.set({ executor: r.executor, state: r.state }, r.n);
    },
  });
  const wait = new Histogram({
    name: 'ferry_job_queue_wait_seconds',
    help: 'From a job being due to a worker claiming it',
    labelNames: ['executor'],
    buckets: BUCKETS,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'ferry_job_duration_seconds',
    help: 'From a job running to its end, by outcome',
    labelNames: ['executor', 'state'],
    buckets: BUCKETS,
    registers: [registry],
  });
  return {
    claimed: (job, ms) => wait.observe({ executor: job.executor }, Math.max(0, ms) / 1000),
    finished: (job, state, ms) => {
      if (ms !== null) duration.observe({ executor: job.executor, state }, ms / 1000);
    },
  };
}
