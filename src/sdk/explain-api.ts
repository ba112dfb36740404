/**
 * Explanations (issue 19): Shapley-value attributions of a deployment's or a model version's predictions for given
 * rows, and a model version's global importance. See docs/explanations.md.
 */
import type { Static } from '@sinclair/typebox';
import * as C from '../contract/explain.js';
import type { HttpClient } from './http.js';

export type ExplainRequest = Static<typeof C.ExplainRequest>;
export type Explanation = Static<typeof C.ExplainResponse>;
export type FeatureImportance = Static<typeof C.ImportanceResponse>;
/** dataset + dataset_version (default: the training data), method, rows (≤ 200), seed. */
export type ImportanceQuery = Static<typeof C.ImportanceQuery>;

export class ExplainApi {
  constructor(private readonly http: HttpClient) {}

  /** Explains the rows with the version taking most of the deployment's traffic. */
  deployment(name: string, body: ExplainRequest): Promise<Explanation> {
    return this.http.call(C.explainDeployment, { params: { name }, body });
  }

  /** Explains the rows with one registered model version (served or not). */
  modelVersion(model: string, version: string, body: ExplainRequest): Promise<Explanation> {
    return this.http.call(C.explainModelVersion, { params: { name: model, version }, body });
  }

  /** Mean |φ| per feature over a seeded sample of the background (cached per version and background). */
  importance(model: string, version: string, query: ImportanceQuery = {}): Promise<FeatureImportance> {
    return this.http.call(C.modelImportance, { params: { name: model, version }, query });
  }
}
