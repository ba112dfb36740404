/**
 * Validation suites: store, attach, infer from a profile, and run — on a pushed dataset version (its attached
 * suites, automatically), on a stored version, on an ad-hoc file (a CI gate), or on a window of live traffic's
 * profile (monitoring calls validateProfileFor).
 */
import type { Readable } from 'node:stream';
import type { Static } from '@sinclair/typebox';
import type { PushValidation, SuiteInput } from '../contract/data.js';
import { NotFoundError } from '../errors.js';
import type { DatasetProfile } from '../stats/index.js';
import type { Store } from '../store/index.js';
import type { DatasetService } from './dataset-service.js';
import type { VersionRow } from './data-repo.js';
import { spool } from './spool.js';
import { type AttachmentKind, SuiteRepo } from './suite-repo.js';
import { type DataFormat, type TableSchema, detectFormat, profileTable, readTable } from './table/index.js';
import { type Suite, type ValidationResult, inferSuite, parseSuite, validateProfile, validateTable } from './validation/index.js';
import { ValidationRepo } from './validation-repo.js';
import { checkDatasetName } from './version-ref.js';
import { profileOfRow } from './version-view.js';
import { schemaOfProfile } from './profile-schema.js';

export interface SuiteServiceDeps {
  store: Store;
  datasets: DatasetService;
  spoolDir: string;
  maxBytes: number;
  /** Whether a deployment exists (attachments to deployments are checked; monitoring owns deployments). */
  deploymentExists(name: string): Promise<boolean>;
}

function summary(result: ValidationResult) {
  return { success: result.success, evaluated: result.statistics.evaluated_expectations, failed: result.statistics.unsuccessful_expectations };
}

export class SuiteService {
  readonly repo: SuiteRepo;
  readonly validations: ValidationRepo;

  constructor(private readonly deps: SuiteServiceDeps) {
    this.repo = new SuiteRepo(deps.store);
    this.validations = new ValidationRepo(deps.store);
  }

  async get(name: string) {
    checkDatasetName(name, 'suite');
    const row = await this.repo.get(name);
    if (!row) throw new NotFoundError(`Suite '${name}' does not exist.`);
    return {
      name: row.name,
      suite: JSON.parse(row.suite) as Suite,
      attachments: await this.repo.attachmentsOf(name),
      created_at: new Date(Number(row.created_at)).toISOString(),
      created_by: row.created_by,
      updated_at: new Date(Number(row.updated_at)).toISOString(),
    };
  }

  private async suite(name: string): Promise<Suite> {
    return (await this.get(name)).suite;
  }

  async list(page: { limit: number; offset: number }) {
    const rows = await this.repo.list(page);
    return rows.map((r) => ({
      name: r.name,
      expectations: (JSON.parse(r.suite) as Suite).expectations.length,
      updated_at: new Date(Number(r.updated_at)).toISOString(),
      created_by: r.created_by,
    }));
  }

  /** Creates or replaces a suite; the stored name is the URL's. Each expectation's kwargs are checked here, against its type. */
  async put(name: string, input: Static<typeof SuiteInput>, user: string): Promise<{ created: boolean; suite: Suite }> {
    checkDatasetName(name, 'suite');
    const suite = parseSuite({ ...input, name });
    const created = await this.repo.put(name, JSON.stringify(suite), user, Date.now());
    return { created, suite };
  }

  async delete(name: string): Promise<void> {
    checkDatasetName(name, 'suite');
    if (!(await this.repo.delete(name))) throw new NotFoundError(`Suite '${name}' does not exist.`);
  }

  async attach(name: string, kind: AttachmentKind, target: string): Promise<void> {
    await this.suite(name);
    if (kind === 'dataset') await this.deps.datasets.repo.requireDataset(checkDatasetName(target, 'dataset'));
    else if (!(await this.deps.deploymentExists(target))) throw new NotFoundError(`Deployment '${target}' does not exist.`);
    await this.repo.attach(name, kind, target, Date.now());
  }

  async detach(name: string, kind: AttachmentKind, target: string): Promise<void> {
    if (!(await this.repo.detach(name, kind, target))) throw new NotFoundError(`Suite '${name}' is not attached to ${kind} '${target}'.`);
  }

  /** Proposes a suite from a version's profile; saved only when asked. */
  async infer(datasetName: string, ref: string, suiteName: string | undefined, save: boolean, user: string): Promise<{ suite: Suite; saved: boolean }> {
    const row = await this.deps.datasets.resolve(datasetName, ref, 'dataset');
    const name = checkDatasetName(suiteName ?? `${row.dataset}-suite`, 'name');
    const suite = inferSuite(name, JSON.parse(row.schema) as TableSchema, profileOfRow(row));
    if (save) await this.repo.put(name, JSON.stringify(suite), user, Date.now());
    return { suite, saved: save };
  }

  private async runOnFile(suite: Suite, file: string, schema: TableSchema, format: DataFormat): Promise<ValidationResult> {
    return validateTable(suite, schema, readTable(file, schema, { format }));
  }

  /** Validates a stored version (its file is read again) and records the result. */
  async validateVersion(suiteName: string, datasetName: string, ref: string) {
    const suite = await this.suite(suiteName);
    const row = await this.deps.datasets.resolve(datasetName, ref, 'dataset');
    const opened = await this.deps.datasets.open(row.dataset, String(row.version));
    const file = await spool(opened.stream, this.deps.spoolDir, Number.MAX_SAFE_INTEGER);
    try {
      const result = await this.runOnFile(suite, file.path, JSON.parse(row.schema) as TableSchema, row.format as DataFormat);
      const id = await this.record(suiteName, row, result);
      return { id, target: `${row.dataset}@${row.version}`, result };
    } finally {
      await file.cleanup();
    }
  }

  /** The push hook: every suite attached to the dataset runs on the new version's file. */
  async afterPush(row: VersionRow, file: string, schema: TableSchema): Promise<Static<typeof PushValidation>[]> {
    const out = [];
    for (const s of await this.repo.suitesFor('dataset', row.dataset)) {
      const result = await this.runOnFile(JSON.parse(s.suite) as Suite, file, schema, row.format as DataFormat);
      const id = await this.record(s.name, row, result);
      out.push({ id, suite: s.name, ...summary(result) });
    }
    return out;
  }

  private async record(suite: string, row: VersionRow, result: ValidationResult): Promise<number> {
    return this.validations.insert({
      suite,
      target_kind: 'dataset',
      target: row.dataset,
      version: Number(row.version),
      window_start: null,
      ...summary(result),
      result,
    });
  }

  /** An ad-hoc file (CI gate): nothing is stored. */
  async validateFile(suiteName: string, body: Readable, meta: { filename?: string; contentType?: string; format?: DataFormat }) {
    const suite = await this.suite(suiteName);
    const file = await spool(body, this.deps.spoolDir, this.deps.maxBytes);
    try {
      const format = meta.format ?? detectFormat({ filename: meta.filename, contentType: meta.contentType, head: file.head });
      // Only the schema is used here: no exact pass over the file.
      const profiled = await profileTable(file.path, { format, exact: false });
      const result = await this.runOnFile(suite, file.path, profiled.schema, format);
      return {
        file: { filename: meta.filename ?? null, digest: file.digest, size_bytes: file.size, rows: profiled.rows, format, warnings: profiled.schema.warnings },
        result,
      };
    } finally {
      await file.cleanup();
    }
  }

  /**
   * Live traffic: the suites attached to a deployment, evaluated on a traffic profile (what a profile can
   * answer; see docs/data-validation.md). A complete window's result is recorded once.
   */
  async validateTraffic(deployment: string, window: { start: number; end: number; complete: boolean }, profile: DatasetProfile) {
    const suites = await this.repo.suitesFor('deployment', deployment);
    if (suites.length === 0) return [];
    const schema = schemaOfProfile(profile);
    const out = [];
    for (const s of suites) {
      const result = validateProfile(JSON.parse(s.suite) as Suite, schema, profile);
      // The check saves building the row; the store's unique index keeps racing callers to one.
      if (window.complete && !(await this.validations.hasWindow(s.name, deployment, window.start))) {
        await this.validations.insertWindowOnce({
          suite: s.name,
          target_kind: 'deployment',
          target: deployment,
          version: null,
          window_start: window.start,
          ...summary(result),
          result,
        });
      }
      const failures = result.results
        .filter((r) => r.success === false)
        .map((r) => ({
          type: r.expectation_config.type,
          ...(typeof r.expectation_config.kwargs['column'] === 'string' ? { column: r.expectation_config.kwargs['column'] as string } : {}),
        }));
      out.push({ suite: s.name, ...summary(result), failures });
    }
    return out;
  }

  async attachedTo(kind: AttachmentKind, target: string): Promise<string[]> {
    return (await this.repo.suitesFor(kind, target)).map((s) => s.name);
  }
}
