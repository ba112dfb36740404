/**
 * Fairness (issue 19): offline reports of a model version scored on a dataset version — stored, so the model card
 * and approval gates read them — and live fairness of a deployment per window from the prediction log. Values
 * follow Fairlearn 0.15's conventions; null is what Fairlearn answers as NaN. See docs/fairness.md.
 */
import type { Static } from '@sinclair/typebox';
import * as C from '../contract/fairness.js';
import type { HttpClient } from './http.js';

export type FairnessRequest = Static<typeof C.FairnessRequest>;
export type FairnessReport = Static<typeof C.FairnessReport>;
export type FairnessReportSummary = Static<typeof C.FairnessReportSummary>;
export type FairnessAnalysis = Static<typeof C.FairnessAnalysis>;
export type FairnessFrame = Static<typeof C.FairnessFrame>;
export type FairnessGroup = Static<typeof C.FairnessGroup>;
export type LiveFairness = Static<typeof C.LiveFairness>;
export type LiveFairnessWindow = Static<typeof C.LiveWindow>;
export type LiveFairnessGroup = Static<typeof C.LiveGroup>;
/** The live query: feature (a logged model input), from, to, window, pos_label, prediction, min_group_size. */
export type LiveFairnessQuery = Static<NonNullable<typeof C.getLiveFairness.spec.query>>;

export class FairnessApi {
  constructor(private readonly http: HttpClient) {}

  /** Scores the dataset version with the model version, stores and answers the report (`rows`: with the scored rows). */
  async create(model: string, version: string, body: FairnessRequest, opts: { rows?: boolean } = {}): Promise<FairnessReport> {
    const r = await this.http.call(C.createFairnessReport, { params: { name: model, version }, query: opts.rows ? { rows: true } : {}, body });
    return r.report;
  }

  /** The version's stored reports, newest first. */
  async list(model: string, version: string): Promise<FairnessReportSummary[]> {
    return (await this.http.call(C.listFairnessReports, { params: { name: model, version } })).reports;
  }

  async get(model: string, version: string, id: number | string, opts: { rows?: boolean } = {}): Promise<FairnessReport> {
    const r = await this.http.call(C.getFairnessReport, { params: { name: model, version, id: String(id) }, query: opts.rows ? { rows: true } : {} });
    return r.report;
  }

  /** Live fairness of a deployment per window, from its logged predictions and the label feedback joined so far. */
  live(deployment: string, query: LiveFairnessQuery): Promise<LiveFairness> {
    return this.http.call(C.getLiveFairness, { params: { name: deployment }, query });
  }
}
