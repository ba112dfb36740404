/** Deployments (weighted routes to model versions, with revisions) and predictions, over Ferry's native API (/api/v1). */
import type { HttpClient } from './http.js';
import type { Deployment, DeploymentRevision, DeploymentSpecInput, PredictRequest, PredictResponse } from './deployments-types.js';

const P = '/api/v1/deployments';
const at = (name: string) => `${P}/${encodeURIComponent(name)}`;

export class DeploymentsApi {
  constructor(private readonly http: HttpClient) {}

  /** Creates a deployment (revision 1); answers once its models are loaded, or refuses one that does not load. */
  async create(name: string, spec: DeploymentSpecInput): Promise<Deployment> {
    return (await this.http.post<{ deployment: Deployment }>(P, { ...spec, name })).deployment;
  }

  /** Every deployment with its live status. */
  async list(): Promise<Deployment[]> {
    return (await this.http.get<{ deployments?: Deployment[] }>(P)).deployments ?? [];
  }

  async get(name: string): Promise<Deployment> {
    return (await this.http.get<{ deployment: Deployment }>(at(name))).deployment;
  }

  /** Replaces the spec: a new revision, switched to without downtime once its models load. */
  async update(name: string, spec: DeploymentSpecInput): Promise<Deployment> {
    return (await this.http.put<{ deployment: Deployment }>(at(name), spec)).deployment;
  }

  /** Returns to an earlier revision's spec (recorded as a new revision). */
  async rollback(name: string, revision: number): Promise<Deployment> {
    return (await this.http.post<{ deployment: Deployment }>(`${at(name)}/rollback`, { revision })).deployment;
  }

  /** The revision history, newest first. */
  async revisions(name: string): Promise<DeploymentRevision[]> {
    return (await this.http.get<{ revisions?: DeploymentRevision[] }>(`${at(name)}/revisions`)).revisions ?? [];
  }

  async delete(name: string): Promise<void> {
    await this.http.delete(at(name));
  }

  /** Predictions for JSON records: `{instances: [{...}]}`, `{dataframe_split}`, `{dataframe_records}` or `{inputs}`. */
  predict(name: string, request: PredictRequest): Promise<PredictResponse> {
    return this.http.post<PredictResponse>(`${at(name)}/predict`, request);
  }
}
