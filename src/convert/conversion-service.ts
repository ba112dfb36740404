/**
 * ONNX conversions of model versions logged with their sklearn, xgboost or lightgbm flavor: a conversion is a job
 * of the built-in project (projects/onnx-convert, an MLflow Project) that converts with skl2onnx / onnxmltools,
 * checks the ONNX model against the original on the input example and a sample of the training data, and writes
 * `<version's folder>/ferry-onnx/model.onnx` (when the check passed) and `conversion.json` (always). This service
 * starts those jobs, follows them (on read, and from the runtime's ticker), records the report, and mirrors a
 * summary on the version as tags, so the mlflow client sees it too.
 */
import { randomBytes } from 'node:crypto';
import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import type { Static } from '@sinclair/typebox';
import type { Principal } from '../api-route.js';
import type { ArtifactStore } from '../artifacts/index.js';
import type { Conversion, ConversionCheck } from '../contract/conversions.js';
import { InvalidParameterError, isFerryError, NotFoundError } from '../errors.js';
import type { JobInfo, JobService } from '../jobs/index.js';
import type { RegistryService } from '../registry/index.js';
import { type AuditLogTable, isUniqueViolation, type ModelConversionTable, type Store } from '../store/index.js';
import { readProjectDir } from './builtin-project.js';
import * as repo from './conversion-repo.js';
import { type MlmodelFacts, readMlmodel } from './mlmodel.js';

export type ConversionInfo = Static<typeof Conversion>;
type Check = Static<typeof ConversionCheck>;

export const TAG_STATE = 'ferry.onnx.conversion';
export const TAG_CHECK = 'ferry.onnx.check';
export const TAG_JOB = 'ferry.onnx.job_id';
/** The folder beside the original model's files where the job writes. */
export const ONNX_FOLDER = 'ferry-onnx';
/** Who a conversion started by a deploy is credited to (the loader does not know the deploying caller). */
export const DEPLOY_PRINCIPAL: Principal = { name: 'ferry:deploy', role: 'editor', kind: 'token' };

/** Why a conversion was started: recorded in the audit log. */
export type Trigger = 'request' | 'registration' | 'deploy';

export interface ConversionDeps {
  store: Store;
  artifacts: ArtifactStore;
  registry: RegistryService;
  jobs: JobService;
  /** The folder of the conversion project (projects/onnx-convert of the package). */
  projectDir: string;
  /** The executor conversion jobs run on (FERRY_CONVERT_EXECUTOR, default local). */
  executor: string;
  /** How long a deploy waits for a conversion under way (FERRY_CONVERT_WAIT_SECONDS). */
  waitMs: number;
  /** How often a waiting deploy looks at the job. */
  pollMs: number;
  /** The dataset versions the model version was trained on (data's lineage); the first is sampled for the check. */
  trainingData?: (model: string, version: string) => Promise<{ dataset: string; version: number }[]>;
  audit?: (e: Omit<AuditLogTable, 'audit_id'>) => Promise<void>;
  log?: { warn(o: object, m: string): void };
}

/** What the job writes to conversion.json (the fields Ferry reads; the rest is kept in the report as it is). */
interface JobReport {
  status?: string;
  flavor?: string | null;
  estimator?: string | null;
  step?: string | null;
  error?: string | null;
  check?: Record<string, unknown> | null;
}

const STEPS = ['load', 'types', 'convert', 'verify', 'upload', 'job'] as const;
type Step = (typeof STEPS)[number];

/** The most of an MLmodel file or a conversion.json Ferry reads: both are written by code Ferry does not control. */
export const MAX_READ_BYTES = 1024 * 1024;

/** A small file of the store as text; null when it is larger than MAX_READ_BYTES (its stream left unread). */
async function readSmall(artifacts: ArtifactStore, path: string): Promise<{ text: string | null; size: number }> {
  const { stream, size } = await artifacts.get(path);
  if (size > MAX_READ_BYTES) {
    (stream as Readable).destroy();
    return { text: null, size };
  }
  const parts: Buffer[] = [];
  let n = 0;
  for await (const c of stream) {
    n += (c as Buffer).length;
    if (n > MAX_READ_BYTES) {
      (stream as Readable).destroy();
      return { text: null, size: n };
    }
    parts.push(c as Buffer);
  }
  return { text: Buffer.concat(parts).toString('utf8'), size: n };
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const bool = (v: unknown): boolean | null => (typeof v === 'boolean' ? v : null);

/** The report's check, keeping only fields of the contract's types (the job is code Ferry does not control). */
function checkOf(report: JobReport | null): Check | null {
  const c = report?.check;
  if (!c || typeof c !== 'object') return null;
  const rows =
    c['rows'] && typeof c['rows'] === 'object'
      ? Object.fromEntries(Object.entries(c['rows'] as Record<string, unknown>).map(([k, v]) => [k, Number.isInteger(v) ? (v as number) : null]))
      : null;
  const compared = Array.isArray(c['compared']) ? (c['compared'] as unknown[]).map(String) : typeof c['compared'] === 'string' ? [c['compared']] : null;
  return {
    tolerance: num(c['tolerance']),
    passed: bool(c['passed']),
    max_abs_diff: num(c['max_abs_diff']),
    compared,
    labels_equal: bool(c['labels_equal']),
    rows,
    training_data: typeof c['training_data'] === 'string' ? c['training_data'] : null,
  };
}

function fmt(x: number | null | undefined): string {
  if (x === null || x === undefined) return 'n/a';
  return x === 0 ? '0' : Math.abs(x) < 1e-3 || Math.abs(x) >= 1e4 ? x.toExponential(2) : String(Number(x.toPrecision(4)));
}

/** The conversion in a sentence: what a deploy refused with, what the CLI prints. */
export function conversionSentence(row: ModelConversionTable, check: Check | null): string {
  const what = `Model ${row.model} version ${row.version}`;
  const of = [row.estimator, row.flavor ? `${row.flavor} flavor` : null].filter(Boolean).join(', ');
  switch (row.state) {
    case 'queued':
      return `${what}: the ONNX conversion is queued (job ${row.job_id}).`;
    case 'running':
      return `${what}: the ONNX conversion is running (job ${row.job_id}).`;
    case 'succeeded': {
      const rows = Object.entries(check?.rows ?? {})
        .filter(([, n]) => n !== null)
        .map(([k, n]) => `${n} ${k.replace(/_/g, ' ')} rows`)
        .join(' and ');
      const labels = check?.labels_equal === true ? ', labels equal' : '';
      return (
        `${what} was converted to ONNX${of ? ` from ${of}` : ''} and checked against the original: max abs difference ` +
        `${fmt(check?.max_abs_diff)} (tolerance ${fmt(check?.tolerance)})${rows ? ` on ${rows}` : ''}${labels}.`
      );
    }
    default: {
      if (row.step === 'job')
        return `${what} cannot be converted to ONNX: the conversion job failed before reporting (job ${row.job_id}): ${row.error ?? 'no reason given'}`;
      return (
        `${what} cannot be converted to ONNX: the ${row.step ?? 'conversion'} step failed` +
        `${row.estimator ? ` for estimator ${row.estimator}` : ''}${row.flavor ? ` (${row.flavor} flavor)` : ''}: ${row.error ?? 'no reason given'}`
      );
    }
  }
}

export function conversionView(row: ModelConversionTable): ConversionInfo {
  const report = row.report ? (JSON.parse(row.report) as JobReport) : null;
  const check = checkOf(report);
  return {
    model: row.model,
    version: row.version,
    state: row.state as ConversionInfo['state'],
    job_id: row.job_id,
    flavor: row.flavor,
    estimator: row.estimator,
    step: (STEPS as readonly string[]).includes(row.step ?? '') ? (row.step as Step) : null,
    error: row.error,
    check,
    onnx_path: row.onnx_path,
    message: conversionSentence(row, check),
    requested_by: row.requested_by,
    created_at: new Date(row.created_at).toISOString(),
    updated_at: new Date(row.updated_at).toISOString(),
  };
}

/**
 * conversion.json as Python's json module writes it: a difference that is not finite comes out as the bare token
 * NaN or Infinity, which JSON does not have; read as null (never a number) when the strict parse fails.
 */
function parseReport(text: string): JobReport | null {
  for (const t of [text, text.replace(/-?\bInfinity\b|\bNaN\b/g, 'null')]) {
    try {
      const v = JSON.parse(t) as unknown;
      return v && typeof v === 'object' && !Array.isArray(v) ? (v as JobReport) : null;
    } catch {
      // the next reading, or none
    }
  }
  return null;
}

/** How long a conversion's job may take to appear after its row (the submit stores the project, makes the run). */
const SUBMIT_GRACE_MS = 120_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Where one conversion job writes: `<version's folder>/ferry-onnx/<job id>/` (model.onnx, conversion.json). */
export const jobFolder = (base: string, jobId: string) => `${base}/${ONNX_FOLDER}/${jobId}`;

export class ConversionService {
  /** One sync per conversion at a time on this server (a ticker and a waiting deploy may ask together). */
  private syncing = new Map<string, Promise<ModelConversionTable>>();

  constructor(private readonly d: ConversionDeps) {}

  private get db() {
    return this.d.store.db;
  }

  /**
   * Where the version's files are and what its MLmodel holds; refuses (field `model`) what cannot be converted:
   * files elsewhere, an ONNX file or flavor already, no sklearn/xgboost/lightgbm flavor.
   */
  async inspect(model: string, version: string): Promise<{ base: string; facts: MlmodelFacts }> {
    const { artifact_uri, store_path: base } = await this.d.registry.versionStorage(model, version);
    const what = `Model ${model} version ${version}`;
    if (base === null)
      throw new InvalidParameterError('model', `${what} lives at '${artifact_uri}', which this server does not store, so Ferry cannot convert it.`);
    if (base.endsWith('.onnx')) throw new InvalidParameterError('model', `${what} is an ONNX file already: there is nothing to convert.`);
    const read = await readSmall(this.d.artifacts, `${base}/MLmodel`).catch((err: unknown) => {
      if (isFerryError(err) && err.code === 'RESOURCE_DOES_NOT_EXIST')
        throw new InvalidParameterError('model', `${what} has no MLmodel file at '${artifact_uri}': log it with an MLflow flavor to convert it.`);
      throw err;
    });
    if (read.text === null)
      throw new InvalidParameterError('model', `${what}'s MLmodel file is ${read.size} bytes, more than the ${MAX_READ_BYTES} Ferry reads.`);
    const facts = readMlmodel(read.text);
    if (facts.hasOnnx) throw new InvalidParameterError('model', `${what} has an onnx flavor already: there is nothing to convert.`);
    if (!facts.convertible)
      throw new InvalidParameterError(
        'model',
        `${what} has no sklearn, xgboost or lightgbm flavor to convert (its flavors: ${facts.flavors.join(', ') || 'none'}); ` +
          'log an ONNX model (mlflow.onnx.log_model) or one of those flavors.',
      );
    return { base, facts };
  }

  /** The conversion as stored, followed to its job's present state; undefined when none was started. */
  async current(model: string, version: string): Promise<ModelConversionTable | undefined> {
    const row = await repo.findConversion(this.db, model, version);
    if (!row) return undefined;
    // A model deleted or renamed, then registered again under its name, numbers its versions from 1 again: a
    // conversion made for another version of that name and number is forgotten, never served.
    if (row.version_created_at !== null && Number(row.version_created_at) !== (await this.versionCreatedAt(model, version))) {
      await repo.deleteConversion(this.db, model, version, row.job_id);
      return undefined;
    }
    return this.sync(row);
  }

  private async versionCreatedAt(model: string, version: string): Promise<number> {
    return Number((await this.d.registry.getVersion(model, version)).creation_timestamp);
  }

  async get(model: string, version: string): Promise<ConversionInfo> {
    await this.d.registry.getVersion(model, version);
    const row = await this.current(model, version);
    if (!row) throw new NotFoundError(`Model ${model} version ${version} has no ONNX conversion; start one (POST …/conversion or ferry models convert).`);
    return conversionView(row);
  }

  /**
   * Starts a conversion. Answers the one under way, or the succeeded one unless `force`, without starting another
   * (`started: false`); a failed one is started again.
   */
  async start(
    model: string,
    version: string,
    who: Principal,
    o: { force?: boolean; trigger?: Trigger } = {},
  ): Promise<{ conversion: ConversionInfo; started: boolean }> {
    const { base, facts } = await this.inspect(model, version);
    const existing = await this.current(model, version);
    if (existing && (existing.state === 'queued' || existing.state === 'running')) return { conversion: conversionView(existing), started: false };
    if (existing && existing.state === 'succeeded' && !o.force) return { conversion: conversionView(existing), started: false };

    const files = await readProjectDir(this.d.projectDir).catch((err: unknown) => {
      throw new Error(`The conversion project is missing at '${this.d.projectDir}' (projects/onnx-convert of Ferry's package): ${(err as Error).message}`);
    });
    const { project } = await this.d.jobs.storeProject(files, who.name, 'onnx-convert');
    const now = Date.now();
    const jobId = `job-${randomBytes(16).toString('hex')}`;
    const row: ModelConversionTable = {
      model,
      version,
      job_id: jobId,
      state: 'queued',
      flavor: facts.convertible,
      estimator: null,
      step: null,
      error: null,
      report: null,
      onnx_path: null,
      requested_by: who.name,
      version_created_at: await this.versionCreatedAt(model, version),
      created_at: now,
      updated_at: now,
    };
    if (existing) {
      if (!(await repo.replaceConversion(this.db, existing.job_id, row))) return { conversion: await this.get(model, version), started: false };
    } else {
      const raced = await repo.insertConversion(this.db, row).then(
        () => false,
        (err: unknown) => {
          if (isUniqueViolation(err)) return true;
          throw err;
        },
      );
      if (raced) return { conversion: await this.get(model, version), started: false };
    }
    const training = (await this.d.trainingData?.(model, version).catch(() => []))?.[0];
    let job: JobInfo;
    try {
      job = await this.d.jobs.submit(
        {
          project: project.digest,
          entry_point: 'main',
          parameters: {
            model,
            version,
            source: `mlflow-artifacts:/${base}`,
            // A folder of this job's own: versions registered from the same files share `base`, and a previous
            // conversion's file may still be served while this one runs.
            destination: `mlflow-artifacts:/${jobFolder(base, jobId)}`,
            training_data: training ? `${training.dataset}@${training.version}` : '',
          },
          executor: this.d.executor,
          env_manager: 'local',
          experiment_name: 'ferry-onnx-conversions',
          run_name: `convert ${model} v${version}`,
        },
        who,
        { jobId },
      );
    } catch (err) {
      // Nothing will run: the conversion fails with the reason (a later start tries again).
      await repo.updateConversion(this.db, { model, version, jobId }, { state: 'failed', step: 'job', error: (err as Error).message, updated_at: Date.now() });
      await this.mirror((await repo.findConversion(this.db, model, version))!);
      throw err;
    }
    await this.mirror(row);
    await this.d.audit?.({
      ts: now,
      actor: who.name,
      action: `model.convert.${o.trigger ?? 'request'}`,
      method: 'POST',
      path: `/api/v1/models/${encodeURIComponent(model)}/versions/${version}/conversion`,
      status: 202,
      ip: '',
    });
    return { conversion: conversionView({ ...row, job_id: job.job_id }), started: true };
  }

  /** At registration: converts a version that has a convertible flavor and no ONNX one; anything else is left as it is. */
  async onRegistered(model: string, version: string, who: Principal): Promise<void> {
    const convertible = await this.inspect(model, version).then(
      () => true,
      (err: unknown) => {
        if (isFerryError(err) && err.code === 'INVALID_PARAMETER_VALUE') return false;
        throw err;
      },
    );
    if (!convertible || (await this.current(model, version))) return;
    await this.start(model, version, who, { trigger: 'registration' });
  }

  /**
   * What a deploy serves for a version without an onnx flavor: the converted file. Waits for a conversion under way
   * (at most waitMs), starts one when there is none; a failed one (or one still running at the deadline) is
   * refused with its sentence, naming the step and the estimator.
   */
  async servingPath(model: string, version: string): Promise<string> {
    // Forgotten while the deploy waits: the model was deleted and registered again under its name meanwhile.
    const now = async () => {
      const r = await this.current(model, version);
      if (!r)
        throw new InvalidParameterError(
          'model',
          `Model ${model} version ${version} was registered again while its ONNX conversion ran; deploy it again to convert it.`,
        );
      return r;
    };
    let row = await this.current(model, version);
    if (!row) {
      await this.start(model, version, DEPLOY_PRINCIPAL, { trigger: 'deploy' });
      row = await now();
    }
    const deadline = Date.now() + this.d.waitMs;
    while (row.state === 'queued' || row.state === 'running') {
      if (Date.now() >= deadline)
        throw new InvalidParameterError(
          'model',
          `Model ${model} version ${version}: its ONNX conversion is still ${row.state} after ${Math.round(this.d.waitMs / 1000)} s ` +
            `(job ${row.job_id}); deploy again once 'ferry models convert ${model} ${version}' shows it succeeded.`,
        );
      await sleep(Math.min(this.d.pollMs, Math.max(1, deadline - Date.now())));
      row = await now();
    }
    if (row.state === 'succeeded' && row.onnx_path) return row.onnx_path;
    throw new InvalidParameterError('model', conversionSentence(row, checkOf(row.report ? (JSON.parse(row.report) as JobReport) : null)));
  }

  /** Follows every conversion under way (the runtime's ticker), so tags and waiting deploys see the end promptly. */
  async syncActive(): Promise<void> {
    // One conversion that cannot be followed must not stop the others (the oldest are read first).
    for (const row of await repo.activeConversions(this.db, 100))
      await this.sync(row).catch((err: unknown) =>
        this.d.log?.warn({ err, model: row.model, version: row.version, job: row.job_id }, 'conversion not followed'),
      );
  }

  private sync(row: ModelConversionTable): Promise<ModelConversionTable> {
    if (row.state === 'succeeded' || row.state === 'failed') return Promise.resolve(row);
    const key = `${row.model}\0${row.version}\0${row.job_id}`;
    let p = this.syncing.get(key);
    if (!p) {
      p = this.syncOnce(row).finally(() => this.syncing.delete(key));
      this.syncing.set(key, p);
    }
    return p;
  }

  private async syncOnce(row: ModelConversionTable): Promise<ModelConversionTable> {
    // A model deleted (or renamed) and registered again under its name while this converted: the new version of
    // that number is not this conversion's, and must get neither its result nor its tags.
    const created = await this.versionCreatedAt(row.model, row.version).catch((err: unknown) => {
      if (isFerryError(err) && err.code === 'RESOURCE_DOES_NOT_EXIST') return null;
      throw err;
    });
    if (created !== null && row.version_created_at !== null && Number(row.version_created_at) !== created) {
      await repo.deleteConversion(this.db, row.model, row.version, row.job_id);
      return { ...row, state: 'failed', step: 'job', error: `Model ${row.model} version ${row.version} was deleted while it was converted.` };
    }
    const job = await this.d.jobs.get(row.job_id).catch((err: unknown) => {
      if (isFerryError(err) && err.code === 'RESOURCE_DOES_NOT_EXIST') return null;
      throw err;
    });
    let patch: Partial<ModelConversionTable>;
    // The row is written before its job is submitted (so two starts cannot both submit one): a job not there yet is
    // on its way, unless the row has waited past any submit.
    if (job === null && Date.now() - row.updated_at < SUBMIT_GRACE_MS) return row;
    if (job === null) patch = { state: 'failed', step: 'job', error: `The job ${row.job_id} is gone.` };
    else if (job.state === 'queued' || job.state === 'starting') return row;
    else if (job.state === 'running') {
      if (row.state === 'running') return row;
      patch = { state: 'running' };
    } else patch = await this.outcome(row, job);
    const next: ModelConversionTable = { ...row, ...patch, updated_at: Date.now() };
    const { model, version, job_id: jobId, ...rest } = next;
    if (!(await repo.updateConversion(this.db, { model, version, jobId }, rest))) {
      // Replaced meanwhile (a forced conversion): answer what is stored now.
      return (await repo.findConversion(this.db, model, version)) ?? next;
    }
    await this.mirror(next);
    return next;
  }

  /** An ended job's result: its conversion.json when it wrote one, else the job's own message. */
  private async outcome(row: ModelConversionTable, job: JobInfo): Promise<Partial<ModelConversionTable>> {
    const storage = await this.d.registry.versionStorage(row.model, row.version).catch((err: unknown) => {
      if (isFerryError(err) && err.code === 'RESOURCE_DOES_NOT_EXIST') return null;
      throw err;
    });
    if (!storage) return { state: 'failed', step: 'job', error: `Model ${row.model} version ${row.version} was deleted while it was converted.` };
    if (storage.store_path === null)
      return {
        state: 'failed',
        step: 'job',
        error: `Model ${row.model} version ${row.version} lives at '${storage.artifact_uri}', which this server does not store.`,
      };
    const folder = jobFolder(storage.store_path, row.job_id);
    const read = await readSmall(this.d.artifacts, `${folder}/conversion.json`).catch(() => null);
    const report = read === null || read.text === null ? null : parseReport(read.text);
    if (!report) {
      const why = (job.message ?? `The job ${job.state}`).replace(/\.$/, '');
      const wrote =
        read === null
          ? 'no conversion.json'
          : read.text === null
            ? `a conversion.json of ${read.size} bytes, more than the ${MAX_READ_BYTES} Ferry reads`
            : 'a conversion.json that is not a JSON object';
      return { state: 'failed', step: 'job', error: `${why}; it wrote ${wrote}.` };
    }
    // Kept short: they reach the refusal of a deploy, the CLI and the version's page.
    const str = (v: unknown) => (typeof v === 'string' && v !== '' ? (v.length > 4000 ? `${v.slice(0, 4000)}…` : v) : null);
    const base_ = { flavor: str(report.flavor) ?? row.flavor, estimator: str(report.estimator), report: JSON.stringify(report) };
    const hasOnnx = await this.d.artifacts.list(folder).then((fs) => fs.some((f) => !f.is_dir && posix.basename(f.path) === 'model.onnx'));
    // Served only once checked: a check that says it passed, with a difference within its tolerance when it gives both.
    const check = checkOf(report);
    const verified =
      check?.passed === true && !(typeof check.max_abs_diff === 'number' && typeof check.tolerance === 'number' && check.max_abs_diff > check.tolerance);
    if (report.status === 'succeeded' && job.state === 'succeeded' && verified && hasOnnx)
      return { ...base_, state: 'succeeded', step: null, error: null, onnx_path: `${folder}/model.onnx` };
    // A report of success that Ferry cannot take: the check did not pass, no model.onnx, or the job itself failed.
    const reported = str(report.step);
    const step = reported !== null && (STEPS as readonly string[]).includes(reported) ? reported : null;
    let error = str(report.error);
    let fallback: Step = 'job';
    if (report.status === 'succeeded') {
      if (!verified)
        [fallback, error] = [
          'verify',
          error ??
            (check?.passed === true
              ? `The report says succeeded, but its max abs difference ${fmt(check.max_abs_diff)} is over its tolerance ${fmt(check.tolerance)}.`
              : check?.passed === false
                ? 'The report says succeeded, but its check did not pass.'
                : 'The report says succeeded, but holds no check that passed.'),
        ];
      else if (!hasOnnx) [fallback, error] = ['upload', error ?? 'The report says succeeded, but no model.onnx was written.'];
      else error = error ?? `The job ${job.state}: ${job.message ?? 'no reason given'}`;
    }
    return {
      ...base_,
      state: 'failed',
      step: step ?? fallback,
      error: error ?? 'No reason given.',
      onnx_path: null,
    };
  }

  /** The summary on the version, where the mlflow client sees it: state, the check's result, the job. */
  private async mirror(row: ModelConversionTable): Promise<void> {
    const check = checkOf(row.report ? (JSON.parse(row.report) as JobReport) : null);
    const tags: [string, string | null][] = [
      [TAG_STATE, row.state],
      [TAG_JOB, row.job_id],
      [TAG_CHECK, check && check.passed !== null ? `${check.passed ? 'passed' : 'failed'} (max_abs_diff=${fmt(check.max_abs_diff)})` : null],
    ];
    for (const [key, value] of tags) {
      const write =
        value === null ? this.d.registry.deleteVersionTag(row.model, row.version, key) : this.d.registry.setVersionTag(row.model, row.version, key, value);
      await write.catch((err: unknown) => this.d.log?.warn({ err, model: row.model, version: row.version }, 'conversion tag not written'));
    }
  }
}
