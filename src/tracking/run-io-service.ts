/** A run's links to the outside: dataset inputs (lineage), logged-model outputs, MLflow 2 model records. */
import { randomUUID } from 'node:crypto';
import type { Store } from '../store/index.js';
import { InvalidParameterError, NotFoundError } from '../errors.js';
import * as modelRepo from './logged-model-repo.js';
import * as runRepo from './run-repo.js';
import type { RunService } from './run-service.js';
import type { KV } from './shapes.js';

const MODEL_HISTORY_TAG = 'mlflow.log-model.history';

/** A dataset a run used, and how (its tags, e.g. mlflow.data.context). */
export interface DatasetInputSpec {
  tags?: { key: string; value?: string }[];
  dataset: { name: string; digest: string; source_type: string; source: string; schema?: string; profile?: string };
}

/** A logged model a run produced, at a step. */
export interface ModelOutputSpec {
  model_id: string;
  step: number;
}

export class RunIoService {
  constructor(
    private readonly store: Store,
    private readonly runs: RunService,
  ) {}

  async logInputs(runId: string, datasets: DatasetInputSpec[]): Promise<void> {
    const run = await this.runs.activeRow(runId);
    const parsed = datasets.map(({ tags, dataset: ds }) => ({
      tags: (tags ?? []).map((t): KV => ({ key: t.key, value: t.value ?? '' })),
      name: ds.name,
      digest: ds.digest,
      source_type: ds.source_type,
      source: ds.source,
      schema: ds.schema ?? null,
      profile: ds.profile ?? null,
    }));
    await this.store.db.transaction().execute(async (trx) => {
      for (const d of parsed) {
        const existing = await runRepo.findDatasetUuid(trx, run.experiment_id, d.name, d.digest);
        const datasetUuid = existing ?? randomUUID().replaceAll('-', '');
        if (existing === undefined) {
          await runRepo.insertDataset(trx, {
            dataset_uuid: datasetUuid,
            experiment_id: run.experiment_id,
            name: d.name,
            digest: d.digest,
            source_type: d.source_type,
            source: d.source,
            schema: d.schema,
            profile: d.profile,
          });
        }
        const tags = JSON.stringify(d.tags);
        const context = d.tags.find((t) => t.key === 'mlflow.data.context')?.value ?? null;
        await runRepo.upsertRunInput(trx, { run_uuid: run.run_uuid, dataset_uuid: datasetUuid, tags, context });
      }
    });
  }

  async logOutputs(runId: string, outputs: ModelOutputSpec[]): Promise<void> {
    const run = await this.runs.activeRow(runId);
    await this.store.db.transaction().execute(async (trx) => {
      for (const o of outputs) {
        if (!(await modelRepo.loggedModelExists(trx, o.model_id))) throw new NotFoundError(`Logged model with ID '${o.model_id}' not found.`);
        await runRepo.upsertRunOutput(trx, { run_uuid: run.run_uuid, model_id: o.model_id, step: o.step });
      }
    });
  }

  /** MLflow 2's runs/log-model: appends the model's metadata to the run's model-history tag. */
  async recordLoggedModel(runId: string, modelJson: string): Promise<void> {
    let model: unknown;
    try {
      model = JSON.parse(modelJson);
    } catch {
      throw new InvalidParameterError('model_json', "Malformed model info: 'model_json' is not valid JSON.");
    }
    if (model === null || typeof model !== 'object' || Array.isArray(model)) {
      throw new InvalidParameterError('model_json', "Malformed model info: 'model_json' must be a JSON object.");
    }
    const missing = ['artifact_path', 'flavors', 'utc_time_created', 'run_id'].filter((k) => !(k in model));
    if (missing.length > 0) throw new InvalidParameterError('model_json', `Model json is missing mandatory fields: ${missing.join(', ')}`);
    const run = await this.runs.get(runId);
    const prev = run.data.tags.find((t) => t.key === MODEL_HISTORY_TAG)?.value;
    // A history tag someone overwrote by hand is not ours to fail on: start a fresh list.
    let history: unknown[] = [];
    try {
      const parsed: unknown = prev ? JSON.parse(prev) : [];
      if (Array.isArray(parsed)) history = parsed;
    } catch {
      history = [];
    }
    history.push(model);
    await this.runs.logBatch(runId, { metrics: [], params: [], tags: [{ key: MODEL_HISTORY_TAG, value: JSON.stringify(history) }] });
  }
}
