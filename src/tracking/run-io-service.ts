/** A run's links to the outside: dataset inputs (lineage), logged-model outputs, MLflow 2 model records. */
import { randomUUID } from 'node:crypto';
import type { Store } from '../store/index.js';
import { InvalidParameterError, NotFoundError } from '../errors.js';
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
  constructor(private readonly store: Store, private readonly runs: RunService) {}

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
        const existing = await trx
          .selectFrom('datasets')
          .select('dataset_uuid')
          .where('experiment_id', '=', run.experiment_id)
          .where('name', '=', d.name)
          .where('digest', '=', d.digest)
          .executeTakeFirst();
        const datasetUuid = existing?.dataset_uuid ?? randomUUID().replaceAll('-', '');
        if (!existing) {
          await trx
            .insertInto('datasets')
            .values({ dataset_uuid: datasetUuid, experiment_id: run.experiment_id, name: d.name, digest: d.digest, source_type: d.source_type, source: d.source, schema: d.schema, profile: d.profile })
            .execute();
        }
        const tags = JSON.stringify(d.tags);
        const context = d.tags.find((t) => t.key === 'mlflow.data.context')?.value ?? null;
        await trx
          .insertInto('run_inputs')
          .values({ run_uuid: run.run_uuid, dataset_uuid: datasetUuid, tags, context })
          .onConflict((oc) => oc.columns(['run_uuid', 'dataset_uuid']).doUpdateSet({ tags, context }))
          .execute();
      }
    });
  }

  async logOutputs(runId: string, outputs: ModelOutputSpec[]): Promise<void> {
    const run = await this.runs.activeRow(runId);
    await this.store.db.transaction().execute(async (trx) => {
      for (const o of outputs) {
        const exists = await trx.selectFrom('logged_models').select('model_id').where('model_id', '=', o.model_id).executeTakeFirst();
        if (!exists) throw new NotFoundError(`Logged model with ID '${o.model_id}' not found.`);
        await trx
          .insertInto('run_outputs')
          .values({ run_uuid: run.run_uuid, model_id: o.model_id, step: o.step })
          .onConflict((oc) => oc.columns(['run_uuid', 'model_id']).doUpdateSet({ step: o.step }))
          .execute();
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

