import type { Static } from '@sinclair/typebox';
import type { ModelVersion, ModelVersionStage, ModelVersionStatus, RegisteredModel } from '../contract/registry.js';
import type { ModelVersionTable, RegisteredModelTable } from '../store/index.js';
import type { KV } from './registry-repo.js';

export type Stage = Static<typeof ModelVersionStage>;
type Status = Static<typeof ModelVersionStatus>;

export const STAGES: readonly Stage[] = ['None', 'Staging', 'Production', 'Archived'];
const STATUSES: readonly Status[] = ['PENDING_REGISTRATION', 'FAILED_REGISTRATION', 'READY'];

/** A stored stage or status is one Ferry wrote; anything else is a corrupt row, not something to pass on. */
function known<T extends string>(values: readonly T[], value: string, what: string): T {
  const found = values.find((v) => v === value);
  if (found === undefined) throw new Error(`Stored model version ${what} '${value}' is not one Ferry writes.`);
  return found;
}

export function versionJson(v: ModelVersionTable, tags: KV[], aliases: string[]): Static<typeof ModelVersion> {
  return {
    name: v.name,
    version: String(v.version),
    creation_timestamp: v.creation_timestamp,
    last_updated_timestamp: v.last_updated_timestamp,
    user_id: v.user_id,
    current_stage: known(STAGES, v.current_stage, 'stage'),
    description: v.description,
    source: v.source,
    ...(v.run_id ? { run_id: v.run_id } : {}),
    ...(v.run_link ? { run_link: v.run_link } : {}),
    status: known(STATUSES, v.status, 'status'),
    ...(v.status_message ? { status_message: v.status_message } : {}),
    ...(v.model_id ? { model_id: v.model_id } : {}),
    tags,
    aliases,
  };
}

export function modelJson(
  m: RegisteredModelTable,
  tags: KV[],
  aliases: { alias: string; version: string }[],
  latest: Static<typeof ModelVersion>[],
): Static<typeof RegisteredModel> {
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
