/**
 * Gathers a model version's stored facts into card sections: nothing is computed afresh, every value is one that
 * another capability already recorded (the registry's version, the run's params and metrics, the training data's
 * profiles and validations, the loop's gate verdicts, and what the injected providers hold).
 */
import type { LineageService, DatasetService } from '../data/index.js';
import type { RegistryService } from '../registry/index.js';
import type { RunService } from '../tracking/index.js';
import type { CardField } from '../contract/cards.js';
import type { CardRepo, LoopStepFact } from './card-repo.js';
import { mergedFields } from './card-fields.js';
import { jsonSafe } from './card-json.js';
import type { CardFacts, CardProviders, CheckRecord, SectionDraft, SectionProvider } from './card-types.js';

export interface CardSources {
  registry: RegistryService;
  runs: RunService;
  lineage: LineageService;
  datasets: DatasetService;
  repo: CardRepo;
  providers: CardProviders;
}

type Version = Awaited<ReturnType<RegistryService['getVersion']>>;
type Run = Awaited<ReturnType<RunService['get']>>;

const GIT_TAGS = ['mlflow.source.git.commit', 'ferry.git.commit'];
const newest = (times: (number | null | undefined)[]): number | null => {
  const t = times.filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
  return t.length === 0 ? null : Math.max(...t);
};
const byKey = <T extends { key: string }>(a: T, b: T) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
const isoMs = (iso: string | null | undefined) => (iso ? Date.parse(iso) : null);

export async function gatherFacts(src: CardSources, model: string, version: string): Promise<CardFacts> {
  const mv = await src.registry.getVersion(model, version);
  const registered = await src.registry.getModel(model);
  const run = mv.run_id ? await src.runs.get(mv.run_id).catch(() => null) : null;
  const steps = await src.repo.loopStepsOf(model, version);
  const job = mv.run_id ? await src.repo.jobOfRun(mv.run_id) : null;
  const fieldRows = await src.repo.fieldRows(model);
  const checks: CheckRecord[] = [];

  const sections: SectionDraft[] = [];
  sections.push(identity(mv, registered.description, run, steps, job));
  const fields = mergedFields(fieldRows, Number(version));
  sections.push(authored('uses', fields, ['intended_use', 'out_of_scope_uses', 'users', 'owner', 'contact'], model));
  sections.push(authored('risks', fields, ['limitations', 'ethical_considerations'], model));
  sections.push(await trainingData(src, model, version, checks));
  sections.push(trainingRun(mv, run, job));
  sections.push(evaluation(steps, checks));
  for (const id of ['fairness', 'explanations', 'monitoring', 'approvals'] as const) {
    sections.push(await provided(id, src.providers[id], model, version, checks));
  }
  loopChecks(steps, checks);
  return { model, version, sections: sections.map((s) => ({ ...s, facts: jsonSafe(s.facts) as Record<string, unknown> })), checks };
}

function identity(
  mv: Version,
  modelDescription: string | undefined,
  run: Run | null,
  steps: LoopStepFact[],
  job: Awaited<ReturnType<CardRepo['jobOfRun']>>,
): SectionDraft {
  const tags = Object.fromEntries([...mv.tags].sort(byKey).map((t) => [t.key, t.value]));
  const runTags = new Map((run?.data.tags ?? []).map((t) => [t.key, t.value]));
  const git = GIT_TAGS.map((k) => runTags.get(k)).find((v) => v !== undefined) ?? null;
  // The version a loop compared this candidate with is the one it was meant to replace: its parent.
  const parent = [...steps].reverse().find((s) => s.champion_version !== null)?.champion_version ?? tags['ferry.parent_version'] ?? null;
  return {
    id: 'identity',
    status: 'present',
    reason: null,
    as_of: newest([mv.last_updated_timestamp, mv.creation_timestamp]),
    facts: {
      name: mv.name,
      version: mv.version,
      model_description: modelDescription ?? '',
      description: mv.description ?? '',
      created_at: mv.creation_timestamp,
      created_by: mv.user_id ?? null,
      stage: mv.current_stage,
      status: mv.status,
      source: mv.source ?? null,
      model_id: mv.model_id ?? null,
      run_id: mv.run_id ?? null,
      git_commit: git,
      code_digest: job?.project_digest ?? null,
      parent_version: parent,
      aliases: [...mv.aliases].sort(),
      tags,
    },
  };
}

function authored(id: 'uses' | 'risks', fields: ReturnType<typeof mergedFields>, names: CardField[], model: string): SectionDraft {
  const facts: Record<string, unknown> = {};
  const times: number[] = [];
  for (const n of names) {
    const f = fields[n];
    facts[n] = f ? { text: f.text, set_at: f.level, updated_by: f.updated_by } : null;
    if (f) times.push(f.updated_at);
  }
  const present = names.some((n) => fields[n]);
  return {
    id,
    status: present ? 'present' : 'empty',
    reason: present ? null : `Nobody has written these fields yet: PUT /api/v1/models/${encodeURIComponent(model)}/card (ferry models card-edit).`,
    as_of: newest(times),
    facts,
  };
}

async function trainingData(src: CardSources, model: string, version: string, checks: CheckRecord[]): Promise<SectionDraft> {
  const lineage = await src.lineage.ofModelVersion(model, Number(version));
  if (!lineage.run)
    return { id: 'training_data', status: 'empty', reason: 'The version has no source run, so no training data is linked to it.', as_of: null, facts: {} };
  const inputs = [];
  const times: (number | null)[] = [];
  for (const input of lineage.datasets) {
    const versions = [];
    for (const dv of input.dataset_versions) {
      const view = await src.datasets.version(dv.dataset, String(dv.version), true).catch(() => null);
      // The newest result of each suite: what the data's checks say today.
      const lastBySuite = new Map<string, (typeof dv.validations)[number]>();
      for (const v of dv.validations) if (!lastBySuite.has(v.suite)) lastBySuite.set(v.suite, v);
      const validations = [...lastBySuite.values()]
        .sort((a, b) => (a.suite < b.suite ? -1 : a.suite > b.suite ? 1 : 0))
        .map((v) => ({ id: v.id, suite: v.suite, success: v.success, evaluated: v.evaluated, failed: v.failed, created_at: isoMs(v.created_at) }));
      for (const v of dv.validations) {
        checks.push({
          at: isoMs(v.created_at) ?? 0,
          actor: 'ferry',
          kind: 'data_validation',
          subject: `${dv.ref} suite ${v.suite}`,
          outcome: v.success ? 'passed' : 'failed',
          detail: `${v.evaluated} expectations evaluated, ${v.failed} failed (validation ${v.id}).`,
        });
      }
      const created = view ? isoMs(view.created_at) : null;
      times.push(created, ...validations.map((v) => v.created_at));
      versions.push({
        ref: dv.ref,
        digest: dv.digest,
        rows: dv.rows,
        created_at: created,
        created_by: view?.created_by ?? null,
        description: view?.description ?? '',
        columns: view && 'profile' in view ? view.profile.columns.map(columnSummary) : [],
        validations,
      });
    }
    inputs.push({ name: input.name, digest: input.digest, context: input.context ?? null, source_type: input.source_type ?? null, dataset_versions: versions });
  }
  if (inputs.length === 0)
    return {
      id: 'training_data',
      status: 'empty',
      reason: `Run ${lineage.run.run_id} logged no dataset inputs.`,
      as_of: null,
      facts: { run_id: lineage.run.run_id },
    };
  return { id: 'training_data', status: 'present', reason: null, as_of: newest(times), facts: { run_id: lineage.run.run_id, inputs } };
}

interface ColumnReportLike {
  name: string;
  type: string;
  nullable: boolean;
  summary: {
    count: number;
    nulls: number;
    null_rate: number | null;
    min: number | null;
    max: number | null;
    mean: number | null;
    std: number | null;
    unique_estimate?: number;
  };
}

function columnSummary(c: ColumnReportLike) {
  const s = c.summary;
  return {
    name: c.name,
    type: c.type,
    count: s.count,
    nulls: s.nulls,
    null_rate: s.null_rate,
    min: s.min,
    max: s.max,
    mean: s.mean,
    std: s.std,
    unique: s.unique_estimate ?? null,
  };
}

function trainingRun(mv: Version, run: Run | null, job: Awaited<ReturnType<CardRepo['jobOfRun']>>): SectionDraft {
  if (!mv.run_id) return { id: 'training_run', status: 'empty', reason: 'The version was registered without a source run.', as_of: null, facts: {} };
  if (!run)
    return {
      id: 'training_run',
      status: 'empty',
      reason: `The source run ${mv.run_id} is not stored on this server.`,
      as_of: null,
      facts: { run_id: mv.run_id },
    };
  const params = Object.fromEntries([...run.data.params].sort(byKey).map((p) => [p.key, p.value]));
  const metrics = Object.fromEntries([...run.data.metrics].sort(byKey).map((m) => [m.key, m.value]));
  const tags = Object.fromEntries(
    [...run.data.tags]
      .filter((t) => !t.key.startsWith('mlflow.log-model') && t.key !== 'mlflow.note.content')
      .sort(byKey)
      .map((t) => [t.key, t.value]),
  );
  const i = run.info;
  return {
    id: 'training_run',
    status: 'present',
    reason: null,
    as_of: newest([i.end_time ?? i.start_time, ...run.data.metrics.map((m) => m.timestamp)]),
    facts: {
      run_id: i.run_id,
      run_name: i.run_name,
      experiment_id: i.experiment_id,
      user: i.user_id,
      status: i.status,
      start_time: i.start_time,
      end_time: i.end_time ?? null,
      params,
      metrics,
      tags,
      job: job
        ? {
            job_id: job.job_id,
            project_digest: job.project_digest,
            entry_point: job.entry_point,
            executor: job.executor,
            state: job.state,
            submitted_by: job.submitted_by,
          }
        : null,
    },
  };
}

interface GateEvidenceLike {
  outcome?: string;
  reason?: string;
  baseline?: boolean;
  sources?: {
    source: string;
    label: string;
    dataset: { dataset: string; version: number } | null;
    window: { from: number; to: number } | null;
    rows: number;
    judged: boolean;
    not_judged: string | null;
    slices: {
      name: string;
      feature: string | null;
      rows: number;
      judged: boolean;
      metrics: { metric: string; rows: number; candidate: number | null; champion: number | null; delta: number | null; passed: boolean | null }[];
    }[];
  }[];
}

function parseJson<T>(text: string): T | null {
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
}

function evaluation(steps: LoopStepFact[], checks: CheckRecord[]): SectionDraft {
  const gates = steps.filter((s) => s.kind === 'evaluating' && (s.status === 'passed' || s.status === 'failed'));
  if (gates.length === 0)
    return { id: 'evaluation', status: 'empty', reason: 'No loop has evaluated this version at its offline gate.', as_of: null, facts: { evaluations: [] } };
  const evaluations = gates.map((g) => {
    const e = parseJson<GateEvidenceLike>(g.evidence) ?? {};
    checks.push({ at: g.at, actor: g.actor, kind: 'gate_evaluation', subject: `loop ${g.loop} run ${g.run_seq}`, outcome: g.status, detail: g.reason });
    return {
      loop: g.loop,
      run: g.run_seq,
      at: g.at,
      outcome: e.outcome ?? g.status,
      passed: g.status === 'passed',
      reason: g.reason,
      champion_version: g.champion_version,
      sources: (e.sources ?? []).map((s) => ({
        source: s.source,
        label: s.label,
        dataset: s.dataset ? `${s.dataset.dataset}@${s.dataset.version}` : null,
        window: s.window,
        rows: s.rows,
        judged: s.judged,
        not_judged: s.not_judged,
        slices: s.slices.map((sl) => ({
          name: sl.name,
          feature: sl.feature,
          rows: sl.rows,
          judged: sl.judged,
          metrics: sl.metrics.map((m) => ({ metric: m.metric, rows: m.rows, candidate: m.candidate, champion: m.champion, delta: m.delta, passed: m.passed })),
        })),
      })),
    };
  });
  return { id: 'evaluation', status: 'present', reason: null, as_of: newest(gates.map((g) => g.at)), facts: { evaluations } };
}

/** What to do about a section with nothing recorded, where it is one call away. */
const EMPTY: Partial<Record<string, string>> = {
  explanations:
    'No global importance is stored for this version; computing it (GET /api/v1/models/{name}/versions/{version}/importance) stores it, and the card shows the latest.',
};

async function provided(
  id: 'fairness' | 'explanations' | 'monitoring' | 'approvals',
  provider: SectionProvider | undefined,
  model: string,
  version: string,
  checks: CheckRecord[],
): Promise<SectionDraft> {
  if (!provider) return { id, status: 'unavailable', reason: `This server has no source of ${id} facts wired in.`, as_of: null, facts: {} };
  const got = await provider(model, version);
  if (!got) return { id, status: 'empty', reason: EMPTY[id] ?? `No ${id} facts are recorded for this version.`, as_of: null, facts: {} };
  checks.push(...(got.checks ?? []));
  return { id, status: 'present', reason: null, as_of: got.as_of, facts: got.facts };
}

/** Approvals, promotions and rollbacks the loop recorded: the alias moves it made, for the test log. */
function loopChecks(steps: LoopStepFact[], checks: CheckRecord[]): void {
  for (const s of steps) {
    if (s.kind === 'evaluating') continue;
    const kind = s.kind === 'promoted' || s.kind === 'rolled_back' ? 'alias_move' : s.kind === 'approved' ? 'approval' : 'loop_step';
    checks.push({ at: s.at, actor: s.actor, kind, subject: `loop ${s.loop} run ${s.run_seq}: ${s.kind}`, outcome: s.status, detail: s.reason });
  }
}
