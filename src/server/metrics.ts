import type { FastifyInstance } from 'fastify';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Prometheus metrics: request counts and latencies by route (the route pattern, never the raw URL), and the
 * process and Node.js runtime metrics. The registry is served at /metrics by the server's routes
 * (server-routes.ts); every name and label is listed in docs/metrics.md.
 */
export function installMetrics(app: FastifyInstance): Registry {
  const registry = new Registry();
  // prom-client's names already begin with process_ / nodejs_: the prefix is just 'ferry_'
  // (ferry_process_cpu_seconds_total, ferry_nodejs_eventloop_lag_seconds).
  collectDefaultMetrics({ register: registry, prefix: 'ferry_' });
  const requests = new Counter({
    name: 'ferry_http_requests_total',
    help: 'HTTP requests served',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'ferry_http_request_duration_seconds',
    help: 'HTTP request latency',
    labelNames: ['method', 'route'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    requests.inc({ method: req.method, route, status: String(reply.statusCode) });
    latency.observe({ method: req.method, route }, reply.elapsedTime / 1000);
  });
  return registry;
}
