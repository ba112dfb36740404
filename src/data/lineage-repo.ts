/**
 * Lineage joins MLflow's run inputs (what `mlflow.log_input` recorded: a dataset name, digest, source) to Ferry's
 * dataset versions by digest: the input's digest is the version's sha256 or a prefix of it (≥ 8 hex characters,
 * so a short digest shown in the UI or a truncated one works too).
 */
import type { Store } from '../store/index.js';

export interface RunInputRow {
  run_uuid: string;
  run_name: string;
  experiment_id: number;
  status: string;
  name: string;
  digest: string;
  source_type: string;
  source: string;
  context: string | null;
}

export interface VersionKey {
  dataset: string;
  version: number;
  digest: string;
  rows: number;
}

const MIN_PREFIX = 8;

/** The digests an MLflow input may carry to name this version: every prefix of ≥ 8 characters. */
function digestPrefixes(digest: string): string[] {
  const out: string[] = [];
  for (let n = MIN_PREFIX; n <= digest.length; n++) out.push(digest.slice(0, n));
  return out;
}

export class LineageRepo {
  constructor(private readonly store: Store) {}

  /** Run inputs whose digest names this version (live runs only). */
  async inputsUsing(digest: string): Promise<RunInputRow[]> {
    return this.inputs().where('d.digest', 'in', digestPrefixes(digest)).execute();
  }

  async inputsOfRun(runId: string): Promise<RunInputRow[]> {
    return this.inputs().where('r.run_uuid', '=', runId).execute();
  }

  private inputs() {
    return this.store.db
      .selectFrom('run_inputs as ri')
      .innerJoin('datasets as d', 'd.dataset_uuid', 'ri.dataset_uuid')
      .innerJoin('runs as r', 'r.run_uuid', 'ri.run_uuid')
      .select(['r.run_uuid', 'r.name as run_name', 'r.experiment_id', 'r.status', 'd.name', 'd.digest', 'd.source_type', 'd.source', 'ri.context'])
      .where('r.lifecycle_stage', '=', 'active')
      .orderBy('r.start_time', 'desc');
  }

  /** Ferry versions an MLflow input digest names (none when it is not hex or too short). */
  async versionsForDigest(digest: string): Promise<VersionKey[]> {
    const d = digest.toLowerCase().replace(/^sha256:/, '');
    if (!/^[0-9a-f]{8,64}$/.test(d)) return [];
    return this.store.db
      .selectFrom('data_versions')
      .select(['dataset', 'version', 'digest', 'rows'])
      .where('digest', 'like', `${d}%`)
      .orderBy('dataset')
      .orderBy('version')
      .execute();
  }

  async modelVersionsOfRuns(runIds: string[]): Promise<{ name: string; version: number; run_id: string | null; status: string }[]> {
    if (runIds.length === 0) return [];
    return this.store.db
      .selectFrom('model_versions')
      .select(['name', 'version', 'run_id', 'status'])
      .where('run_id', 'in', runIds)
      .where('deleted', '=', 0)
      .orderBy('name')
      .orderBy('version')
      .execute();
  }

  async modelVersion(name: string, version: number): Promise<{ name: string; version: number; run_id: string | null; source: string } | undefined> {
    return this.store.db
      .selectFrom('model_versions')
      .select(['name', 'version', 'run_id', 'source'])
      .where('name', '=', name)
      .where('version', '=', version)
      .where('deleted', '=', 0)
      .executeTakeFirst();
  }
}
