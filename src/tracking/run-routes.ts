import type { Static } from '@sinclair/typebox';
import { route, type ApiRoute } from '../api-route.js';
import * as C from '../contract/tracking.js';
import { InvalidParameterError } from '../errors.js';
import { ACTIVE, DELETED } from './lifecycle.js';
import { LIMITS, parseMetricValue } from './limits.js';
import type { MetricInput } from './run-repo.js';
import type { RunService } from './run-service.js';
import type { RunIoService } from './run-io-service.js';
import { kvs } from './shapes.js';

/** A metric as sent (its value possibly "NaN" or "Infinity") → what the store writes. */
function metricOf(m: Static<typeof C.MetricIn>, prefix = ''): MetricInput {
  const value = parseMetricValue(m.value, `${prefix}value`);
  return {
    key: m.key,
    value,
    is_nan: Number.isNaN(value) ? 1 : 0,
    timestamp: m.timestamp,
    step: m.step ?? 0,
    model_id: m.model_id ?? null,
    dataset_name: m.dataset_name ?? null,
    dataset_digest: m.dataset_digest ?? null,
  };
}

/** MLflow caps a log-batch request at 1 MB (its client splits larger batches itself). */
function assertBatchSize(body: object): void {
  const bytes = Buffer.byteLength(JSON.stringify(body));
  if (bytes > LIMITS.batchRequestBytes) {
    throw new InvalidParameterError('metrics', `Batched logging API requests must be at most ${LIMITS.batchRequestBytes} bytes in size; got ${bytes}.`);
  }
}

/** Old clients send run_uuid; current ones run_id. Neither is the services' "missing run_id" 400. */
function runIdOf(f: { run_id?: string; run_uuid?: string }): string {
  return f.run_id || f.run_uuid || '';
}

export function runRoutes(svc: RunService, io: RunIoService): ApiRoute[] {
  return [
    route(C.createRun, async ({ body }, ctx) => ({
      run: await svc.create({
        experimentId: body.experiment_id || '0',
        userId: body.user_id || ctx.principal.name,
        startTime: body.start_time,
        runName: body.run_name,
        tags: kvs(body.tags),
      }),
    })),
    route(C.getRun, async ({ query }) => ({ run: await svc.get(runIdOf(query)) })),
    route(C.updateRun, async ({ body }) => svc.update(runIdOf(body), { status: body.status, endTime: body.end_time, runName: body.run_name })),
    route(C.deleteRun, async ({ body }) => (await svc.setLifecycle(runIdOf(body), DELETED), {})),
    route(C.restoreRun, async ({ body }) => (await svc.setLifecycle(runIdOf(body), ACTIVE), {})),
    route(C.searchRuns, async ({ body }) =>
      svc.search({
        experimentIds: body.experiment_ids ?? [],
        filter: body.filter,
        viewType: body.run_view_type,
        maxResults: body.max_results,
        orderBy: body.order_by,
        pageToken: body.page_token,
      }),
    ),
    route(C.logMetric, async ({ body }) => (await svc.logBatch(runIdOf(body), { metrics: [metricOf(body)], params: [], tags: [] }), {})),
    route(
      C.logParam,
      async ({ body }) => (await svc.logBatch(runIdOf(body), { metrics: [], params: [{ key: body.key, value: body.value ?? '' }], tags: [] }), {}),
    ),
    route(
      C.setTag,
      async ({ body }) => (await svc.logBatch(runIdOf(body), { metrics: [], params: [], tags: [{ key: body.key, value: body.value ?? '' }] }), {}),
    ),
    route(C.deleteTag, async ({ body }) => (await svc.deleteTag(runIdOf(body), body.key), {})),
    route(C.logBatch, async ({ body }) => {
      assertBatchSize(body);
      await svc.logBatch(runIdOf(body), {
        metrics: (body.metrics ?? []).map((m, i) => metricOf(m, `metrics[${i}].`)),
        params: kvs(body.params),
        tags: kvs(body.tags),
      });
      return {};
    }),
    route(C.getMetricHistory, async ({ query }) => svc.metricHistory(runIdOf(query), query.metric_key, query.max_results, query.page_token)),
    route(C.logInputs, async ({ body }) => (await io.logInputs(runIdOf(body), body.datasets ?? []), {})),
    route(
      C.logOutputs,
      async ({ body }) => (
        await io.logOutputs(
          runIdOf(body),
          (body.models ?? []).map((m) => ({ model_id: m.model_id, step: m.step ?? 0 })),
        ),
        {}
      ),
    ),
    route(C.logModel, async ({ body }) => (await io.recordLoggedModel(runIdOf(body), body.model_json), {})),
  ];
}
