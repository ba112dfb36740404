import { randomUUID } from 'node:crypto';
import type { Static } from '@sinclair/typebox';
import type { RunStatus } from '../contract/tracking.js';
import type { Store, RunTable } from '../store/index.js';
import { InvalidParameterError, NotFoundError } from '../errors.js';
import type { ExperimentService } from './experiment-service.js';
import { ACTIVE, DELETED, lifecycleStages } from './lifecycle.js';
import { LIMITS, validateKey, validateValue, isExperimentId } from './limits.js';
import { decodePageToken, pageOf } from './page-token.js';
import * as repo from './run-repo.js';
import { randomRunName } from './run-names.js';
import { searchRunRows } from './run-search.js';
import { FilterSyntaxError, parseOrderBy, parseRunFilter } from './search-filter.js';
import { metricJson, runJson, type KV } from './shapes.js';

export const RUN_NAME_TAG = 'mlflow.runName';

export interface BatchInput {
  metrics: repo.MetricInput[];
  params: KV[];
  tags: KV[];
}

export class RunService {
  constructor(
    private readonly store: Store,
    private readonly experiments: ExperimentService,
  ) {}

  async create(input: { experimentId: string; userId: string; startTime?: number; runName?: string; tags: KV[] }) {
    const exp = await this.experiments.getRow(input.experimentId);
    if (exp.lifecycle_stage !== ACTIVE) {
      throw new InvalidParameterError(
        'experiment_id',
        `The experiment ${input.experimentId} must be in the 'active' state. Current state is ${exp.lifecycle_stage}.`,
      );
    }
    for (const t of input.tags) {
      validateKey(t.key, 'tags.key');
      validateValue(t.value, 'tags.value', LIMITS.tagValueLength);
    }
    const tagName = input.tags.find((t) => t.key === RUN_NAME_TAG)?.value;
    if (input.runName && tagName && input.runName !== tagName) {
      throw new InvalidParameterError(
        'run_name',
        `Both 'run_name' ('${input.runName}') and tag '${RUN_NAME_TAG}' ('${tagName}') were set, with different values.`,
      );
    }
    const name = input.runName || tagName || randomRunName();
    const runId = randomUUID().replaceAll('-', '');
    const run: RunTable = {
      run_uuid: runId,
      experiment_id: exp.experiment_id,
      name,
      user_id: input.userId,
      status: 'RUNNING',
      start_time: input.startTime ?? Date.now(),
      end_time: null,
      deleted_time: null,
      lifecycle_stage: ACTIVE,
      artifact_uri: `${exp.artifact_location}/${runId}/artifacts`,
    };
    const tags = dedupe([...input.tags.filter((t) => t.key !== RUN_NAME_TAG), { key: RUN_NAME_TAG, value: name }]);
    await repo.insertRun(this.store.db, run, tags);
    return this.get(runId);
  }

  async getRow(runId: string, field = 'run_id'): Promise<RunTable> {
    if (!runId) throw new InvalidParameterError(field, `Missing value for required parameter '${field}'.`);
    const row = await repo.findRun(this.store.db, runId);
    if (!row) throw new NotFoundError(`Run with id=${runId} not found`);
    return row;
  }

  async get(runId: string) {
    const row = await this.getRow(runId);
    const details = await repo.loadDetails(this.store.db, [row.run_uuid]);
    return runJson(row, details.get(row.run_uuid)!);
  }

  async update(runId: string, patch: { status?: Static<typeof RunStatus>; endTime?: number; runName?: string }) {
    const row = await this.activeRow(runId);
    const set: Partial<RunTable> = {};
    if (patch.status !== undefined) set.status = patch.status;
    if (patch.endTime !== undefined) set.end_time = patch.endTime;
    await this.store.db.transaction().execute(async (trx) => {
      if (patch.runName) {
        set.name = patch.runName;
        await repo.writeBatch(trx, row.run_uuid, [], [], [{ key: RUN_NAME_TAG, value: patch.runName }]);
      }
      if (Object.keys(set).length > 0) await repo.updateRunRow(trx, row.run_uuid, set);
    });
    const updated = await this.getRow(runId);
    return { run_info: runJson(updated, { metrics: [], params: [], tags: [], inputs: [], outputs: [] }).info };
  }

  async setLifecycle(runId: string, stage: typeof ACTIVE | typeof DELETED): Promise<void> {
    const row = await this.getRow(runId);
    await repo.updateRunRow(this.store.db, row.run_uuid, { lifecycle_stage: stage, deleted_time: stage === DELETED ? Date.now() : null });
  }

  /** Writes must target an active run (MLflow's rule); returns its row. */
  async activeRow(runId: string): Promise<RunTable> {
    const row = await this.getRow(runId);
    if (row.lifecycle_stage !== ACTIVE) {
      throw new InvalidParameterError('run_id', `The run ${runId} must be in the 'active' state. Current state is ${row.lifecycle_stage}.`);
    }
    return row;
  }

  async logBatch(runId: string, batch: BatchInput): Promise<void> {
    validateBatch(batch);
    const row = await this.activeRow(runId);
    await this.store.db.transaction().execute(async (trx) => {
      await repo.writeBatch(trx, row.run_uuid, batch.metrics, batch.params, batch.tags);
      const name = [...batch.tags].reverse().find((t) => t.key === RUN_NAME_TAG);
      if (name) await repo.updateRunRow(trx, row.run_uuid, { name: name.value });
    });
  }

  async deleteTag(runId: string, key: string): Promise<void> {
    const row = await this.activeRow(runId);
    if (!(await repo.deleteTagRow(this.store.db, row.run_uuid, key))) {
      throw new NotFoundError(`No tag with name: ${key} in run with id ${runId}`);
    }
  }

  async metricHistory(runId: string, key: string, maxResults: number | undefined, pageToken: string | undefined) {
    const row = await this.getRow(runId);
    const offset = decodePageToken(pageToken);
    const limit = maxResults ?? 25000;
    const rows = await repo.metricHistory(this.store.db, row.run_uuid, key, offset, limit + 1);
    const page = pageOf(rows, offset, limit);
    return { metrics: page.items.map(metricJson), ...(page.next_page_token ? { next_page_token: page.next_page_token } : {}) };
  }

  async search(opts: { experimentIds: string[]; filter?: string; viewType?: string; maxResults?: number; orderBy?: string[]; pageToken?: string }) {
    const limit = opts.maxResults ?? LIMITS.searchDefaultResults;
    const experimentIds = opts.experimentIds.map((id) => {
      if (!isExperimentId(id)) throw new InvalidParameterError('experiment_ids', `Invalid experiment id '${id}'.`);
      return Number(id);
    });
    let filter;
    let orderBy;
    try {
      filter = parseRunFilter(opts.filter);
    } catch (err) {
      if (err instanceof FilterSyntaxError) throw new InvalidParameterError('filter', `Invalid filter '${opts.filter}': ${err.message}`);
      throw err;
    }
    try {
      orderBy = parseOrderBy(opts.orderBy);
    } catch (err) {
      if (err instanceof FilterSyntaxError) throw new InvalidParameterError('order_by', `Invalid order_by: ${err.message}`);
      throw err;
    }
    const offset = decodePageToken(opts.pageToken);
    if (experimentIds.length === 0) return { runs: [] };
    const rows = await searchRunRows(this.store.db, {
      experimentIds,
      lifecycle: lifecycleStages(opts.viewType, 'run_view_type'),
      filter,
      orderBy,
      offset,
      limit: limit + 1,
      match: this.store.dialect.match,
    });
    const page = pageOf(rows, offset, limit);
    const details = await repo.loadDetails(
      this.store.db,
      page.items.map((r) => r.run_uuid),
    );
    return {
      runs: page.items.map((r) => runJson(r, details.get(r.run_uuid)!)),
      ...(page.next_page_token ? { next_page_token: page.next_page_token } : {}),
    };
  }
}

function validateBatch(b: BatchInput): void {
  if (b.metrics.length > LIMITS.batchMetrics) {
    throw new InvalidParameterError('metrics', `A batch logging request can contain at most ${LIMITS.batchMetrics} metrics. Got ${b.metrics.length} metrics.`);
  }
  if (b.params.length > LIMITS.batchParams) {
    throw new InvalidParameterError('params', `A batch logging request can contain at most ${LIMITS.batchParams} params. Got ${b.params.length} params.`);
  }
  if (b.tags.length > LIMITS.batchTags) {
    throw new InvalidParameterError('tags', `A batch logging request can contain at most ${LIMITS.batchTags} tags. Got ${b.tags.length} tags.`);
  }
  const total = b.metrics.length + b.params.length + b.tags.length;
  if (total > LIMITS.batchEntities) {
    throw new InvalidParameterError(
      'metrics',
      `A batch logging request can contain at most ${LIMITS.batchEntities} metrics, params and tags in total. Got ${total}.`,
    );
  }
  for (const m of b.metrics) validateKey(m.key, 'metrics.key');
  for (const p of b.params) {
    validateKey(p.key, 'params.key');
    validateValue(p.value, 'params.value', LIMITS.paramValueLength);
  }
  for (const t of b.tags) {
    validateKey(t.key, 'tags.key');
    validateValue(t.value, 'tags.value', LIMITS.tagValueLength);
  }
}

function dedupe(tags: KV[]): KV[] {
  return [...new Map(tags.map((t) => [t.key, t.value]))].map(([key, value]) => ({ key, value }));
}
