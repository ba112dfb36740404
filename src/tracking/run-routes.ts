import type { ApiRoute, LegacyRoute } from '../api-route.js';
import { InvalidParameterError } from '../errors.js';
import { type Fields, optArray, optInt, optString, optStringList, reqInt, reqString, tagList } from '../fields.js';
import { ACTIVE, DELETED } from './lifecycle.js';
import { LIMITS, parseMetricValue } from './limits.js';
import type { MetricInput } from './run-repo.js';
import type { RunService } from './run-service.js';
import type { RunIoService } from './run-io-service.js';

const P = '/api/2.0/mlflow/runs';

function metricOf(f: Fields, field: string): MetricInput {
  const value = parseMetricValue(f['value'], `${field}.value`);
  if (f['value'] === undefined) throw new InvalidParameterError(`${field}.value`, `Missing value for required parameter '${field}.value'.`);
  return {
    key: reqString(f, 'key'),
    value,
    is_nan: Number.isNaN(value) ? 1 : 0,
    timestamp: reqInt(f, 'timestamp'),
    step: optInt(f, 'step') ?? 0,
    model_id: optString(f, 'model_id') ?? null,
    dataset_name: optString(f, 'dataset_name') ?? null,
    dataset_digest: optString(f, 'dataset_digest') ?? null,
  };
}

/** MLflow caps a log-batch request at 1 MB (its client splits larger batches itself). */
function assertBatchSize(f: Fields): void {
  const bytes = Buffer.byteLength(JSON.stringify(f));
  if (bytes > LIMITS.batchRequestBytes) {
    throw new InvalidParameterError('metrics', `Batched logging API requests must be at most ${LIMITS.batchRequestBytes} bytes in size; got ${bytes}.`);
  }
}

function runIdOf(f: Fields): string {
  // Old clients send run_uuid; current ones run_id.
  return optString(f, 'run_id') || optString(f, 'run_uuid') || reqString(f, 'run_id');
}

export function runRoutes(svc: RunService, io: RunIoService): ApiRoute[] {
  const search: LegacyRoute['handler'] = async (f) =>
    svc.search({
      experimentIds: optStringList(f, 'experiment_ids') ?? [],
      filter: optString(f, 'filter'),
      viewType: optString(f, 'run_view_type'),
      maxResults: optInt(f, 'max_results', { min: 1 }),
      orderBy: optStringList(f, 'order_by'),
      pageToken: optString(f, 'page_token'),
    });
  return [
    {
      method: 'POST', url: `${P}/create`, role: 'editor', style: 'mlflow', summary: 'Create a run',
      handler: async (f, ctx) => ({
        run: await svc.create({
          experimentId: optString(f, 'experiment_id') || '0',
          userId: optString(f, 'user_id') || ctx.principal.name,
          startTime: optInt(f, 'start_time'),
          runName: optString(f, 'run_name'),
          tags: tagList(f, 'tags'),
        }),
      }),
    },
    { method: 'GET', url: `${P}/get`, role: 'viewer', style: 'mlflow', summary: 'Get a run', handler: async (f) => ({ run: await svc.get(runIdOf(f)) }) },
    {
      method: 'POST', url: `${P}/update`, role: 'editor', style: 'mlflow', summary: 'Update a run (status, end time, name)',
      handler: async (f) => svc.update(runIdOf(f), { status: optString(f, 'status'), endTime: optInt(f, 'end_time'), runName: optString(f, 'run_name') }),
    },
    { method: 'POST', url: `${P}/delete`, role: 'editor', style: 'mlflow', summary: 'Delete a run (soft)', handler: async (f) => (await svc.setLifecycle(runIdOf(f), DELETED), {}) },
    { method: 'POST', url: `${P}/restore`, role: 'editor', style: 'mlflow', summary: 'Restore a deleted run', handler: async (f) => (await svc.setLifecycle(runIdOf(f), ACTIVE), {}) },
    { method: 'POST', url: `${P}/search`, role: 'viewer', style: 'mlflow', summary: 'Search runs with a filter', handler: search },
    {
      method: 'POST', url: `${P}/log-metric`, role: 'editor', style: 'mlflow', summary: 'Log a metric',
      handler: async (f) => (await svc.logBatch(runIdOf(f), { metrics: [metricOf(f, 'metric')], params: [], tags: [] }), {}),
    },
    {
      method: 'POST', url: `${P}/log-parameter`, role: 'editor', style: 'mlflow', summary: 'Log a param',
      handler: async (f) => (await svc.logBatch(runIdOf(f), { metrics: [], params: [{ key: reqString(f, 'key'), value: optString(f, 'value') ?? '' }], tags: [] }), {}),
    },
    {
      method: 'POST', url: `${P}/set-tag`, role: 'editor', style: 'mlflow', summary: 'Set a run tag',
      handler: async (f) => (await svc.logBatch(runIdOf(f), { metrics: [], params: [], tags: [{ key: reqString(f, 'key'), value: optString(f, 'value') ?? '' }] }), {}),
    },
    { method: 'POST', url: `${P}/delete-tag`, role: 'editor', style: 'mlflow', summary: 'Delete a run tag', handler: async (f) => (await svc.deleteTag(runIdOf(f), reqString(f, 'key')), {}) },
    {
      method: 'POST', url: `${P}/log-batch`, role: 'editor', style: 'mlflow', summary: 'Log metrics, params and tags in one call',
      handler: async (f) => (
        assertBatchSize(f),
        await svc.logBatch(runIdOf(f), {
          metrics: optArray(f, 'metrics').map((m, i) => metricOf(m, `metrics[${i}]`)),
          params: tagList(f, 'params'),
          tags: tagList(f, 'tags'),
        }),
        {}
      ),
    },
    {
      method: 'GET', url: '/api/2.0/mlflow/metrics/get-history', role: 'viewer', style: 'mlflow', summary: "A metric's full history",
      handler: async (f) => svc.metricHistory(runIdOf(f), reqString(f, 'metric_key'), optInt(f, 'max_results', { min: 1 }), optString(f, 'page_token')),
    },
    { method: 'POST', url: `${P}/log-inputs`, role: 'editor', style: 'mlflow', summary: 'Log dataset inputs of a run', handler: async (f) => (await io.logInputs(runIdOf(f), optArray(f, 'datasets')), {}) },
    { method: 'POST', url: `${P}/outputs`, role: 'editor', style: 'mlflow', summary: 'Link logged models as run outputs', handler: async (f) => (await io.logOutputs(runIdOf(f), optArray(f, 'models')), {}) },
    { method: 'POST', url: `${P}/log-model`, role: 'editor', style: 'mlflow', summary: 'Record a logged model (MLflow 2 clients)', handler: async (f) => (await io.recordLoggedModel(runIdOf(f), reqString(f, 'model_json')), {}) },
  ];
}
