/**
 * Datasets and their content-addressed versions: push (spool → hash → dedupe → profile → store), list, get,
 * download, tag, delete. A version's identity is the sha256 of its bytes, so pushing the same file twice
 * answers the existing version.
 */
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import type { Static } from '@sinclair/typebox';
import type { PushValidation } from '../contract/data.js';
import type { ArtifactStore } from '../artifacts/index.js';
import { InvalidParameterError, InvalidStateError, NotFoundError } from '../errors.js';
import { isUniqueViolation, type Store } from '../store/index.js';
import { DataRepo, type VersionRow } from './data-repo.js';
import { LineageRepo } from './lineage-repo.js';
import { spool } from './spool.js';
import { type DataFormat, type TableSchema, detectFormat, profileTable } from './table/index.js';
import { checkDatasetName, checkTag, parseSelector } from './version-ref.js';
import { type VersionView, profileOfRow, reportOfRow, versionView } from './version-view.js';
import { sampleRows } from './sample-rows.js';

export interface PushMeta {
  filename?: string;
  contentType?: string;
  format?: DataFormat;
  description?: string;
}

/** Runs the suites attached to a dataset on a freshly pushed version (the suite service). */
export interface PushHook {
  afterPush(row: VersionRow, file: string, schema: TableSchema): Promise<Static<typeof PushValidation>[]>;
}

export interface DatasetServiceDeps {
  store: Store;
  artifacts: ArtifactStore;
  /** Where pushed files wait while they are hashed and profiled. */
  spoolDir: string;
  maxBytes: number;
}

const EXT: Record<DataFormat, string> = { csv: 'csv', jsonl: 'jsonl', parquet: 'parquet' };

export class DatasetService {
  readonly repo: DataRepo;
  readonly lineage: LineageRepo;
  private hook: PushHook | null = null;

  constructor(private readonly deps: DatasetServiceDeps) {
    this.repo = new DataRepo(deps.store);
    this.lineage = new LineageRepo(deps.store);
  }

  setPushHook(hook: PushHook): void {
    this.hook = hook;
  }

  /** Receives a file; answers the version it is (created: false when these bytes were pushed before). */
  async push(
    name: string,
    body: Readable,
    meta: PushMeta,
    user: string,
  ): Promise<{ created: boolean; version: VersionView; validations: Static<typeof PushValidation>[] }> {
    checkDatasetName(name);
    if (meta.description !== undefined && meta.description.length > 5000)
      throw new InvalidParameterError('description', "'description' exceeds 5000 characters.");
    const file = await spool(body, this.deps.spoolDir, this.deps.maxBytes);
    try {
      const known = await this.repo.versionByDigest(name, file.digest);
      if (known) return { created: false, version: await this.view(known), validations: [] };
      const format = meta.format ?? detectFormat({ filename: meta.filename, contentType: meta.contentType, head: file.head });
      const result = await profileTable(file.path, { format });
      const path = `datasets/${name}/${file.digest}.${EXT[format]}`;
      // Named by its digest: written once, never replaced (a concurrent push of the same bytes finds it there).
      await this.deps.artifacts.create(path, createReadStream(file.path), this.deps.maxBytes);
      const now = Date.now();
      await this.repo.ensureDataset(name, user, now);
      const { row, created } = await this.insert(name, {
        digest: file.digest,
        format,
        size_bytes: file.size,
        rows: result.rows,
        filename: safeFilename(meta.filename, format),
        path,
        schema: JSON.stringify(result.schema),
        profile: Buffer.from(result.profile.toBytes()).toString('base64'),
        exact_stats: Object.keys(result.exact).length > 0 ? JSON.stringify(result.exact) : null,
        description: meta.description ?? '',
        created_at: now,
        created_by: user,
      });
      if (!created) return { created: false, version: await this.view(row), validations: [] };
      const validations = this.hook ? await this.hook.afterPush(row, file.path, result.schema) : [];
      return { created: true, version: await this.view(row), validations };
    } finally {
      await file.cleanup();
    }
  }

  /** Numbers the version; a concurrent push of the same bytes wins the digest, of other bytes the number. */
  private async insert(name: string, fields: Omit<VersionRow, 'dataset' | 'version'>): Promise<{ row: VersionRow; created: boolean }> {
    for (let attempt = 0; ; attempt++) {
      const row: VersionRow = { dataset: name, version: await this.repo.nextVersion(name), ...fields };
      try {
        await this.repo.insertVersion(row);
        return { row, created: true };
      } catch (err) {
        if (!isUniqueViolation(err) || attempt >= 4) throw err;
        const same = await this.repo.versionByDigest(name, fields.digest);
        if (same) return { row: same, created: false };
      }
    }
  }

  async view(row: VersionRow | Omit<VersionRow, 'profile'>): Promise<VersionView> {
    return versionView(row, await this.repo.tagsOf(row.dataset));
  }

  async list(opts: { limit: number; offset: number; nameLike?: string }) {
    const rows = await this.repo.listDatasets(opts);
    return rows.map((r) => ({
      name: r.name,
      description: r.description,
      versions: Number(r.versions),
      latest_version: r.latest_version === null ? null : Number(r.latest_version),
      created_at: new Date(Number(r.created_at)).toISOString(),
      created_by: r.created_by,
      updated_at: new Date(Number(r.updated_at)).toISOString(),
    }));
  }

  async get(name: string) {
    const d = await this.repo.requireDataset(name);
    const tags = await this.repo.tagsOf(name);
    const versions = (await this.repo.listVersions(name, { limit: 1, offset: 0 }))[0];
    return {
      name: d.name,
      description: d.description,
      created_at: new Date(Number(d.created_at)).toISOString(),
      created_by: d.created_by,
      updated_at: new Date(Number(d.updated_at)).toISOString(),
      tags: Object.fromEntries(tags.map((t) => [t.tag, Number(t.version)])),
      latest: versions ? versionView(versions, tags) : null,
    };
  }

  async setDescription(name: string, description: string): Promise<void> {
    if (description.length > 5000) throw new InvalidParameterError('description', "'description' exceeds 5000 characters.");
    await this.repo.requireDataset(name);
    await this.repo.setDescription(name, description, Date.now());
  }

  async versions(name: string, opts: { limit: number; offset: number }): Promise<VersionView[]> {
    await this.repo.requireDataset(name);
    const tags = await this.repo.tagsOf(name);
    return (await this.repo.listVersions(name, opts)).map((r) => versionView(r, tags));
  }

  async resolve(name: string, ref: string | undefined, field = 'version'): Promise<VersionRow> {
    checkDatasetName(name);
    return this.repo.resolve(name, parseSelector(ref, field));
  }

  async version(name: string, ref: string | undefined, withProfile: boolean) {
    const row = await this.resolve(name, ref);
    const view = await this.view(row);
    return withProfile ? { ...view, profile: reportOfRow(row) } : view;
  }

  async open(name: string, ref: string | undefined): Promise<{ stream: Readable; size: number; filename: string; format: string }> {
    const row = await this.resolve(name, ref);
    const file = await this.deps.artifacts.get(row.path);
    return { stream: file.stream, size: file.size, filename: row.filename, format: row.format };
  }

  /** A version as a drift reference for monitoring: its profile, and whole-row samples on demand. */
  async reference(name: string, ref: string) {
    const row = await this.resolve(name, ref, 'dataset');
    const schema = JSON.parse(row.schema) as TableSchema;
    return {
      ref: `${row.dataset}@${row.version}`,
      rows: Number(row.rows),
      profile: profileOfRow(row),
      sampleRows: async (n: number) => {
        const opened = await this.deps.artifacts.get(row.path);
        const file = await spool(opened.stream, this.deps.spoolDir, Number.MAX_SAFE_INTEGER);
        try {
          return await sampleRows(file.path, schema, n);
        } finally {
          await file.cleanup();
        }
      },
    };
  }

  async tag(name: string, tag: string, ref: string): Promise<VersionView> {
    checkTag(tag);
    const row = await this.resolve(name, ref);
    await this.repo.setTag(name, tag, Number(row.version), Date.now());
    return this.view(row);
  }

  async untag(name: string, tag: string): Promise<void> {
    checkDatasetName(name);
    if (!(await this.repo.deleteTag(name, tag))) throw new NotFoundError(`Dataset '${name}' has no tag '${tag}'.`);
  }

  /** Refused while a run (and so its model versions) used the version, unless forced. */
  async deleteVersion(name: string, ref: string, force: boolean): Promise<VersionView> {
    const row = await this.resolve(name, ref);
    if (!force) await this.refuseIfUsed([row]);
    const view = await this.view(row);
    await this.repo.deleteVersion(name, Number(row.version));
    // Another dataset may hold the same bytes under the same path only if it has the same name: paths are per dataset.
    await this.deps.artifacts.delete(row.path).catch(() => {});
    return view;
  }

  async deleteDataset(name: string, force: boolean): Promise<void> {
    await this.repo.requireDataset(name);
    const rows = await this.repo.listVersions(name, { limit: 1_000_000, offset: 0 });
    if (!force) await this.refuseIfUsed(rows);
    await this.repo.deleteDataset(name);
    for (const r of rows) await this.deps.artifacts.delete(r.path).catch(() => {});
  }

  private async refuseIfUsed(rows: Pick<VersionRow, 'dataset' | 'version' | 'digest'>[]): Promise<void> {
    for (const row of rows) {
      const inputs = await this.lineage.inputsUsing(row.digest);
      if (inputs.length === 0) continue;
      const models = await this.lineage.modelVersionsOfRuns([...new Set(inputs.map((i) => i.run_uuid))]);
      const users = [...models.map((m) => `model version ${m.name}/${m.version}`), ...inputs.map((i) => `run ${i.run_uuid}`)];
      const shown = [...new Set(users)].slice(0, 5).join(', ');
      throw new InvalidStateError(
        `${row.dataset}@${row.version} is used by ${shown}${users.length > 5 ? ', …' : ''}; pass force=true (--force) to delete it anyway.`,
      );
    }
  }
}

/** The pushed file's name, for display and downloads only (never a path on disk). */
function safeFilename(name: string | undefined, format: DataFormat): string {
  const base = (name ?? '')
    .split(/[\\/]/)
    .pop()!
    .replace(/[^\w.-]+/g, '_')
    .slice(0, 200);
  return base && base !== '.' && base !== '..' ? base : `data.${EXT[format]}`;
}
