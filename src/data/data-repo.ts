/** Queries over managed datasets, versions and tags (dialect-neutral Kysely). */
import type { Selectable } from 'kysely';
import type { DataDatasetTable, DataVersionTable, Store } from '../store/index.js';
import { NotFoundError } from '../errors.js';
import type { VersionSelector } from './version-ref.js';

export type DatasetRow = Selectable<DataDatasetTable>;
export type VersionRow = Selectable<DataVersionTable>;

/** Version columns without the (large) profile and its exact stats. */
const VERSION_LIST_COLUMNS = [
  'dataset',
  'version',
  'digest',
  'format',
  'size_bytes',
  'rows',
  'filename',
  'path',
  'schema',
  'description',
  'created_at',
  'created_by',
] as const;
export type VersionListRow = Omit<VersionRow, 'profile' | 'exact_stats'>;

export class DataRepo {
  constructor(private readonly store: Store) {}

  private get db() {
    return this.store.db;
  }

  async dataset(name: string): Promise<DatasetRow | undefined> {
    return this.db.selectFrom('data_datasets').selectAll().where('name', '=', name).executeTakeFirst();
  }

  async requireDataset(name: string): Promise<DatasetRow> {
    const row = await this.dataset(name);
    if (!row) throw new NotFoundError(`Dataset '${name}' does not exist.`);
    return row;
  }

  async ensureDataset(name: string, user: string, now: number): Promise<void> {
    await this.db
      .insertInto('data_datasets')
      .values({ name, description: '', created_at: now, created_by: user, updated_at: now })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
  }

  async listDatasets(opts: { limit: number; offset: number; nameLike?: string }) {
    let q = this.db
      .selectFrom('data_datasets as d')
      .leftJoin('data_versions as v', 'v.dataset', 'd.name')
      .select((eb) => [
        'd.name',
        'd.description',
        'd.created_at',
        'd.created_by',
        'd.updated_at',
        eb.fn.count<number>('v.version').as('versions'),
        eb.fn.max('v.version').as('latest_version'),
      ])
      .groupBy(['d.name', 'd.description', 'd.created_at', 'd.created_by', 'd.updated_at'])
      .orderBy('d.name');
    if (opts.nameLike) q = q.where('d.name', 'like', opts.nameLike);
    return q.limit(opts.limit).offset(opts.offset).execute();
  }

  async setDescription(name: string, description: string, now: number): Promise<void> {
    await this.db.updateTable('data_datasets').set({ description, updated_at: now }).where('name', '=', name).execute();
  }

  async deleteDataset(name: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('data_version_tags').where('dataset', '=', name).execute();
      await trx.deleteFrom('data_versions').where('dataset', '=', name).execute();
      await trx.deleteFrom('data_suite_attachments').where('target_kind', '=', 'dataset').where('target', '=', name).execute();
      await trx.deleteFrom('data_datasets').where('name', '=', name).execute();
    });
  }

  async versionByDigest(name: string, digest: string): Promise<VersionRow | undefined> {
    return this.db.selectFrom('data_versions').selectAll().where('dataset', '=', name).where('digest', '=', digest).executeTakeFirst();
  }

  async nextVersion(name: string): Promise<number> {
    const row = await this.db
      .selectFrom('data_versions')
      .select((eb) => eb.fn.max('version').as('v'))
      .where('dataset', '=', name)
      .executeTakeFirst();
    return Number(row?.v ?? 0) + 1;
  }

  async insertVersion(row: VersionRow): Promise<void> {
    await this.db.insertInto('data_versions').values(row).execute();
    await this.db.updateTable('data_datasets').set({ updated_at: row.created_at }).where('name', '=', row.dataset).execute();
  }

  async listVersions(name: string, opts: { limit: number; offset: number }): Promise<VersionListRow[]> {
    return this.db
      .selectFrom('data_versions')
      .select(VERSION_LIST_COLUMNS)
      .where('dataset', '=', name)
      .orderBy('version', 'desc')
      .limit(opts.limit)
      .offset(opts.offset)
      .execute();
  }

  /** The version a selector names, or a 404 that says what was looked for. */
  async resolve(name: string, sel: VersionSelector): Promise<VersionRow> {
    const base = this.db.selectFrom('data_versions').selectAll().where('dataset', '=', name);
    let row: VersionRow | undefined;
    let what: string;
    switch (sel.kind) {
      case 'latest':
        row = await base.orderBy('version', 'desc').limit(1).executeTakeFirst();
        what = 'any version';
        break;
      case 'number':
        row = await base.where('version', '=', sel.version).executeTakeFirst();
        what = `version ${sel.version}`;
        break;
      case 'tag': {
        const tag = await this.db.selectFrom('data_version_tags').select('version').where('dataset', '=', name).where('tag', '=', sel.tag).executeTakeFirst();
        row = tag ? await base.where('version', '=', tag.version).executeTakeFirst() : undefined;
        what = `a version tagged '${sel.tag}'`;
        break;
      }
      case 'digest': {
        const rows = await base.where('digest', 'like', `${sel.prefix}%`).limit(2).execute();
        if (rows.length > 1) throw new NotFoundError(`Digest prefix '${sel.prefix}' matches several versions of dataset '${name}'; give more characters.`);
        row = rows[0];
        what = `a version with digest ${sel.prefix}…`;
        break;
      }
    }
    if (!row) {
      await this.requireDataset(name);
      throw new NotFoundError(`Dataset '${name}' has no ${what}.`);
    }
    return row;
  }

  async tagsOf(name: string): Promise<{ tag: string; version: number }[]> {
    return this.db.selectFrom('data_version_tags').select(['tag', 'version']).where('dataset', '=', name).orderBy('tag').execute();
  }

  async setTag(name: string, tag: string, version: number, now: number): Promise<void> {
    await this.db
      .insertInto('data_version_tags')
      .values({ dataset: name, tag, version, updated_at: now })
      .onConflict((oc) => oc.columns(['dataset', 'tag']).doUpdateSet({ version, updated_at: now }))
      .execute();
  }

  async deleteTag(name: string, tag: string): Promise<boolean> {
    const r = await this.db.deleteFrom('data_version_tags').where('dataset', '=', name).where('tag', '=', tag).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async deleteVersion(name: string, version: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('data_version_tags').where('dataset', '=', name).where('version', '=', version).execute();
      await trx.deleteFrom('data_versions').where('dataset', '=', name).where('version', '=', version).execute();
    });
  }

  async versionPaths(name: string): Promise<string[]> {
    return (await this.db.selectFrom('data_versions').select('path').where('dataset', '=', name).execute()).map((r) => r.path);
  }
}
