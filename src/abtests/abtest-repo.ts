/** Queries of A/B tests: the tests, their units' exposures, and outcome events (the report's live in report-query.ts). */
import { type Kysely, sql } from 'kysely';
import type { AbTestTable, AbTestUnitTable, Database, OutcomeTable } from '../store/index.js';

type Db = Kysely<Database>;

/** Rows per INSERT: well under SQLite's and PostgreSQL's bound-parameter limits. */
const CHUNK = 1000;

export async function insertTest(db: Db, row: AbTestTable): Promise<void> {
  await db.insertInto('abtests').values(row).execute();
}

export async function getByName(db: Db, name: string): Promise<AbTestTable | undefined> {
  return db.selectFrom('abtests').selectAll().where('name', '=', name).executeTakeFirst();
}

export async function list(db: Db, f: { deployment?: string | undefined; state?: string | undefined } = {}): Promise<AbTestTable[]> {
  let q = db.selectFrom('abtests').selectAll();
  if (f.deployment !== undefined) q = q.where('deployment', '=', f.deployment);
  if (f.state !== undefined) q = q.where('state', '=', f.state);
  return q.orderBy('created_at', 'desc').orderBy('name', 'asc').execute();
}

/** The running test of a deployment, if any. */
export async function runningOf(db: Db, deployment: string): Promise<AbTestTable | undefined> {
  return db.selectFrom('abtests').selectAll().where('deployment', '=', deployment).where('state', '=', 'running').executeTakeFirst();
}

/** Moves a test from one state to another; false when it was not in `from` any more (someone else moved it). */
export async function transition(
  db: Db,
  id: string,
  from: string,
  patch: Partial<Pick<AbTestTable, 'state' | 'started_at' | 'stopped_at' | 'stopped_by' | 'stop_reason'>>,
): Promise<boolean> {
  const r = await db.updateTable('abtests').set(patch).where('abtest_id', '=', id).where('state', '=', from).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/**
 * Adds exposures: a new unit is inserted with its arm; a known one keeps its arm and widens its span
 * (first_ts the earliest, last_ts the latest) and adds its requests. CASE rather than min()/least(): one
 * spelling for both engines.
 */
export async function upsertUnits(db: Db, rows: AbTestUnitTable[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    await db
      .insertInto('abtest_units')
      .values(rows.slice(i, i + CHUNK))
      .onConflict((oc) =>
        oc.columns(['abtest_id', 'unit']).doUpdateSet({
          first_ts: sql`case when excluded.first_ts < abtest_units.first_ts then excluded.first_ts else abtest_units.first_ts end`,
          last_ts: sql`case when excluded.last_ts > abtest_units.last_ts then excluded.last_ts else abtest_units.last_ts end`,
          requests: sql`abtest_units.requests + excluded.requests`,
        }),
      )
      .execute();
  }
}

export async function insertOutcomes(db: Db, rows: OutcomeTable[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK)
    await db
      .insertInto('outcomes')
      .values(rows.slice(i, i + CHUNK))
      .execute();
}

/** Which of these (keyed) units some A/B test has exposed. */
export async function exposedUnits(db: Db, units: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  const distinct = [...new Set(units)];
  for (let i = 0; i < distinct.length; i += CHUNK) {
    const rows = await db
      .selectFrom('abtest_units')
      .select('unit')
      .distinct()
      .where('unit', 'in', distinct.slice(i, i + CHUNK))
      .execute();
    for (const r of rows) found.add(r.unit);
  }
  return found;
}
