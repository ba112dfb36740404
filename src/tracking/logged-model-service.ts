/** MLflow 3 logged models: created by log_model, finalised after upload, linked to runs as outputs. */
import { randomUUID } from 'node:crypto';
import type { Static } from '@sinclair/typebox';
import type { LoggedModelStatus } from '../contract/tracking.js';
import type { LoggedModelTable, Store } from '../store/index.js';
import { InvalidParameterError, NotFoundError } from '../errors.js';
import type { ExperimentService } from './experiment-service.js';
import { ACTIVE, DELETED } from './lifecycle.js';
import { LIMITS, validateKey, validateValue, isExperimentId, metricValueJson } from './limits.js';
import * as repo from './logged-model-repo.js';
import { decodePageToken, pageOf } from './page-token.js';
import { randomRunName } from './run-names.js';
import { loggedModelJson, type KV } from './shapes.js';
import { parseSimpleFilter } from './simple-filter.js';

const FILTER_ATTRS = ['name', 'model_id', 'source_run_id', 'status', 'model_type'] as const;
const ORDER_COLUMNS: Record<string, repo.LoggedModelOrderColumn | undefined> = {
  name: 'name',
  creation_timestamp: 'creation_timestamp',
  last_updated_timestamp: 'last_updated_timestamp',
  model_id: 'model_id',
};

export class LoggedModelService {
  constructor(
    private readonly store: Store,
    private readonly experiments: ExperimentService,
  ) {}

  async create(input: { experimentId: string; name?: string; modelType?: string; sourceRunId?: string; params: KV[]; tags: KV[] }) {
    const exp = await this.experiments.getRow(input.experimentId);
    for (const p of input.params) validateKey(p.key, 'params.key');
    for (const t of input.tags) validateKey(t.key, 'tags.key');
    const modelId = `m-${randomUUID().replaceAll('-', '')}`;
    const now = Date.now();
    const row: LoggedModelTable = {
      model_id: modelId,
      experiment_id: exp.experiment_id,
      name: input.name || randomRunName(),
      artifact_location: `${exp.artifact_location}/models/${modelId}/artifacts`,
      creation_timestamp: now,
      last_updated_timestamp: now,
      status: 'LOGGED_MODEL_PENDING',
      status_message: null,
      lifecycle_stage: ACTIVE,
      model_type: input.modelType ?? null,
      source_run_id: input.sourceRunId || null,
    };
    await this.store.db.transaction().execute(async (trx) => {
      await repo.insertLoggedModel(trx, row);
      if (input.params.length) await repo.insertLoggedModelParams(trx, modelId, dedupe(input.params));
      if (input.tags.length) await repo.insertLoggedModelTags(trx, modelId, dedupe(input.tags));
    });
    return this.get(modelId);
  }

  private async row(modelId: string, allowDeleted = false): Promise<LoggedModelTable> {
    const row = await repo.findLoggedModel(this.store.db, modelId);
    if (!row || (!allowDeleted && row.lifecycle_stage === DELETED)) throw new NotFoundError(`Logged model with ID '${modelId}' not found.`);
    return row;
  }

  async get(modelId: string, allowDeleted = false) {
    const row = await this.row(modelId, allowDeleted);
    return (await this.shape([row]))[0]!;
  }

  private async shape(rows: LoggedModelTable[]) {
    const ids = rows.map((r) => r.model_id);
    if (ids.length === 0) return [];
    const { params, tags, metrics } = await repo.loggedModelDetails(this.store.db, ids);
    return rows.map((r) =>
      loggedModelJson(
        r,
        params.filter((p) => p.model_id === r.model_id).map(({ key, value }) => ({ key, value })),
        tags.filter((t) => t.model_id === r.model_id).map(({ key, value }) => ({ key, value })),
        metrics
          .filter((m) => m.model_id === r.model_id)
          .map((m) => ({
            key: m.key,
            // Non-finite values as MLflow's JSON writes them (JSON.stringify would send Infinity as null).
            value: metricValueJson(m.value, m.is_nan),
            timestamp: m.timestamp,
            step: m.step,
            run_id: m.run_uuid,
            model_id: r.model_id,
            ...(m.dataset_name ? { dataset_name: m.dataset_name } : {}),
            ...(m.dataset_digest ? { dataset_digest: m.dataset_digest } : {}),
          })),
      ),
    );
  }

  async finalize(modelId: string, status: Static<typeof LoggedModelStatus>) {
    await this.row(modelId);
    await repo.updateLoggedModelRow(this.store.db, modelId, { status, last_updated_timestamp: Date.now() });
    return this.get(modelId);
  }

  async setTags(modelId: string, tags: KV[]): Promise<void> {
    await this.row(modelId);
    for (const t of tags) {
      validateKey(t.key, 'tags.key');
      validateValue(t.value, 'tags.value', LIMITS.tagValueLength);
    }
    if (tags.length === 0) return;
    await repo.upsertLoggedModelTags(this.store.db, modelId, dedupe(tags));
  }

  async deleteTag(modelId: string, key: string): Promise<void> {
    await this.row(modelId);
    if (!(await repo.deleteLoggedModelTag(this.store.db, modelId, key))) throw new NotFoundError(`No tag with key '${key}' on logged model '${modelId}'.`);
  }

  async logParams(modelId: string, params: KV[]): Promise<void> {
    await this.row(modelId);
    for (const p of params) {
      validateKey(p.key, 'params.key');
      validateValue(p.value, 'params.value', LIMITS.paramValueLength);
    }
    if (params.length === 0) return;
    await repo.insertLoggedModelParamsKeepingFirst(this.store.db, modelId, dedupe(params));
  }

  async delete(modelId: string): Promise<void> {
    await this.row(modelId);
    await repo.updateLoggedModelRow(this.store.db, modelId, { lifecycle_stage: DELETED, last_updated_timestamp: Date.now() });
  }

  async search(opts: { experimentIds: string[]; filter?: string; maxResults?: number; pageToken?: string; orderBy: { field: string; ascending: boolean }[] }) {
    const clauses = parseSimpleFilter(opts.filter, FILTER_ATTRS);
    const limit = opts.maxResults ?? 100;
    const offset = decodePageToken(opts.pageToken);
    const ids = opts.experimentIds.map((id) => {
      if (!isExperimentId(id)) throw new InvalidParameterError('experiment_ids', `Invalid experiment id '${id}'.`);
      return Number(id);
    });
    const orderBy = opts.orderBy.map((o) => {
      const column = ORDER_COLUMNS[o.field];
      if (!column) throw new InvalidParameterError('order_by', `Cannot order logged models by '${o.field}'.`);
      return { column, ascending: o.ascending };
    });
    const rows = await repo.searchLoggedModelRows(this.store.db, { experimentIds: ids, clauses, orderBy, offset, limit: limit + 1 }, this.store.dialect.match);
    const page = pageOf(rows, offset, limit);
    return { models: await this.shape(page.items), ...(page.next_page_token ? { next_page_token: page.next_page_token } : {}) };
  }
}

function dedupe(kvs: KV[]): KV[] {
  return [...new Map(kvs.map((k) => [k.key, k.value]))].map(([key, value]) => ({ key, value }));
}
