import { type Store, isUniqueViolation } from '../store/index.js';
import { AlreadyExistsError, InvalidParameterError, InvalidStateError, NotFoundError } from '../errors.js';
import { ACTIVE, DELETED, lifecycleStages } from './lifecycle.js';
import { LIMITS, validateKey, validateValue, isExperimentId } from './limits.js';
import { decodePageToken, pageOf } from './page-token.js';
import { experimentJson, type KV } from './shapes.js';
import * as repo from './experiment-repo.js';
import * as runRepo from './run-repo.js';
import { parseSimpleFilter, parseSimpleOrder } from './simple-filter.js';

const ORDER_KEYS = ['name', 'experiment_id', 'creation_time', 'last_update_time'];

export const DEFAULT_EXPERIMENT_ID = 0;
export const ARTIFACT_SCHEME = 'mlflow-artifacts:';

export class ExperimentService {
  constructor(private readonly store: Store) {}

  /** MLflow clients expect experiment "0" (Default) to exist. */
  async ensureDefault(): Promise<void> {
    const db = this.store.db;
    if (await repo.findExperiment(db, DEFAULT_EXPERIMENT_ID)) return;
    const now = Date.now();
    await repo.insertExperimentIfAbsent(db, {
      experiment_id: DEFAULT_EXPERIMENT_ID,
      name: 'Default',
      artifact_location: `${ARTIFACT_SCHEME}/0`,
      lifecycle_stage: ACTIVE,
      creation_time: now,
      last_update_time: now,
    });
  }

  async create(name: string, artifactLocation: string | undefined, tags: KV[]): Promise<string> {
    if (name.trim() === '') throw new InvalidParameterError('name', "Missing value for required parameter 'name'.");
    validateValue(name, 'name', LIMITS.experimentNameLength);
    for (const t of tags) validateKey(t.key, 'tags.key');
    return this.store.db.transaction().execute(async (trx) => {
      if (await repo.findExperimentByName(trx, name)) {
        throw new AlreadyExistsError(`Experiment(name=${name}) already exists.`);
      }
      const now = Date.now();
      const id = await repo
        .insertExperiment(trx, { name, artifact_location: artifactLocation ?? '', lifecycle_stage: ACTIVE, creation_time: now, last_update_time: now })
        .catch((err: unknown) => {
          // Two concurrent creates of one name: the loser gets what MLflow clients expect, not a 500.
          throw isUniqueViolation(err) ? new AlreadyExistsError(`Experiment(name=${name}) already exists.`) : err;
        });
      if (!artifactLocation) await repo.updateExperimentRow(trx, id, { artifact_location: `${ARTIFACT_SCHEME}/${id}` });
      for (const t of tags) await repo.upsertExperimentTag(trx, id, t.key, t.value);
      return String(id);
    });
  }

  async getRow(experimentId: string): Promise<repo.ExperimentRow> {
    const id = parseExperimentId(experimentId);
    const row = await repo.findExperiment(this.store.db, id);
    if (!row) throw new NotFoundError(`No Experiment with id=${experimentId} exists`);
    return row;
  }

  async get(experimentId: string) {
    const row = await this.getRow(experimentId);
    const tags = await repo.experimentTags(this.store.db, [row.experiment_id]);
    return experimentJson(row, tags.get(row.experiment_id) ?? []);
  }

  async getByName(name: string) {
    const row = await repo.findExperimentByName(this.store.db, name);
    if (!row) throw new NotFoundError(`Could not find experiment with name '${name}'`);
    const tags = await repo.experimentTags(this.store.db, [row.experiment_id]);
    return experimentJson(row, tags.get(row.experiment_id) ?? []);
  }

  async search(opts: { viewType?: string; maxResults?: number; filter?: string; orderBy?: string[]; pageToken?: string }) {
    const limit = opts.maxResults ?? LIMITS.searchDefaultResults;
    const offset = decodePageToken(opts.pageToken);
    const rows = await repo.searchExperimentRows(
      this.store.db,
      {
        lifecycle: lifecycleStages(opts.viewType),
        clauses: parseSimpleFilter(opts.filter, ['name']),
        orderBy: opts.orderBy?.length ? parseSimpleOrder(opts.orderBy, ORDER_KEYS) : [{ key: 'creation_time', ascending: false }],
        offset,
        limit: limit + 1,
      },
      this.store.dialect.match,
    );
    const page = pageOf(rows, offset, limit);
    const tags = await repo.experimentTags(
      this.store.db,
      page.items.map((r) => r.experiment_id),
    );
    return {
      experiments: page.items.map((r) => experimentJson(r, tags.get(r.experiment_id) ?? [])),
      ...(page.next_page_token ? { next_page_token: page.next_page_token } : {}),
    };
  }

  async rename(experimentId: string, newName: string): Promise<void> {
    const row = await this.getRow(experimentId);
    if (row.lifecycle_stage !== ACTIVE) throw new InvalidStateError(`Cannot rename a non-active experiment ${experimentId}.`);
    validateValue(newName, 'new_name', LIMITS.experimentNameLength);
    const clash = await repo.findExperimentByName(this.store.db, newName);
    if (clash && clash.experiment_id !== row.experiment_id) throw new AlreadyExistsError(`Experiment(name=${newName}) already exists.`);
    await repo.updateExperimentRow(this.store.db, row.experiment_id, { name: newName, last_update_time: Date.now() });
  }

  async setLifecycle(experimentId: string, stage: typeof ACTIVE | typeof DELETED): Promise<void> {
    const row = await this.getRow(experimentId);
    if (stage === DELETED && row.experiment_id === DEFAULT_EXPERIMENT_ID) {
      throw new InvalidParameterError('experiment_id', 'Cannot delete the default experiment (id 0).');
    }
    const now = Date.now();
    await this.store.db.transaction().execute(async (trx) => {
      await repo.updateExperimentRow(trx, row.experiment_id, { lifecycle_stage: stage, last_update_time: now });
      // Runs follow their experiment, as in MLflow.
      await runRepo.updateRunsOfExperiment(trx, row.experiment_id, { lifecycle_stage: stage, deleted_time: stage === DELETED ? now : null });
    });
  }

  async setTag(experimentId: string, key: string, value: string): Promise<void> {
    const row = await this.getRow(experimentId);
    validateKey(key, 'key');
    validateValue(value, 'value', LIMITS.experimentTagValueLength);
    await repo.upsertExperimentTag(this.store.db, row.experiment_id, key, value);
  }

  async deleteTag(experimentId: string, key: string): Promise<void> {
    const row = await this.getRow(experimentId);
    await repo.deleteExperimentTagRow(this.store.db, row.experiment_id, key);
  }
}

export function parseExperimentId(raw: string, field = 'experiment_id'): number {
  if (!isExperimentId(raw)) {
    // MLflow answers a malformed id as an unknown one; the client depends on that code.
    throw new NotFoundError(`No Experiment with id=${raw} exists`);
  }
  void field;
  return Number(raw);
}
