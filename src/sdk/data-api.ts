/** Datasets, versions, profiles, diffs, validation suites and lineage over Ferry's native API. */
import { compact, type HttpClient } from './http.js';
import type {
  DataFormat, DatasetDetails, DatasetInfo, DatasetLineage, DatasetVersion, DatasetVersionWithProfile, FileValidation, ModelLineage, PushResult, Suite, SuiteInfo, SuiteInput,
  SuiteSummary, ValidationDetails, ValidationSummary, VersionDiff, VersionValidation,
} from './data-types.js';

const ds = (name: string) => `/api/v1/datasets/${encodeURIComponent(name)}`;
const suite = (name: string) => `/api/v1/suites/${encodeURIComponent(name)}`;

export type FileBody = ReadableStream<Uint8Array> | Blob | Uint8Array;

export interface FileOptions {
  /** The file's name (format detection by extension, and downloads). */
  filename?: string;
  format?: DataFormat;
  contentType?: string;
}

export class DataApi {
  constructor(private readonly http: HttpClient) {}

  async list(opts: { maxResults?: number; offset?: number; nameLike?: string } = {}): Promise<DatasetInfo[]> {
    return (await this.http.get<{ datasets: DatasetInfo[] }>('/api/v1/datasets', compact({ max_results: opts.maxResults, offset: opts.offset, name_like: opts.nameLike }))).datasets;
  }

  async get(name: string): Promise<DatasetDetails> {
    return (await this.http.get<{ dataset: DatasetDetails }>(ds(name))).dataset;
  }

  /** Pushes a file; identical bytes answer the existing version (created: false). */
  async push(name: string, body: FileBody, opts: FileOptions & { description?: string } = {}): Promise<PushResult> {
    return this.http.upload(
      'POST', `${ds(name)}/versions`,
      { body, contentType: opts.contentType ?? 'application/octet-stream', query: compact({ filename: opts.filename, format: opts.format, description: opts.description }) },
    );
  }

  async versions(name: string, opts: { maxResults?: number; offset?: number } = {}): Promise<DatasetVersion[]> {
    return (await this.http.get<{ versions: DatasetVersion[] }>(`${ds(name)}/versions`, compact({ max_results: opts.maxResults, offset: opts.offset }))).versions;
  }

  /** A version by number, tag, 'latest' or digest prefix, with its profile (the server's default). */
  async version(name: string, ref: string | number = 'latest'): Promise<DatasetVersionWithProfile> {
    return (await this.http.get<{ version: DatasetVersionWithProfile }>(`${ds(name)}/versions/${encodeURIComponent(String(ref))}`)).version;
  }

  /** The version's file as a streamed response. */
  async download(name: string, ref: string | number = 'latest'): Promise<Response> {
    return this.http.download(`${ds(name)}/versions/${encodeURIComponent(String(ref))}/file`);
  }

  async tag(name: string, tag: string, ref: string | number): Promise<DatasetVersion> {
    return (await this.http.put<{ version: DatasetVersion }>(`${ds(name)}/tags/${encodeURIComponent(tag)}`, { version: String(ref) })).version;
  }

  async untag(name: string, tag: string): Promise<void> {
    await this.http.delete(`${ds(name)}/tags/${encodeURIComponent(tag)}`);
  }

  async deleteVersion(name: string, ref: string | number, opts: { force?: boolean } = {}): Promise<DatasetVersion> {
    return (await this.http.delete<{ deleted: DatasetVersion }>(`${ds(name)}/versions/${encodeURIComponent(String(ref))}`, compact({ force: opts.force }))).deleted;
  }

  async delete(name: string, opts: { force?: boolean } = {}): Promise<void> {
    await this.http.delete(ds(name), compact({ force: opts.force }));
  }

  /** Schema and distribution diff; `to` may be another dataset's NAME@VERSION. */
  async diff(name: string, from: string | number, to: string | number): Promise<VersionDiff> {
    return (await this.http.get<{ diff: VersionDiff }>(`${ds(name)}/diff`, { from: String(from), to: String(to) })).diff;
  }

  async lineage(name: string, ref: string | number): Promise<DatasetLineage> {
    return (await this.http.get<{ lineage: DatasetLineage }>(`${ds(name)}/versions/${encodeURIComponent(String(ref))}/lineage`)).lineage;
  }

  async modelLineage(model: string, version: string | number): Promise<ModelLineage> {
    return (await this.http.get<{ lineage: ModelLineage }>(`/api/v1/models/${encodeURIComponent(model)}/versions/${encodeURIComponent(String(version))}/lineage`)).lineage;
  }

  async versionValidations(name: string, ref: string | number): Promise<ValidationSummary[]> {
    return (await this.http.get<{ validations: ValidationSummary[] }>(`${ds(name)}/versions/${encodeURIComponent(String(ref))}/validations`)).validations;
  }

  // Suites
  async suites(opts: { maxResults?: number; offset?: number } = {}): Promise<SuiteSummary[]> {
    return (await this.http.get<{ suites: SuiteSummary[] }>('/api/v1/suites', compact({ max_results: opts.maxResults, offset: opts.offset }))).suites;
  }

  async suite(name: string): Promise<SuiteInfo> {
    return (await this.http.get<{ suite: SuiteInfo }>(suite(name))).suite;
  }

  async putSuite(name: string, body: SuiteInput): Promise<{ created: boolean; suite: Suite }> {
    return this.http.put(suite(name), body);
  }

  async deleteSuite(name: string): Promise<void> {
    await this.http.delete(suite(name));
  }

  async inferSuite(dataset: string, opts: { name?: string; save?: boolean } = {}): Promise<{ suite: Suite; saved: boolean }> {
    return this.http.post('/api/v1/suites/infer', compact({ dataset, name: opts.name, save: opts.save }));
  }

  async attach(name: string, target: { dataset: string } | { deployment: string }): Promise<void> {
    await this.http.post(`${suite(name)}/attachments`, target);
  }

  async detach(name: string, kind: 'dataset' | 'deployment', target: string): Promise<void> {
    await this.http.delete(`${suite(name)}/attachments/${kind}/${encodeURIComponent(target)}`);
  }

  /** Validates a stored version and records the result. */
  async validateVersion(name: string, dataset: string): Promise<VersionValidation> {
    return this.http.post(`${suite(name)}/validations`, { dataset });
  }

  /** Validates a file (nothing stored): a CI gate. */
  async validateFile(name: string, body: FileBody, opts: FileOptions = {}): Promise<FileValidation> {
    return this.http.upload('POST', `${suite(name)}/validate`, { body, contentType: opts.contentType ?? 'application/octet-stream', query: compact({ filename: opts.filename, format: opts.format }) });
  }

  async validations(q: { targetKind?: 'dataset' | 'deployment'; target?: string; suite?: string; success?: boolean; maxResults?: number } = {}): Promise<ValidationSummary[]> {
    return (await this.http.get<{ validations: ValidationSummary[] }>('/api/v1/validations', compact({ target_kind: q.targetKind, target: q.target, suite: q.suite, success: q.success, max_results: q.maxResults }))).validations;
  }

  async validation(id: number): Promise<ValidationDetails> {
    return (await this.http.get<{ validation: ValidationDetails }>(`/api/v1/validations/${id}`)).validation;
  }
}
