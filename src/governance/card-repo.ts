/**
 * Queries behind model cards: the authored fields (model_card_fields), and the stored facts other capabilities
 * keep in tables their public surfaces do not list by model version — loop steps about a candidate version (the
 * offline gate's verdicts, approvals and promotions), the job that trained a run, and audit rows about a model.
 */
import type { Kysely } from 'kysely';
import type { Database, ModelCardFieldsTable, Store } from '../store/index.js';

type Db = Kysely<Database>;

export interface LoopStepFact {
  loop: string;
  run_id: string;
  run_seq: number;
  seq: number;
  kind: string;
  status: string;
  actor: string;
  at: number;
  reason: string;
  evidence: string;
  links: string;
  champion_version: string | null;
}

export interface JobFact {
  job_id: string;
  state: string;
  executor: string;
  project_digest: string;
  entry_point: string;
  submitted_by: string;
  submitted_at: number;
  finished_at: number | null;
}

export interface AuditFact {
  audit_id: number;
  ts: number;
  actor: string;
  action: string;
  path: string;
  status: number;
}

/** How far back the report's test log reads the audit log for one model's rows. */
const AUDIT_SCAN = 20_000;

export class CardRepo {
  constructor(private readonly store: Store) {}

  private get db(): Db {
    return this.store.db;
  }

  async fieldRows(model: string): Promise<ModelCardFieldsTable[]> {
    const rows = await this.db.selectFrom('model_card_fields').selectAll().where('model', '=', model).orderBy('version').execute();
    return rows.map((r) => ({ ...r, version: Number(r.version), updated_at: Number(r.updated_at) }));
  }

  /** Replaces one level's fields (read-modify-write happens in the service under one transaction). */
  async saveFields(row: ModelCardFieldsTable): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('model_card_fields').where('model', '=', row.model).where('version', '=', row.version).execute();
      if (row.fields !== '{}') await trx.insertInto('model_card_fields').values(row).execute();
    });
  }

  /** Steps of loop runs whose candidate was this version (gate verdicts, approvals, promotions), oldest first. */
  async loopStepsOf(model: string, version: string): Promise<LoopStepFact[]> {
    const rows = await this.db
      .selectFrom('loop_steps as s')
      .innerJoin('loop_runs as r', 'r.id', 's.run_id')
      .innerJoin('loops as l', 'l.name', 'r.loop')
      .select([
        'r.loop as loop',
        'r.id as run_id',
        'r.seq as run_seq',
        's.seq as seq',
        's.kind as kind',
        's.status as status',
        's.actor as actor',
        's.at as at',
        's.reason as reason',
        's.evidence as evidence',
        's.links as links',
        'r.champion_version as champion_version',
      ])
      .where('l.model', '=', model)
      .where('r.candidate_version', '=', version)
      .where('s.kind', 'in', ['evaluating', 'awaiting_approval', 'approved', 'promoted', 'rolled_back', 'rejected'])
      .orderBy('s.at')
      .orderBy('r.id')
      .orderBy('s.seq')
      .execute();
    return rows.map((r) => ({ ...r, run_seq: Number(r.run_seq), seq: Number(r.seq), at: Number(r.at) }));
  }

  /** The job that ran a tracking run (a loop's training step or `ferry jobs submit`), if one did. */
  async jobOfRun(runId: string): Promise<JobFact | null> {
    const row = await this.db
      .selectFrom('jobs')
      .select(['job_id', 'state', 'executor', 'project_digest', 'entry_point', 'submitted_by', 'submitted_at', 'finished_at'])
      .where('run_id', '=', runId)
      .orderBy('submitted_at', 'desc')
      .executeTakeFirst();
    if (!row) return null;
    return { ...row, submitted_at: Number(row.submitted_at), finished_at: row.finished_at === null ? null : Number(row.finished_at) };
  }

  /**
   * Audit rows about a model: native routes under /api/v1/models/NAME/ and alias changes. The MLflow alias routes
   * carry the name in the body or query string, which the audit log does not keep, so those rows are matched only
   * when their path names the model; the loop's alias moves come from its steps instead.
   */
  async auditOf(model: string): Promise<AuditFact[]> {
    const rows = await this.db
      .selectFrom('audit_log')
      .select(['audit_id', 'ts', 'actor', 'action', 'path', 'status'])
      .where((eb) => eb.or([eb('path', 'like', '%/models/%'), eb('action', 'like', '%alias%'), eb('action', 'like', 'model.%')]))
      .orderBy('audit_id', 'desc')
      .limit(AUDIT_SCAN)
      .execute();
    const segment = `/models/${encodeURIComponent(model)}/`;
    const out: AuditFact[] = [];
    for (const r of rows) {
      const path = r.path.endsWith('/') ? r.path : `${r.path}/`;
      if (!path.includes(segment) && !pathNames(path, model)) continue;
      out.push({ audit_id: Number(r.audit_id), ts: Number(r.ts), actor: r.actor, action: r.action, path: r.path, status: Number(r.status) });
    }
    return out.reverse();
  }
}

/** A path whose model segment, decoded, is the model (clients encode differently: %20 or +, upper or lower hex). */
function pathNames(path: string, model: string): boolean {
  const m = /\/models\/([^/]+)\//.exec(path);
  if (!m) return false;
  try {
    return decodeURIComponent(m[1]!.replace(/\+/g, ' ')) === model;
  } catch {
    return false;
  }
}

export interface FairnessReportFact {
  id: number;
  dataset: string;
  dataset_version: number;
  spec: string;
  result: string;
  created_at: number;
  created_by: string;
}

/** Stored fairness reports of a version (the fairness capability writes them), newest first. */
export async function fairnessReportsOf(store: Store, model: string, version: string, limit = 50): Promise<FairnessReportFact[]> {
  const rows = await store.db
    .selectFrom('fairness_reports')
    .select(['id', 'dataset', 'dataset_version', 'spec', 'result', 'created_at', 'created_by'])
    .where('model', '=', model)
    .where('version', '=', version)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ ...r, id: Number(r.id), dataset_version: Number(r.dataset_version), created_at: Number(r.created_at) }));
}

/** Deployments whose traffic to this version number was profiled: the newest window and the last write of each. */
export async function profiledDeployments(store: Store, version: string): Promise<{ deployment: string; newest_window: number; updated_at: number }[]> {
  const rows = await store.db
    .selectFrom('profiles')
    .select((eb) => ['deployment', eb.fn.max('window_start').as('newest_window'), eb.fn.max('updated_at').as('updated_at')])
    .where('model_version', '=', version)
    .groupBy('deployment')
    .orderBy('deployment')
    .execute();
  return rows.map((r) => ({ deployment: r.deployment, newest_window: Number(r.newest_window), updated_at: Number(r.updated_at) }));
}
