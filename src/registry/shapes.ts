import type { ModelVersionTable, RegisteredModelTable } from '../store/index.js';
import type { KV } from './registry-repo.js';

export function versionJson(v: ModelVersionTable, tags: KV[], aliases: string[]) {
  return {
    name: v.name,
    version: String(v.version),
    creation_timestamp: v.creation_timestamp,
    last_updated_timestamp: v.last_updated_timestamp,
    user_id: v.user_id,
    current_stage: v.current_stage,
    description: v.description,
    source: v.source,
    ...(v.run_id ? { run_id: v.run_id } : {}),
    ...(v.run_link ? { run_link: v.run_link } : {}),
    status: v.status,
    ...(v.status_message ? { status_message: v.status_message } : {}),
    ...(v.model_id ? { model_id: v.model_id } : {}),
    tags,
    aliases,
  };
}

export function modelJson(m: RegisteredModelTable, tags: KV[], aliases: { alias: string; version: string }[], latest: ReturnType<typeof versionJson>[]) {
  return {
    name: m.name,
    creation_timestamp: m.creation_timestamp,
    last_updated_timestamp: m.last_updated_timestamp,
    description: m.description,
    latest_versions: latest,
    tags,
    aliases,
  };
}
