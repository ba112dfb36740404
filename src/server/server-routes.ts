/**
 * The server's own routes: health probes (Ferry's and the Open Inference Protocol's), MLflow's server-info and
 * Prometheus metrics. Registered after the OpenAPI generator, so the document lists them.
 */
import type { Registry } from 'prom-client';
import { Answer, RawResponse, route, type ApiRoute } from '../api-route.js';
import * as C from '../contract/server.js';

export function serverRoutes(deps: { ping: () => Promise<void>; version: string; metrics: Registry }): ApiRoute[] {
  const storeAnswers = () =>
    deps.ping().then(
      () => true,
      () => false,
    );
  return [
    route(C.getHealth, async () => ({ status: 'ok' as const })),
    route(C.getReadiness, async () =>
      (await storeAnswers()) ? { status: 'ready' as const } : new Answer(503, { status: 'unavailable', detail: 'The metadata store does not answer.' }),
    ),
    route(C.getServerInfo, async () => ({ version: deps.version, server: 'ferry' as const })),
    route(C.getMetrics, async () => new RawResponse(deps.metrics.contentType, await deps.metrics.metrics())),
    route(C.v2ServerLive, async () => ({ live: true })),
    route(C.v2ServerReady, async () => ((await storeAnswers()) ? { ready: true as const } : new Answer(503, { ready: false }))),
  ];
}
