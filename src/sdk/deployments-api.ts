/** Deployments (weighted routes to model versions, with revisions) and predictions, over Ferry's native API (/api/v1). */
import * as CC from '../contract/cluster.js';
import * as C from '../contract/deployments.js';
import type { DeploymentTraffic } from './cluster-api.js';
import type { HttpClient } from './http.js';
import type { Deployment, DeploymentRevision, DeploymentSpecInput, PredictRequest, PredictResponse } from './deployments-types.js';

export class DeploymentsApi {
  constructor(private readonly http: HttpClient) {}

  /** Creates a deployment (revision 1); answers once its models are loaded, or refuses one that does not load. */
  async create(name: string, spec: DeploymentSpecInput): Promise<Deployment> {
    return (await this.http.call(C.createDeployment, { body: { ...spec, name } })).deployment;
  }

  /** Every deployment with its live status. */
  async list(): Promise<Deployment[]> {
    return (await this.http.call(C.listDeployments)).deployments ?? [];
  }

  async get(name: string): Promise<Deployment> {
    return (await this.http.call(C.getDeployment, { params: { name } })).deployment;
  }

  /** Replaces the spec: a new revision, switched to without downtime once its models load. */
  async update(name: string, spec: DeploymentSpecInput): Promise<Deployment> {
    return (await this.http.call(C.updateDeployment, { params: { name }, body: spec })).deployment;
  }

  /** Returns to an earlier revision's spec (recorded as a new revision). */
  async rollback(name: string, revision: number): Promise<Deployment> {
    return (await this.http.call(C.rollbackDeployment, { params: { name }, body: { revision } })).deployment;
  }

  /** The revision history, newest first. */
  async revisions(name: string): Promise<DeploymentRevision[]> {
    return (await this.http.call(C.listDeploymentRevisions, { params: { name } })).revisions ?? [];
  }

  async delete(name: string): Promise<void> {
    await this.http.call(C.deleteDeployment, { params: { name } });
  }

  /** Predictions for JSON records: `{instances: [{...}]}`, `{dataframe_split}`, `{dataframe_records}` or `{inputs}`. */
  predict(name: string, request: PredictRequest): Promise<PredictResponse> {
    return this.http.call(C.predict, { params: { name }, body: request });
  }

  /**
   * The deployment's cumulative serving counters (requests by outcome, the latency histogram, shadow requests) per
   * model version, summed over every live replica. Rates need two readings: a replica that restarted counts from 0
   * again, so read an increase as Prometheus' increase() does.
   */
  traffic(name: string): Promise<DeploymentTraffic> {
    return this.http.call(CC.getDeploymentTraffic, { params: { name } });
  }
}
