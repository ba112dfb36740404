/** Registered models and model versions, over MLflow's REST API (/api/2.0/mlflow/...). */
import * as C from '../contract/registry.js';
import { compact, type HttpClient } from './http.js';
import type { ModelVersion, RegisteredModel, RegisteredOnnx, SearchModelVersionsResponse, SearchRegisteredModelsResponse } from './registry-types.js';
import { allPages } from './tracking-api.js';
import type { KeyValue } from './types.js';

export interface SearchRegistryOptions {
  /** e.g. `name LIKE 'churn%'` (models) or `name = 'churn'` (versions). */
  filter?: string;
  maxResults?: number;
  orderBy?: string[];
  pageToken?: string;
}

export interface CreateModelVersionOptions {
  name: string;
  /** Where the files are: `runs:/<run_id>/model`, `models:/m-…`, `mlflow-artifacts:/…`. */
  source: string;
  runId?: string;
  runLink?: string;
  description?: string;
  tags?: KeyValue[];
}

/** A filter value quoted for the registry's filter language (`'it\'s'`). */
export function quoteFilterValue(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function searchQuery(opts: SearchRegistryOptions) {
  return { filter: opts.filter, max_results: opts.maxResults, order_by: opts.orderBy, page_token: opts.pageToken };
}

export class RegisteredModelsApi {
  constructor(private readonly http: HttpClient) {}

  /** One page of registered models. */
  search(opts: SearchRegistryOptions = {}): Promise<SearchRegisteredModelsResponse> {
    return this.http.get<SearchRegisteredModelsResponse>(C.searchRegisteredModels.spec.path, searchQuery(opts));
  }

  /** Every registered model matching (all pages). */
  list(opts: Omit<SearchRegistryOptions, 'pageToken'> = {}): Promise<RegisteredModel[]> {
    return allPages((pageToken) => this.search({ ...opts, pageToken }), (p) => p.registered_models);
  }

  async get(name: string): Promise<RegisteredModel> {
    return (await this.http.get<{ registered_model: RegisteredModel }>(C.getRegisteredModel.spec.path, { name })).registered_model;
  }

  async create(name: string, opts: { description?: string; tags?: KeyValue[] } = {}): Promise<RegisteredModel> {
    return (await this.http.post<{ registered_model: RegisteredModel }>(C.createRegisteredModel.spec.path, compact({ name, description: opts.description, tags: opts.tags }))).registered_model;
  }

  /** Points `alias` at a version of the model. */
  async setAlias(name: string, alias: string, version: string | number): Promise<void> {
    await this.http.post(C.setRegisteredModelAlias.spec.path, { name, alias, version: String(version) });
  }
}

export class ModelVersionsApi {
  constructor(private readonly http: HttpClient) {}

  /** One page of model versions. */
  search(opts: SearchRegistryOptions = {}): Promise<SearchModelVersionsResponse> {
    return this.http.get<SearchModelVersionsResponse>(C.searchModelVersions.spec.path, searchQuery(opts));
  }

  /** Every version of one registered model (all pages). */
  listForModel(name: string, opts: Omit<SearchRegistryOptions, 'pageToken' | 'filter'> = {}): Promise<ModelVersion[]> {
    return allPages((pageToken) => this.search({ ...opts, filter: `name = ${quoteFilterValue(name)}`, pageToken }), (p) => p.model_versions);
  }

  async get(name: string, version: string | number): Promise<ModelVersion> {
    return (await this.http.get<{ model_version: ModelVersion }>(C.getModelVersion.spec.path, { name, version: String(version) })).model_version;
  }

  /** The version an alias (e.g. "champion") points at. */
  async getByAlias(name: string, alias: string): Promise<ModelVersion> {
    return (await this.http.get<{ model_version: ModelVersion }>(C.getModelVersionByAlias.spec.path, { name, alias })).model_version;
  }

  /** Uploads a plain .onnx file as a new version (the server loads and checks it before storing). */
  async register(name: string, onnx: Uint8Array, opts: { features?: string[]; description?: string } = {}): Promise<RegisteredOnnx> {
    return this.http.request<RegisteredOnnx>('POST', C.registerOnnxModel.spec.path.replace(':name', encodeURIComponent(name)), {
      query: { features: opts.features?.join(','), description: opts.description },
      body: onnx,
    });
  }

  async create(opts: CreateModelVersionOptions): Promise<ModelVersion> {
    const res = await this.http.post<{ model_version: ModelVersion }>(C.createModelVersion.spec.path, compact({
      name: opts.name,
      source: opts.source,
      run_id: opts.runId,
      run_link: opts.runLink,
      description: opts.description,
      tags: opts.tags,
    }));
    return res.model_version;
  }
}
