/** Rows → the JSON shapes of MLflow's protobuf messages (service.proto), as its client parses them. */
import type { ExperimentTable, LoggedModelTable, RunTable } from '../store/index.js';
import { metricValueJson } from './limits.js';

export interface KV { key: string; value: string }
export interface MetricRow { key: string; value: number; timestamp: number; step: number; is_nan: number }

export function experimentJson(e: Omit<ExperimentTable, 'experiment_id'> & { experiment_id: number }, tags: KV[]) {
  return {
    experiment_id: String(e.experiment_id),
    name: e.name,
    artifact_location: e.artifact_location,
    lifecycle_stage: e.lifecycle_stage,
    last_update_time: e.last_update_time,
    creation_time: e.creation_time,
    tags,
  };
}

export function runInfoJson(r: RunTable) {
  return {
    run_id: r.run_uuid,
    run_uuid: r.run_uuid,
    run_name: r.name,
    experiment_id: String(r.experiment_id),
    user_id: r.user_id,
    status: r.status,
    start_time: r.start_time,
    ...(r.end_time !== null ? { end_time: r.end_time } : {}),
    artifact_uri: r.artifact_uri,
    lifecycle_stage: r.lifecycle_stage,
  };
}

export function metricJson(m: MetricRow) {
  return { key: m.key, value: metricValueJson(m.value, m.is_nan), timestamp: m.timestamp, step: m.step };
}

export interface DatasetInputJson {
  tags: KV[];
  dataset: { name: string; digest: string; source_type: string; source: string; schema?: string; profile?: string };
}

export interface RunDetails {
  metrics: MetricRow[];
  params: KV[];
  tags: KV[];
  inputs: DatasetInputJson[];
  outputs: { model_id: string; step: number }[];
}

export function runJson(r: RunTable, d: RunDetails) {
  return {
    info: runInfoJson(r),
    data: { metrics: d.metrics.map(metricJson), params: d.params, tags: d.tags },
    inputs: { dataset_inputs: d.inputs, model_inputs: [] as unknown[] },
    outputs: { model_outputs: d.outputs },
  };
}

export function loggedModelJson(m: LoggedModelTable, params: KV[], tags: KV[], metrics: unknown[] = []) {
  return {
    info: {
      model_id: m.model_id,
      experiment_id: String(m.experiment_id),
      name: m.name,
      artifact_uri: m.artifact_location,
      creation_timestamp_ms: m.creation_timestamp,
      last_updated_timestamp_ms: m.last_updated_timestamp,
      status: m.status,
      ...(m.status_message ? { status_message: m.status_message } : {}),
      lifecycle_stage: m.lifecycle_stage,
      ...(m.model_type ? { model_type: m.model_type } : {}),
      ...(m.source_run_id ? { source_run_id: m.source_run_id } : {}),
      tags,
    },
    data: { params, metrics },
  };
}
