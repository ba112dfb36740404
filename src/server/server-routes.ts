/**
 * The server's own routes: health probes (Ferry's and the Open Inference Protocol's), MLflow's server-info and
 * Prometheus metrics. Registered after the OpenAPI generator, so the document lists them.
 */
import type { Registry } from 'prom-client';
import { Answer, RawResponse, route, type ApiRoute } from '../api-route.js';
import * as C from '../contract/server.js';

export function serverRoutes(deps: {
  ping: () => Promise<void>;
  version: string;
  metrics: Registry;
  /** Why the server is not ready though its store answers (starting, stopping), or null. */
  notReady?: () => string | null;
}): ApiRoute[] {
  // A starting server answers not-ready until it can serve its deployments, and a stopping one as soon as it
  // begins to drain: a load balancer sends it nothing it cannot answer.
  const drainingAnswer = () => deps.notReady?.() ?? null;
  const storeAnswers = () =>
    deps.ping().then(
      () => true,
      () => false,
    );
  return [
    route(C.getHealth, async () => ({ status: 'ok' as const })),
    route(C.getReadiness, async () => {
      const stopping = drainingAnswer();
      if (stopping) return new Answer(503, { status: 'unavailable', detail: stopping });
      return (await storeAnswers()) ? { status: 'ready' as const } : new Answer(503, { status: 'unavailable', detail: 'The metadata store does not answer.' });
    }),
    route(C.getServerInfo, async () => ({ version: deps.version, server: 'ferry' as const })),
    route(C.getMetrics, async () => new RawResponse(deps.metrics.contentType, await deps.metrics.metrics())),
    route(C.v2ServerLive, async () => ({ live: true })),
    route(C.v2ServerReady, async () => (!drainingAnswer() && (await storeAnswers()) ? { ready: true as const } : new Answer(503, { ready: false }))),
  ];
}
