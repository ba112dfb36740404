/** Registered models and model versions, over MLflow's REST API (/api/2.0/mlflow/...). */
import type { Static } from '@sinclair/typebox';
import * as C from '../contract/registry.js';
import type { HttpClient } from './http.js';
import type { ModelVersion, RegisteredModel, RegisteredOnnx, SearchModelVersionsResponse, SearchRegisteredModelsResponse } from './registry-types.js';
import { allPages } from './tracking-api.js';
import type { KeyValue } from './types.js';

type SearchQuery = Static<typeof C.searchRegisteredModels.spec.query>;
type CreateVersionBody = Static<typeof C.createModelVersion.spec.body>;

/** The registry searches' query (models and versions share its fields), camel-cased. */
export interface SearchRegistryOptions {
  /** e.g. `name LIKE 'churn%'` (models) or `name = 'churn'` (versions). */
  filter?: SearchQuery['filter'];
  maxResults?: SearchQuery['max_results'];
  orderBy?: SearchQuery['order_by'];
  pageToken?: SearchQuery['page_token'];
}

/** createModelVersion's body, camel-cased. */
export interface CreateModelVersionOptions {
  name: CreateVersionBody['name'];
  /** Where the files are: `runs:/<run_id>/model`, `models:/m-…`, `mlflow-artifacts:/…`. */
  source: CreateVersionBody['source'];
  runId?: CreateVersionBody['run_id'];
  runLink?: CreateVersionBody['run_link'];
  description?: CreateVersionBody['description'];
  tags?: CreateVersionBody['tags'];
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
    return this.http.call(C.searchRegisteredModels, { query: searchQuery(opts) });
  }

  /** Every registered model matching (all pages). */
  list(opts: Omit<SearchRegistryOptions, 'pageToken'> = {}): Promise<RegisteredModel[]> {
    return allPages(
      (pageToken) => this.search({ ...opts, pageToken }),
      (p) => p.registered_models,
    );
  }

  async get(name: string): Promise<RegisteredModel> {
    return (await this.http.call(C.getRegisteredModel, { query: { name } })).registered_model;
  }

  async create(name: string, opts: { description?: string; tags?: KeyValue[] } = {}): Promise<RegisteredModel> {
    return (await this.http.call(C.createRegisteredModel, { body: { name, description: opts.description, tags: opts.tags } })).registered_model;
  }

  /** Points `alias` at a version of the model. */
  async setAlias(name: string, alias: string, version: string | number): Promise<void> {
    await this.http.call(C.setRegisteredModelAlias, { body: { name, alias, version: String(version) } });
  }
}

export class ModelVersionsApi {
  constructor(private readonly http: HttpClient) {}

  /** One page of model versions. */
  search(opts: SearchRegistryOptions = {}): Promise<SearchModelVersionsResponse> {
    return this.http.call(C.searchModelVersions, { query: searchQuery(opts) });
  }

  /** Every version of one registered model (all pages). */
  listForModel(name: string, opts: Omit<SearchRegistryOptions, 'pageToken' | 'filter'> = {}): Promise<ModelVersion[]> {
    return allPages(
      (pageToken) => this.search({ ...opts, filter: `name = ${quoteFilterValue(name)}`, pageToken }),
      (p) => p.model_versions,
    );
  }

  async get(name: string, version: string | number): Promise<ModelVersion> {
    return (await this.http.call(C.getModelVersion, { query: { name, version: String(version) } })).model_version;
  }

  /** The version an alias (e.g. "champion") points at. */
  async getByAlias(name: string, alias: string): Promise<ModelVersion> {
    return (await this.http.call(C.getModelVersionByAlias, { query: { name, alias } })).model_version;
  }

  /** Uploads a plain .onnx file as a new version (the server loads and checks it before storing). */
  async register(name: string, onnx: Uint8Array, opts: { features?: string[]; description?: string } = {}): Promise<RegisteredOnnx> {
    return this.http.call(C.registerOnnxModel, { params: { name }, query: { features: opts.features?.join(','), description: opts.description }, body: onnx });
  }

  async create(opts: CreateModelVersionOptions): Promise<ModelVersion> {
    const res = await this.http.call(C.createModelVersion, {
      body: {
        name: opts.name,
        source: opts.source,
        run_id: opts.runId,
        run_link: opts.runLink,
        description: opts.description,
        tags: opts.tags,
      },
    });
    return res.model_version;
  }
}
