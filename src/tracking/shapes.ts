/** Rows → the JSON shapes of MLflow's protobuf messages (service.proto), as its client parses them. */
import type { Static } from '@sinclair/typebox';
import type * as C from '../contract/tracking.js';
import { LOGGED_MODEL_STATUSES, RUN_STATUSES } from '../contract/tracking.js';
import type { ExperimentTable, LoggedModelTable, RunTable } from '../store/index.js';
import { ACTIVE, DELETED } from './lifecycle.js';
import { metricValueJson } from './limits.js';

export interface KV {
  key: string;
  value: string;
}
/** Key/value pairs as a request sends them, for the services: a value left out is the empty string (as MLflow stores it). */
export function kvs(list: { key: string; value?: string }[] | undefined): KV[] {
  return (list ?? []).map((t) => ({ key: t.key, value: t.value ?? '' }));
}

export interface MetricRow {
  key: string;
  value: number;
  timestamp: number;
  step: number;
  is_nan: number;
}

export type ExperimentJson = Static<typeof C.Experiment>;
export type RunInfoJson = Static<typeof C.RunInfo>;
export type RunJson = Static<typeof C.Run>;
export type MetricJson = Static<typeof C.Metric>;
export type LoggedModelJson = Static<typeof C.LoggedModel>;
export type LoggedModelMetricJson = Static<typeof C.LoggedModelMetric>;
export type DatasetInputJson = Static<typeof C.DatasetInput>;

/** A stored enum column read back: the store only holds values Ferry wrote, so anything else is corruption. */
function oneOf<T extends string>(values: readonly T[], value: string, what: string): T {
  const found = values.find((v) => v === value);
  if (found === undefined) throw new Error(`Stored ${what} '${value}' is not one of ${values.join(', ')}.`);
  return found;
}

const lifecycle = (stage: string) => oneOf([ACTIVE, DELETED], stage, 'lifecycle stage');

export function experimentJson(e: Omit<ExperimentTable, 'experiment_id'> & { experiment_id: number }, tags: KV[]): ExperimentJson {
  return {
    experiment_id: String(e.experiment_id),
    name: e.name,
    artifact_location: e.artifact_location,
    lifecycle_stage: lifecycle(e.lifecycle_stage),
    last_update_time: e.last_update_time,
    creation_time: e.creation_time,
    tags,
  };
}

export function runInfoJson(r: RunTable): RunInfoJson {
  return {
    run_id: r.run_uuid,
    run_uuid: r.run_uuid,
    run_name: r.name,
    experiment_id: String(r.experiment_id),
    user_id: r.user_id,
    status: oneOf(RUN_STATUSES, r.status, 'run status'),
    start_time: r.start_time,
    ...(r.end_time !== null ? { end_time: r.end_time } : {}),
    artifact_uri: r.artifact_uri,
    lifecycle_stage: lifecycle(r.lifecycle_stage),
  };
}

export function metricJson(m: MetricRow): MetricJson {
  return { key: m.key, value: metricValueJson(m.value, m.is_nan), timestamp: m.timestamp, step: m.step };
}

export interface RunDetails {
  metrics: MetricRow[];
  params: KV[];
  tags: KV[];
  inputs: DatasetInputJson[];
  outputs: { model_id: string; step: number }[];
}

export function runJson(r: RunTable, d: RunDetails): RunJson {
  return {
    info: runInfoJson(r),
    data: { metrics: d.metrics.map(metricJson), params: d.params, tags: d.tags },
    // Ferry records no model inputs; the field is there because the client reads it.
    inputs: { dataset_inputs: d.inputs, model_inputs: [] },
    outputs: { model_outputs: d.outputs },
  };
}

export function loggedModelJson(m: LoggedModelTable, params: KV[], tags: KV[], metrics: LoggedModelMetricJson[] = []): LoggedModelJson {
  return {
    info: {
      model_id: m.model_id,
      experiment_id: String(m.experiment_id),
      name: m.name,
      artifact_uri: m.artifact_location,
      creation_timestamp_ms: m.creation_timestamp,
      last_updated_timestamp_ms: m.last_updated_timestamp,
      status: oneOf(LOGGED_MODEL_STATUSES, m.status, 'logged model status'),
      ...(m.status_message ? { status_message: m.status_message } : {}),
      lifecycle_stage: lifecycle(m.lifecycle_stage),
      ...(m.model_type ? { model_type: m.model_type } : {}),
      ...(m.source_run_id ? { source_run_id: m.source_run_id } : {}),
      tags,
    },
    data: { params, metrics },
  };
}
