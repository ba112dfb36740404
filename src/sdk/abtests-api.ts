/**
 * A/B tests (/api/v1/abtests) — online experiments between a deployment's model versions on business outcomes,
 * not MLflow experiments — and outcome events (/api/v1/outcomes).
 */
import type { Static, TSchema } from '@sinclair/typebox';
import * as C from '../contract/abtests.js';
import type { HttpClient } from './http.js';

type QueryOf<Q> = Q extends TSchema ? Static<Q> : never;

export type AbTestCreate = Static<typeof C.AbTestCreate>;
export type AbTestInfo = Static<typeof C.AbTestInfo>;
export type AbTestState = AbTestInfo['state'];
export type AbMetric = Static<typeof C.AbMetric>;
export type AbEngineSettings = Static<typeof C.EngineSettings>;
export type AbTestReport = Static<typeof C.AbTestReport>;
export type AbMetricResult = Static<typeof C.MetricResult>;
export type AbArmResult = Static<typeof C.ArmResult>;
export type AbComparison = Static<typeof C.Comparison>;
export type AbEffectInterval = Static<typeof C.EffectInterval>;
export type AbSrmResult = Static<typeof C.SrmResult>;
export type AbHistoryPoint = Static<typeof C.HistoryPoint>;
export type OutcomeItem = Static<typeof C.OutcomeItem>;
export type OutcomeResult = Static<typeof C.OutcomeResult>;
/** The list's filters (the contract's query: deployment, state). */
export type ListAbTestsQuery = QueryOf<typeof C.listAbTests.spec.query>;
/** The report's options (the contract's query: at, history, points). */
export type AbTestReportQuery = QueryOf<typeof C.getAbTestReport.spec.query>;

/** The most outcome events one request takes; sendOutcomes splits longer lists. */
export const MAX_OUTCOMES_PER_REQUEST = C.MAX_OUTCOMES;

export class AbTestsApi {
  constructor(private readonly http: HttpClient) {}

  /** Creates an A/B test on a deployment (started at once unless `start: false`). */
  async create(test: AbTestCreate): Promise<AbTestInfo> {
    return (await this.http.call(C.createAbTest, { body: test })).abtest;
  }

  /** A/B tests, newest first. */
  async list(query: ListAbTestsQuery = {}): Promise<AbTestInfo[]> {
    return (await this.http.call(C.listAbTests, { query: { deployment: query.deployment, state: query.state } })).abtests;
  }

  async get(name: string): Promise<AbTestInfo> {
    return (await this.http.call(C.getAbTest, { params: { name } })).abtest;
  }

  async start(name: string): Promise<AbTestInfo> {
    return (await this.http.call(C.startAbTest, { params: { name }, body: {} })).abtest;
  }

  async stop(name: string, reason?: string): Promise<AbTestInfo> {
    return (await this.http.call(C.stopAbTest, { params: { name }, body: reason !== undefined ? { reason } : {} })).abtest;
  }

  /** The report (with `history: true`, the primary metric's lift over time too). */
  report(name: string, query: AbTestReportQuery = {}): Promise<AbTestReport> {
    return this.http.call(C.getAbTestReport, { params: { name }, query: { at: query.at, history: query.history, points: query.points } });
  }

  /**
   * Sends outcome events, in requests of at most 10,000; the answers are joined (unknown items' indexes count
   * from the start of `items`; `onProgress` hears after each request). A request that fails throws, and the rest are not sent; the requests before it
   * were stored (an event sent twice counts twice, so resend from the failed request on).
   */
  async sendOutcomes(items: readonly OutcomeItem[], opts: { onProgress?: (sent: number, total: number) => void } = {}): Promise<OutcomeResult> {
    const out: OutcomeResult = { accepted: 0, unknown: [] };
    for (let i = 0; i < items.length; i += MAX_OUTCOMES_PER_REQUEST) {
      const r = await this.http.call(C.submitOutcomes, { body: { outcomes: items.slice(i, i + MAX_OUTCOMES_PER_REQUEST) } });
      out.accepted += r.accepted;
      for (const u of r.unknown) out.unknown.push({ ...u, index: u.index + i });
      opts.onProgress?.(Math.min(items.length, i + MAX_OUTCOMES_PER_REQUEST), items.length);
    }
    return out;
  }
}
