/** Datasets, versions, profiles, diffs, validation suites and lineage over Ferry's native API. */
import type { Static, TSchema } from '@sinclair/typebox';
import * as C from '../contract/data.js';
import type { RequestOf, ResponseOf } from '../contract/operation.js';
import type { HttpClient } from './http.js';
import type {
  DataFormat,
  DatasetDetails,
  DatasetInfo,
  DatasetLineage,
  DatasetVersion,
  DatasetVersionWithProfile,
  FileValidation,
  ModelLineage,
  PushResult,
  SuiteInfo,
  SuiteInput,
  SuiteSummary,
  ValidationDetails,
  ValidationSummary,
  VersionDiff,
  VersionValidation,
} from './data-types.js';

type QueryOf<Q> = Q extends TSchema ? Static<Q> : never;
type ListValidationsQuery = QueryOf<typeof C.listValidations.spec.query>;

export type FileBody = ReadableStream<Uint8Array> | Blob | Uint8Array;

/** How a file is sent: its name and format are the push / validate query's fields. */
export interface FileOptions {
  /** The file's name (format detection by extension, and downloads). */
  filename?: QueryOf<typeof C.pushDatasetVersion.spec.query>['filename'];
  format?: DataFormat;
  contentType?: string;
}

export class DataApi {
  constructor(private readonly http: HttpClient) {}

  async list(opts: { maxResults?: number; offset?: number; nameLike?: string } = {}): Promise<DatasetInfo[]> {
    return (await this.http.call(C.listDatasets, { query: { max_results: opts.maxResults, offset: opts.offset, name_like: opts.nameLike } })).datasets;
  }

  async get(name: string): Promise<DatasetDetails> {
    return (await this.http.call(C.getDataset, { params: { name } })).dataset;
  }

  /** Pushes a file; identical bytes answer the existing version (created: false). */
  async push(name: string, body: FileBody, opts: FileOptions & { description?: string } = {}): Promise<PushResult> {
    return this.http.callUpload(C.pushDatasetVersion, {
      params: { name },
      query: { filename: opts.filename, format: opts.format, description: opts.description },
      body,
      contentType: opts.contentType ?? 'application/octet-stream',
    });
  }

  async versions(name: string, opts: { maxResults?: number; offset?: number } = {}): Promise<DatasetVersion[]> {
    return (await this.http.call(C.listDatasetVersions, { params: { name }, query: { max_results: opts.maxResults, offset: opts.offset } })).versions;
  }

  /** A version by number, tag, 'latest' or digest prefix, with its profile (the server's default). */
  async version(name: string, ref: string | number = 'latest'): Promise<DatasetVersionWithProfile> {
    // The answer is the profiled form unless profile=false is asked for, which this method never does.
    return (await this.http.call(C.getDatasetVersion, { params: { name, ref } })).version as DatasetVersionWithProfile;
  }

  /** The version's file as a streamed response. */
  async download(name: string, ref: string | number = 'latest'): Promise<Response> {
    return this.http.callDownload(C.downloadDatasetVersion, { params: { name, ref } });
  }

  async tag(name: string, tag: string, ref: string | number): Promise<DatasetVersion> {
    return (await this.http.call(C.setDatasetTag, { params: { name, tag }, body: { version: String(ref) } })).version;
  }

  async untag(name: string, tag: string): Promise<void> {
    await this.http.call(C.deleteDatasetTag, { params: { name, tag } });
  }

  async deleteVersion(name: string, ref: string | number, opts: { force?: boolean } = {}): Promise<DatasetVersion> {
    return (await this.http.call(C.deleteDatasetVersion, { params: { name, ref }, query: { force: opts.force } })).deleted;
  }

  async delete(name: string, opts: { force?: boolean } = {}): Promise<void> {
    await this.http.call(C.deleteDataset, { params: { name }, query: { force: opts.force } });
  }

  /** Schema and distribution diff; `to` may be another dataset's NAME@VERSION. */
  async diff(name: string, from: string | number, to: string | number): Promise<VersionDiff> {
    return (await this.http.call(C.diffDatasetVersions, { params: { name }, query: { from: String(from), to: String(to) } })).diff;
  }

  async lineage(name: string, ref: string | number): Promise<DatasetLineage> {
    return (await this.http.call(C.getDatasetVersionLineage, { params: { name, ref } })).lineage;
  }

  async modelLineage(model: string, version: string | number): Promise<ModelLineage> {
    return (await this.http.call(C.getModelVersionLineage, { params: { name: model, version } })).lineage;
  }

  async versionValidations(name: string, ref: string | number): Promise<ValidationSummary[]> {
    return (await this.http.call(C.listDatasetVersionValidations, { params: { name, ref } })).validations;
  }

  // Suites
  async suites(opts: { maxResults?: number; offset?: number } = {}): Promise<SuiteSummary[]> {
    return (await this.http.call(C.listSuites, { query: { max_results: opts.maxResults, offset: opts.offset } })).suites;
  }

  async suite(name: string): Promise<SuiteInfo> {
    return (await this.http.call(C.getSuite, { params: { name } })).suite;
  }

  async putSuite(name: string, body: SuiteInput): Promise<ResponseOf<typeof C.putSuite.spec>> {
    return this.http.call(C.putSuite, { params: { name }, body });
  }

  async deleteSuite(name: string): Promise<void> {
    await this.http.call(C.deleteSuite, { params: { name } });
  }

  async inferSuite(dataset: string, opts: { name?: string; save?: boolean } = {}): Promise<ResponseOf<typeof C.inferSuite.spec>> {
    return this.http.call(C.inferSuite, { body: { dataset, name: opts.name, save: opts.save } });
  }

  async attach(name: string, target: { dataset: string } | { deployment: string }): Promise<void> {
    await this.http.call(C.attachSuite, { params: { name }, body: target });
  }

  async detach(name: string, kind: 'dataset' | 'deployment', target: string): Promise<void> {
    await this.http.call(C.detachSuite, { params: { name, kind, target } });
  }

  /** Validates a stored version and records the result. */
  async validateVersion(name: string, dataset: string): Promise<VersionValidation> {
    return this.http.call(C.validateDatasetVersion, { params: { name }, body: { dataset } });
  }

  /** Validates a file (nothing stored): a CI gate. */
  async validateFile(name: string, body: FileBody, opts: FileOptions = {}): Promise<FileValidation> {
    return this.http.callUpload(C.validateFile, {
      params: { name },
      query: { filename: opts.filename, format: opts.format },
      body,
      contentType: opts.contentType ?? 'application/octet-stream',
    });
  }

  /** Drift between two tables sent in the body (nothing stored): a dataset diff's answer, plus each table's size. */
  async drift(body: RequestOf<typeof C.tableDrift.spec>['body']): Promise<ResponseOf<typeof C.tableDrift.spec>> {
    return this.http.call(C.tableDrift, { body });
  }

  /** Validates a table sent in the body against a suite sent with it (nothing stored). */
  async validateTable(body: RequestOf<typeof C.validateTable.spec>['body']): Promise<FileValidation> {
    return this.http.call(C.validateTable, { body });
  }

  async validations(
    q: { targetKind?: ListValidationsQuery['target_kind']; target?: string; suite?: string; success?: boolean; maxResults?: number } = {},
  ): Promise<ValidationSummary[]> {
    return (
      await this.http.call(C.listValidations, {
        query: { target_kind: q.targetKind, target: q.target, suite: q.suite, success: q.success, max_results: q.maxResults },
      })
    ).validations;
  }

  async validation(id: number): Promise<ValidationDetails> {
    return (await this.http.call(C.getValidation, { params: { id } })).validation;
  }
}
