/** Registry queries. Children (tags, versions, aliases) key on the model name; rename moves them all. */
import type { Kysely } from 'kysely';
import { InvalidParameterError } from '../errors.js';
import type { Database, ModelVersionTable, RegisteredModelTable, TextMatch } from '../store/index.js';
import { type SimpleClause, compareText } from '../tracking/index.js';

type Db = Kysely<Database>;
export interface KV {
  key: string;
  value: string;
}

export const findModel = (db: Db, name: string) => db.selectFrom('registered_models').selectAll().where('name', '=', name).executeTakeFirst();

export const findVersion = (db: Db, name: string, version: number) =>
  db.selectFrom('model_versions').selectAll().where('name', '=', name).where('version', '=', version).where('deleted', '=', 0).executeTakeFirst();

export async function nextVersion(db: Db, name: string): Promise<number> {
  const row = await db
    .selectFrom('model_versions')
    .select((eb) => eb.fn.max('version').as('v'))
    .where('name', '=', name)
    .executeTakeFirst();
  return Number(row?.v ?? 0) + 1;
}

export async function modelChildren(db: Db, names: string[]) {
  if (names.length === 0) return { tags: [], aliases: [], versions: [] as ModelVersionTable[] };
  const [tags, aliases, versions] = await Promise.all([
    db.selectFrom('registered_model_tags').selectAll().where('name', 'in', names).orderBy('key').execute(),
    db.selectFrom('registered_model_aliases').selectAll().where('name', 'in', names).orderBy('alias').execute(),
    db.selectFrom('model_versions').selectAll().where('name', 'in', names).where('deleted', '=', 0).orderBy('version').execute(),
  ]);
  return { tags, aliases, versions };
}

export async function versionChildren(db: Db, versions: { name: string; version: number }[]) {
  const names = [...new Set(versions.map((v) => v.name))];
  if (names.length === 0) return { tags: [], aliases: [] };
  const [tags, aliases] = await Promise.all([
    db.selectFrom('model_version_tags').selectAll().where('name', 'in', names).orderBy('key').execute(),
    db.selectFrom('registered_model_aliases').selectAll().where('name', 'in', names).orderBy('alias').execute(),
  ]);
  return { tags, aliases };
}

/** A new model and its first tags. */
export async function insertModel(db: Db, row: RegisteredModelTable, tags: KV[]): Promise<void> {
  await db.insertInto('registered_models').values(row).execute();
  if (tags.length)
    await db
      .insertInto('registered_model_tags')
      .values(tags.map((t) => ({ name: row.name, ...t })))
      .execute();
}

export async function updateModelRow(db: Db, name: string, patch: Partial<Omit<RegisteredModelTable, 'name'>>): Promise<void> {
  await db.updateTable('registered_models').set(patch).where('name', '=', name).execute();
}

export async function upsertModelTag(db: Db, name: string, key: string, value: string): Promise<void> {
  await db
    .insertInto('registered_model_tags')
    .values({ name, key, value })
    .onConflict((oc) => oc.columns(['name', 'key']).doUpdateSet({ value }))
    .execute();
}

export async function deleteModelTag(db: Db, name: string, key: string): Promise<void> {
  await db.deleteFrom('registered_model_tags').where('name', '=', name).where('key', '=', key).execute();
}

/** A new version and its first tags (the number from nextVersion, in the same transaction). */
export async function insertVersion(db: Db, row: ModelVersionTable, tags: KV[]): Promise<void> {
  await db.insertInto('model_versions').values(row).execute();
  if (tags.length)
    await db
      .insertInto('model_version_tags')
      .values(tags.map((t) => ({ name: row.name, version: row.version, ...t })))
      .execute();
}

export async function updateVersionRow(db: Db, name: string, version: number, patch: Partial<Omit<ModelVersionTable, 'name' | 'version'>>): Promise<void> {
  await db.updateTable('model_versions').set(patch).where('name', '=', name).where('version', '=', version).execute();
}

/** Moves every other version of the model in `stage` to Archived. */
export async function archiveOtherVersionsInStage(db: Db, name: string, stage: string, keep: number, now: number): Promise<void> {
  await db
    .updateTable('model_versions')
    .set({ current_stage: 'Archived', last_updated_timestamp: now })
    .where('name', '=', name)
    .where('current_stage', '=', stage)
    .where('version', '!=', keep)
    .execute();
}

/** A deleted version keeps its row, flagged, so its number is never reused; its tags and aliases go. */
export async function tombstoneVersion(db: Db, name: string, version: number, now: number): Promise<void> {
  await updateVersionRow(db, name, version, { deleted: 1, last_updated_timestamp: now });
  await db.deleteFrom('model_version_tags').where('name', '=', name).where('version', '=', version).execute();
  await db.deleteFrom('registered_model_aliases').where('name', '=', name).where('version', '=', version).execute();
}

export async function upsertVersionTag(db: Db, name: string, version: number, key: string, value: string): Promise<void> {
  await db
    .insertInto('model_version_tags')
    .values({ name, version, key, value })
    .onConflict((oc) => oc.columns(['name', 'version', 'key']).doUpdateSet({ value }))
    .execute();
}

export async function deleteVersionTag(db: Db, name: string, version: number, key: string): Promise<void> {
  await db.deleteFrom('model_version_tags').where('name', '=', name).where('version', '=', version).where('key', '=', key).execute();
}

export async function upsertAlias(db: Db, name: string, alias: string, version: number): Promise<void> {
  await db
    .insertInto('registered_model_aliases')
    .values({ name, alias, version })
    .onConflict((oc) => oc.columns(['name', 'alias']).doUpdateSet({ version }))
    .execute();
}

export async function deleteAlias(db: Db, name: string, alias: string): Promise<void> {
  await db.deleteFrom('registered_model_aliases').where('name', '=', name).where('alias', '=', alias).execute();
}

export async function aliasVersion(db: Db, name: string, alias: string): Promise<number | undefined> {
  const row = await db.selectFrom('registered_model_aliases').select('version').where('name', '=', name).where('alias', '=', alias).executeTakeFirst();
  return row?.version;
}

/**
 * A logged model's run and files, read from tracking's table: a version registered from `models:/m-…` takes
 * both from it, as in MLflow.
 */
export async function findLoggedModelSource(db: Db, modelId: string): Promise<{ source_run_id: string | null } | undefined> {
  return db.selectFrom('logged_models').select('source_run_id').where('model_id', '=', modelId).executeTakeFirst();
}

export async function findLoggedModelLocation(db: Db, modelId: string): Promise<{ artifact_location: string } | undefined> {
  return db.selectFrom('logged_models').select('artifact_location').where('model_id', '=', modelId).executeTakeFirst();
}

export async function renameModel(db: Db, from: string, to: string, now: number): Promise<void> {
  await db.updateTable('registered_models').set({ name: to, last_updated_timestamp: now }).where('name', '=', from).execute();
  for (const table of ['registered_model_tags', 'model_versions', 'model_version_tags', 'registered_model_aliases'] as const) {
    await db.updateTable(table).set({ name: to }).where('name', '=', from).execute();
  }
}

export async function deleteModel(db: Db, name: string): Promise<void> {
  for (const table of ['registered_model_tags', 'model_versions', 'model_version_tags', 'registered_model_aliases', 'registered_models'] as const) {
    await db.deleteFrom(table).where('name', '=', name).execute();
  }
}

/** `version` is an integer column: only = and != with a whole number make sense (else a clear 400). */
function versionValue(c: SimpleClause): number {
  if ((c.op !== '=' && c.op !== '!=') || !/^\d{1,9}$/.test(c.value)) {
    throw new InvalidParameterError('filter', `Invalid filter on version: use version = <number> or version != <number>, got ${c.op} '${c.value}'.`);
  }
  return Number(c.value);
}

const PROMPT_TAG = 'mlflow.prompt.is_prompt';

/**
 * MLflow stores prompts as registered models tagged mlflow.prompt.is_prompt='true', and its client adds
 * `tags.mlflow.prompt.is_prompt != 'true'` to every model search. An ordinary model has no such tag, so a
 * plain tag clause would drop it; like MLflow, this tag selects prompts or non-prompts instead.
 */
function applyPromptClause<Q extends { where: (...a: any[]) => Q }>(q: Q, clauses: SimpleClause[], tagTable: string): { q: Q; rest: SimpleClause[] } {
  const pc = clauses.find((c) => c.kind === 'tag' && c.key === PROMPT_TAG);
  const wantPrompts = !!pc && ((pc.op === '=' && pc.value.toLowerCase() === 'true') || (pc.op === '!=' && pc.value.toLowerCase() === 'false'));
  const main = tagTable === 'registered_model_tags' ? 'registered_models' : 'model_versions';
  q = q.where((eb: any) => {
    const sub = eb
      .selectFrom('registered_model_tags as p')
      .select('p.key')
      .whereRef('p.name', '=', `${main}.name`)
      .where('p.key', '=', PROMPT_TAG)
      .where('p.value', '=', 'true');
    return wantPrompts ? eb.exists(sub) : eb.not(eb.exists(sub));
  });
  return { q, rest: clauses.filter((c) => c !== pc) };
}

function applyClauses<Q extends { where: (...a: any[]) => Q }>(
  q0: Q,
  all: SimpleClause[],
  tagTable: 'registered_model_tags' | 'model_version_tags',
  match: TextMatch,
): Q {
  const applied = applyPromptClause(q0, all, tagTable);
  let q = applied.q;
  const clauses = applied.rest;
  for (const c of clauses) {
    if (c.kind === 'attr') {
      const col = c.key === 'source_path' ? 'source' : c.key;
      q = q.where((eb: any) => (c.key === 'version' ? eb(col, c.op, versionValue(c)) : compareText(eb, col, c, match)));
    } else {
      q = q.where((eb: any) => {
        let sub = eb
          .selectFrom(`${tagTable} as t`)
          .select('t.key')
          .whereRef('t.name', '=', `${tagTable === 'registered_model_tags' ? 'registered_models' : 'model_versions'}.name`)
          .where('t.key', '=', c.key);
        if (tagTable === 'model_version_tags') sub = sub.whereRef('t.version', '=', 'model_versions.version');
        return eb.exists(sub.where((e2: any) => compareText(e2, 't.value', c, match)));
      });
    }
  }
  return q;
}

export async function searchModels(
  db: Db,
  clauses: SimpleClause[],
  order: { key: string; ascending: boolean }[],
  offset: number,
  limit: number,
  match: TextMatch,
): Promise<RegisteredModelTable[]> {
  let q = applyClauses(db.selectFrom('registered_models').selectAll(), clauses, 'registered_model_tags', match);
  for (const o of order) q = q.orderBy(o.key === 'timestamp' ? 'last_updated_timestamp' : (o.key as 'name'), o.ascending ? 'asc' : 'desc');
  return q.orderBy('name', 'asc').offset(offset).limit(limit).execute();
}

export async function searchVersions(
  db: Db,
  clauses: SimpleClause[],
  order: { key: string; ascending: boolean }[],
  offset: number,
  limit: number,
  match: TextMatch,
): Promise<ModelVersionTable[]> {
  let q = applyClauses(db.selectFrom('model_versions').selectAll().where('deleted', '=', 0), clauses, 'model_version_tags', match);
  for (const o of order) q = q.orderBy(o.key === 'timestamp' ? 'last_updated_timestamp' : (o.key as 'name'), o.ascending ? 'asc' : 'desc');
  return q.orderBy('name', 'asc').orderBy('version', 'desc').offset(offset).limit(limit).execute();
}
