import { type ModelVersionTable, type RegisteredModelTable, type Store, isUniqueViolation } from '../store/index.js';
import { AlreadyExistsError, InvalidParameterError, NotFoundError } from '../errors.js';
import {
  type RunService,
  TRACKING_LIMITS,
  decodePageToken,
  pageOf,
  parseSimpleFilter,
  parseSimpleOrder,
  storePathOf,
  validateKey,
  validateValue,
} from '../tracking/index.js';
import * as repo from './registry-repo.js';
import { modelJson, STAGES, versionJson } from './shapes.js';
import type { AliasActor, AliasGuard } from './alias-guard.js';

const LOGGED_MODEL_URI = /^models:\/(m-[0-9a-f]{32})\/?$/;
const MODEL_FILTER = ['name'] as const;
const VERSION_FILTER = ['name', 'run_id', 'source_path', 'version', 'model_id'] as const;

/** Moves made by Ferry itself without a caller (none today; a guard sees this name). */
const SYSTEM_ACTOR: AliasActor = { name: 'ferry' };

export class RegistryService {
  private guard: AliasGuard | null = null;
  private created: ((v: { name: string; version: string; userId: string }) => void)[] = [];

  constructor(
    private readonly store: Store,
    private readonly runs: RunService,
  ) {}

  /** Every later alias move asks this guard first (governance's approval gates, wired in app.ts). */
  guardAliases(guard: AliasGuard): void {
    this.guard = guard;
  }

  /**
   * Told after each new version is stored (convert's registration hook, wired in app.ts); it runs in the background,
   * so it never slows or fails the registration.
   */
  onVersionCreated(listener: (v: { name: string; version: string; userId: string }) => void): void {
    this.created.push(listener);
  }

  private get db() {
    return this.store.db;
  }

  private async modelRow(name: string): Promise<RegisteredModelTable> {
    if (!name) throw new InvalidParameterError('name', "Missing value for required parameter 'name'.");
    const row = await repo.findModel(this.db, name);
    if (!row) throw new NotFoundError(`Registered Model with name=${name} not found`);
    return row;
  }

  private async versionRow(name: string, version: string): Promise<ModelVersionTable> {
    if (!/^\d{1,9}$/.test(version)) throw new InvalidParameterError('version', `Invalid model version '${version}': expected a positive integer.`);
    await this.modelRow(name);
    const row = await repo.findVersion(this.db, name, Number(version));
    if (!row) throw new NotFoundError(`Model Version (name=${name}, version=${version}) not found`);
    return row;
  }

  private async shapeModels(rows: RegisteredModelTable[]) {
    const kids = await repo.modelChildren(
      this.db,
      rows.map((r) => r.name),
    );
    const shapedVersions = await this.shapeVersions(kids.versions);
    return rows.map((m) => {
      // latest_versions: the newest version in each stage, as MLflow reports them.
      const latest = new Map<string, ReturnType<typeof versionJson>>();
      for (const v of shapedVersions.filter((v) => v.name === m.name)) latest.set(v.current_stage, v);
      return modelJson(
        m,
        kids.tags.filter((t) => t.name === m.name).map(({ key, value }) => ({ key, value })),
        kids.aliases.filter((a) => a.name === m.name).map((a) => ({ alias: a.alias, version: String(a.version) })),
        [...latest.values()],
      );
    });
  }

  private async shapeVersions(rows: ModelVersionTable[]) {
    const kids = await repo.versionChildren(this.db, rows);
    return rows.map((v) =>
      versionJson(
        v,
        kids.tags.filter((t) => t.name === v.name && t.version === v.version).map(({ key, value }) => ({ key, value })),
        kids.aliases.filter((a) => a.name === v.name && a.version === v.version).map((a) => a.alias),
      ),
    );
  }

  async createModel(name: string, description: string | undefined, tags: repo.KV[]) {
    if (!name) throw new InvalidParameterError('name', "Missing value for required parameter 'name'.");
    validateValue(name, 'name', 256);
    for (const t of tags) validateKey(t.key, 'tags.key');
    const now = Date.now();
    const exists = () => new AlreadyExistsError(`Registered Model (name=${name}) already exists.`);
    await this.db
      .transaction()
      .execute(async (trx) => {
        if (await repo.findModel(trx, name)) throw exists();
        await repo.insertModel(trx, { name, creation_timestamp: now, last_updated_timestamp: now, description: description ?? '' }, tags);
      })
      .catch((err: unknown) => {
        throw isUniqueViolation(err) ? exists() : err;
      });
    return this.getModel(name);
  }

  async getModel(name: string) {
    return (await this.shapeModels([await this.modelRow(name)]))[0]!;
  }

  async renameModel(name: string, newName: string) {
    await this.modelRow(name);
    validateValue(newName, 'new_name', 256);
    await this.db.transaction().execute(async (trx) => {
      if (await repo.findModel(trx, newName)) throw new AlreadyExistsError(`Registered Model (name=${newName}) already exists.`);
      await repo.renameModel(trx, name, newName, Date.now());
    });
    return this.getModel(newName);
  }

  async updateModel(name: string, description: string | undefined) {
    await this.modelRow(name);
    await repo.updateModelRow(this.db, name, { description: description ?? '', last_updated_timestamp: Date.now() });
    return this.getModel(name);
  }

  async deleteModel(name: string): Promise<void> {
    await this.modelRow(name);
    await this.db.transaction().execute((trx) => repo.deleteModel(trx, name));
  }

  async searchModels(opts: { filter?: string; maxResults?: number; orderBy?: string[]; pageToken?: string }) {
    const limit = opts.maxResults ?? 100;
    const offset = decodePageToken(opts.pageToken);
    const rows = await repo.searchModels(
      this.db,
      parseSimpleFilter(opts.filter, MODEL_FILTER),
      parseSimpleOrder(opts.orderBy, ['name', 'timestamp', 'last_updated_timestamp']),
      offset,
      limit + 1,
      this.store.dialect.match,
    );
    const page = pageOf(rows, offset, limit);
    return { registered_models: await this.shapeModels(page.items), ...(page.next_page_token ? { next_page_token: page.next_page_token } : {}) };
  }

  async setModelTag(name: string, key: string, value: string): Promise<void> {
    await this.modelRow(name);
    validateKey(key, 'key');
    validateValue(value, 'value', TRACKING_LIMITS.registryTagValueLength);
    await repo.upsertModelTag(this.db, name, key, value);
  }

  async deleteModelTag(name: string, key: string): Promise<void> {
    await this.modelRow(name);
    await repo.deleteModelTag(this.db, name, key);
  }

  async createVersion(input: {
    name: string;
    source: string;
    runId?: string;
    runLink?: string;
    description?: string;
    tags: repo.KV[];
    modelId?: string;
    userId: string;
  }) {
    await this.modelRow(input.name);
    if (!input.source) throw new InvalidParameterError('source', "Missing value for required parameter 'source'.");
    // mlflow 3's log_model registers `models:/m-…` without a run id; like MLflow, take it from the logged model.
    const loggedId = input.modelId || LOGGED_MODEL_URI.exec(input.source)?.[1];
    if (!input.runId && loggedId) {
      const lm = await repo.findLoggedModelSource(this.db, loggedId);
      if (lm?.source_run_id) input = { ...input, runId: lm.source_run_id };
    }
    if (input.runId) await this.runs.getRow(input.runId);
    for (const t of input.tags) validateKey(t.key, 'tags.key');
    const storage = await this.storageLocation(input.source, input.runId);
    const now = Date.now();
    const version = await this.retryOnConflict(() =>
      this.db.transaction().execute(async (trx) => {
        const v = await repo.nextVersion(trx, input.name);
        await repo.insertVersion(
          trx,
          {
            name: input.name,
            version: v,
            creation_timestamp: now,
            last_updated_timestamp: now,
            description: input.description ?? '',
            user_id: input.userId,
            current_stage: 'None',
            source: input.source,
            run_id: input.runId || null,
            run_link: input.runLink || null,
            status: 'READY',
            status_message: null,
            storage_location: storage,
            model_id: input.modelId || null,
            deleted: 0,
          },
          input.tags,
        );
        await repo.updateModelRow(trx, input.name, { last_updated_timestamp: now });
        return v;
      }),
    );
    for (const fn of this.created) fn({ name: input.name, version: String(version), userId: input.userId });
    return this.getVersion(input.name, String(version));
  }

  /** Version numbers are max+1: two concurrent creates can pick the same one; the loser tries again. */
  private async retryOnConflict<T>(fn: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (err) {
        if (!isUniqueViolation(err) || attempt >= 8) throw err;
        await new Promise((r) => setTimeout(r, attempt * 5 + Math.random() * 10));
      }
    }
  }

  /** Where a version's files are: a models:/m-… source points at its logged model, runs:/ at the run's artifacts. */
  private async storageLocation(source: string, runId: string | undefined): Promise<string> {
    const logged = LOGGED_MODEL_URI.exec(source);
    if (logged) {
      const row = await repo.findLoggedModelLocation(this.db, logged[1]!);
      if (!row) throw new InvalidParameterError('source', `Logged model '${logged[1]}' named by source '${source}' does not exist.`);
      return row.artifact_location;
    }
    const fromRun = /^runs:\/([0-9a-f]{32})\/?(.*)$/.exec(source);
    if (fromRun) {
      const run = await this.runs.getRow(fromRun[1]!, 'source');
      return fromRun[2] ? `${run.artifact_uri}/${fromRun[2]}` : run.artifact_uri;
    }
    void runId;
    return source;
  }

  async getVersion(name: string, version: string) {
    return (await this.shapeVersions([await this.versionRow(name, version)]))[0]!;
  }

  async updateVersion(name: string, version: string, description: string | undefined) {
    const row = await this.versionRow(name, version);
    await repo.updateVersionRow(this.db, name, row.version, { description: description ?? '', last_updated_timestamp: Date.now() });
    return this.getVersion(name, version);
  }

  async deleteVersion(name: string, version: string): Promise<void> {
    const row = await this.versionRow(name, version);
    // Kept as a tombstone so the number is never reused: models:/name/N must not change meaning.
    await this.db.transaction().execute((trx) => repo.tombstoneVersion(trx, name, row.version, Date.now()));
  }

  async transitionStage(name: string, version: string, stage: string, archiveExisting: boolean) {
    const canonical = STAGES.find((s) => s.toLowerCase() === stage.toLowerCase());
    if (!canonical) throw new InvalidParameterError('stage', `Invalid model version stage '${stage}': use one of ${STAGES.join(', ')}.`);
    const row = await this.versionRow(name, version);
    const now = Date.now();
    await this.db.transaction().execute(async (trx) => {
      if (archiveExisting && (canonical === 'Staging' || canonical === 'Production')) {
        await repo.archiveOtherVersionsInStage(trx, name, canonical, row.version, now);
      }
      await repo.updateVersionRow(trx, name, row.version, { current_stage: canonical, last_updated_timestamp: now });
    });
    return this.getVersion(name, version);
  }

  async latestVersions(name: string, stages: string[] | undefined) {
    const model = await this.getModel(name);
    const wanted = stages?.length ? stages.map((s) => s.toLowerCase()) : null;
    return model.latest_versions.filter((v) => !wanted || wanted.includes(v.current_stage.toLowerCase()));
  }

  async searchVersions(opts: { filter?: string; maxResults?: number; orderBy?: string[]; pageToken?: string }) {
    const limit = opts.maxResults ?? 10000;
    const offset = decodePageToken(opts.pageToken);
    const rows = await repo.searchVersions(
      this.db,
      parseSimpleFilter(opts.filter, VERSION_FILTER),
      parseSimpleOrder(opts.orderBy, ['name', 'version', 'timestamp', 'creation_timestamp', 'last_updated_timestamp']),
      offset,
      limit + 1,
      this.store.dialect.match,
    );
    const page = pageOf(rows, offset, limit);
    return { model_versions: await this.shapeVersions(page.items), ...(page.next_page_token ? { next_page_token: page.next_page_token } : {}) };
  }

  async downloadUri(name: string, version: string) {
    const row = await this.versionRow(name, version);
    return { artifact_uri: row.storage_location ?? row.source };
  }

  /**
   * Where a version's files live: the URI it answers for downloads and, when this server stores them, their
   * path in the artifact store (null for a URI elsewhere, e.g. s3:// or a local path given at registration).
   */
  async versionStorage(name: string, version: string): Promise<{ artifact_uri: string; store_path: string | null }> {
    const { artifact_uri } = await this.downloadUri(name, version);
    return { artifact_uri, store_path: storePathOf(artifact_uri) };
  }

  async setVersionTag(name: string, version: string, key: string, value: string): Promise<void> {
    const row = await this.versionRow(name, version);
    validateKey(key, 'key');
    validateValue(value, 'value', TRACKING_LIMITS.registryTagValueLength);
    await repo.upsertVersionTag(this.db, name, row.version, key, value);
  }

  async deleteVersionTag(name: string, version: string, key: string): Promise<void> {
    const row = await this.versionRow(name, version);
    await repo.deleteVersionTag(this.db, name, row.version, key);
  }

  async setAlias(name: string, alias: string, version: string, actor: AliasActor = SYSTEM_ACTOR): Promise<void> {
    // The characters are the contract's; these names would be read as version references (models:/m/v3, @latest).
    if (/^v\d+$/i.test(alias) || alias.toLowerCase() === 'latest') {
      throw new InvalidParameterError('alias', `Invalid alias '${alias}': 'latest' and 'v<number>' name versions, not aliases.`);
    }
    const row = await this.versionRow(name, version);
    await this.guard?.check(name, alias, String(row.version), actor);
    await repo.upsertAlias(this.db, name, alias, row.version);
    await this.guard?.moved?.(name, alias, String(row.version), actor);
  }

  async deleteAlias(name: string, alias: string): Promise<void> {
    await this.modelRow(name);
    await repo.deleteAlias(this.db, name, alias);
  }

  async versionByAlias(name: string, alias: string) {
    await this.modelRow(name);
    const version = await repo.aliasVersion(this.db, name, alias);
    if (version === undefined) throw new NotFoundError(`Registered model alias ${alias} not found.`);
    return this.getVersion(name, String(version));
  }
}
