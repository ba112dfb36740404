/** The few queries a Prometheus scrape of the loops makes: four, whatever the number of loops. */
import type { Kysely } from 'kysely';
import type { Database } from '../store/index.js';

type Db = Kysely<Database>;

export interface LastRunRow {
  id: string;
  loop: string;
  seq: number;
  state: string;
}

export interface JudgedStepRow {
  run_id: string;
  seq: number;
  kind: string;
  status: string;
  evidence: string;
}

/** Every loop with its last run (null when it has not run). */
export async function loopsWithLastRun(db: Db): Promise<{ name: string; run: LastRunRow | null }[]> {
  const loops = await db.selectFrom('loops').select('name').orderBy('name').execute();
  const runs = await db
    .selectFrom('loop_runs as r')
    .select(['r.id', 'r.loop', 'r.seq', 'r.state'])
    .where('r.seq', '=', (eb) =>
      eb
        .selectFrom('loop_runs as r2')
        .select((e) => e.fn.max('r2.seq').as('m'))
        .whereRef('r2.loop', '=', 'r.loop'),
    )
    .execute();
  const byLoop = new Map(runs.map((r) => [r.loop, { ...r, seq: Number(r.seq) }]));
  return loops.map((l) => ({ name: l.name, run: byLoop.get(l.name) ?? null }));
}

/** The judge's records (shadow, canary) and the ending (promoted, rolled back) of the given runs, in order. */
export async function judgedSteps(db: Db, runIds: string[]): Promise<JudgedStepRow[]> {
  if (runIds.length === 0) return [];
  return db
    .selectFrom('loop_steps')
    .select(['run_id', 'seq', 'kind', 'status', 'evidence'])
    .where('run_id', 'in', runIds)
    .where('kind', 'in', ['shadow', 'canary', 'promoted', 'rolled_back'])
    .orderBy('run_id')
    .orderBy('seq')
    .execute();
}

/** Ended runs by loop and state. */
export async function endedRunCounts(db: Db): Promise<{ loop: string; state: string; n: number }[]> {
  const rows = await db
    .selectFrom('loop_runs')
    .select(['loop', 'state', (eb) => eb.fn.countAll().as('n')])
    .where('ended_at', 'is not', null)
    .groupBy(['loop', 'state'])
    .execute();
  return rows.map((r) => ({ loop: r.loop, state: r.state, n: Number(r.n) }));
}
