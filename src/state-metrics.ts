/**
 * Ferry's state as Prometheus gauges, read when /metrics is scraped: what the build is, and (filled in by the
 * capabilities' own readers) the ML state on-call teams alert on. A top-level file like app.ts, because it reads
 * across capabilities.
 */
import type { FastifyInstance } from 'fastify';
import { Gauge, type Registry } from 'prom-client';

export function registerStateMetrics(registry: Registry, _app: FastifyInstance, version: string): void {
  // The usual build_info shape: value 1, what matters is in the labels.
  const info = new Gauge({
    name: 'ferry_build_info',
    help: 'Ferry build: version and Node.js runtime',
    labelNames: ['version', 'node_version'],
    registers: [registry],
  });
  info.set({ version, node_version: process.versions.node }, 1);
}
