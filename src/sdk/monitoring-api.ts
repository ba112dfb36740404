/** Monitoring over Ferry's native API: settings, the prediction log, feedback, references, drift and data quality. */
import type { Static, TSchema } from '@sinclair/typebox';
import * as C from '../contract/monitoring.js';
import type { ResponseOf } from '../contract/operation.js';
import { type EstimatedPerformance, type EstimatedPerformanceQuery, estimatedPerformance } from './estimated-performance-api.js';
import type { HttpClient } from './http.js';
import type {
  DriftReport,
  DriftWindows,
  FeedbackItem,
  FeedbackResult,
  MonitoringSettings,
  MonitoringSettingsInput,
  PerformanceReport,
  PredictionPage,
  QualityReport,
  ReferenceInfo,
} from './monitoring-types.js';

type QueryOf<Q> = Q extends TSchema ? Static<Q> : never;
type PredictionsQuery = QueryOf<typeof C.listPredictions.spec.query>;
type ReferenceBody = Static<typeof C.ReferenceJsonBody>;

/** A time range (the contract's from / to; epoch ms may be given as a number) and a model version. */
export interface WindowQuery {
  /** ISO time, epoch ms, or a duration ago ("24h", "1h30m", "1.5h"). */
  from?: PredictionsQuery['from'] | number;
  to?: PredictionsQuery['to'] | number;
  /** Only this model version's traffic (drift and the prediction log; quality and performance take no such filter). */
  modelVersion?: PredictionsQuery['model_version'];
}

/** The prediction log's query: the contract's filters, camel-cased. */
export interface PredictionQuery extends WindowQuery {
  status?: PredictionsQuery['status'];
  route?: PredictionsQuery['route'];
  /** Logged requests per page (each answered as its rows). */
  limit?: PredictionsQuery['limit'];
  pageToken?: PredictionsQuery['page_token'];
}

const range = (q: WindowQuery) => ({ from: q.from, to: q.to });

export class MonitoringApi {
  constructor(private readonly http: HttpClient) {}

  async settings(name: string): Promise<ResponseOf<typeof C.getMonitoringSettings.spec>> {
    return this.http.call(C.getMonitoringSettings, { params: { name } });
  }

  async updateSettings(name: string, settings: MonitoringSettingsInput): Promise<MonitoringSettings> {
    return (await this.http.call(C.updateMonitoringSettings, { params: { name }, body: settings })).settings;
  }

  async predictions(name: string, q: PredictionQuery = {}): Promise<PredictionPage> {
    return this.http.call(C.listPredictions, {
      params: { name },
      query: { ...range(q), model_version: q.modelVersion, status: q.status, route: q.route, limit: q.limit, page_token: q.pageToken },
    });
  }

  /** Every matching logged prediction as CSV or JSON Lines text. */
  async exportPredictions(name: string, format: 'csv' | 'jsonl', q: Omit<PredictionQuery, 'pageToken'> = {}): Promise<string> {
    return this.http.callText(C.listPredictions, {
      params: { name },
      query: { ...range(q), model_version: q.modelVersion, status: q.status, route: q.route, limit: q.limit, format },
      accept: format === 'csv' ? 'text/csv' : 'application/x-ndjson',
    });
  }

  async feedback(items: FeedbackItem[]): Promise<FeedbackResult> {
    return this.http.call(C.submitFeedback, { body: { feedback: items } });
  }

  /** Sets the reference from a table (CSV or JSON Lines text) or a past window of the deployment's traffic. */
  async setReference(
    name: string,
    from: { csv: string } | { jsonl: string } | { from: string | number; to?: string | number } | { dataset: string } | { trainingData: true },
    opts: { predictionColumn?: string } = {},
  ): Promise<ReferenceInfo> {
    if ('csv' in from || 'jsonl' in from) {
      const csv = 'csv' in from;
      const text = await this.http.callText(C.putReference, {
        params: { name },
        query: { prediction_column: opts.predictionColumn },
        body: csv ? from.csv : from.jsonl,
        contentType: csv ? 'text/csv' : 'application/x-ndjson',
      });
      return (JSON.parse(text) as { reference: ReferenceInfo }).reference;
    }
    const body: ReferenceBody =
      'dataset' in from
        ? { dataset: from.dataset, prediction_column: opts.predictionColumn }
        : 'trainingData' in from
          ? { training_data: true, prediction_column: opts.predictionColumn }
          : { from: from.from, to: from.to };
    return (await this.http.call(C.putReference, { params: { name }, body })).reference;
  }

  async drift(name: string, q: WindowQuery & { driftShare?: number; methods?: Record<string, string> } = {}): Promise<DriftReport> {
    const method = q.methods
      ? Object.entries(q.methods)
          .map(([f, m]) => `${f}:${m}`)
          .join(',')
      : undefined;
    return this.http.call(C.getDrift, { params: { name }, query: { ...range(q), model_version: q.modelVersion, drift_share: q.driftShare, method } });
  }

  /** The same drift test per profile window of the range, for charts over time. */
  async driftWindows(name: string, q: Omit<WindowQuery, 'modelVersion'> = {}): Promise<DriftWindows> {
    return this.http.call(C.getDriftWindows, { params: { name }, query: range(q) });
  }

  /** Live performance from feedback: overall, per model version and per window. */
  async performance(name: string, q: Omit<WindowQuery, 'modelVersion'> = {}): Promise<PerformanceReport> {
    return this.http.call(C.getPerformance, { params: { name }, query: range(q) });
  }

  /** Estimated performance without labels (CBPE, binary): per window, estimates with bands beside realized metrics. */
  async estimated(name: string, q: EstimatedPerformanceQuery = {}): Promise<EstimatedPerformance> {
    return estimatedPerformance(this.http, name, q);
  }

  async quality(name: string, q: Omit<WindowQuery, 'modelVersion'> = {}): Promise<QualityReport> {
    return this.http.call(C.getQuality, { params: { name }, query: range(q) });
  }
}
