/** Monitoring over Ferry's native API: settings, the prediction log, feedback, references, drift and data quality. */
import { compact, type HttpClient, type Query } from './http.js';
import type { DriftReport, DriftWindows, FeedbackItem, FeedbackResult, MonitoringLogCounts, MonitoringSettings, MonitoringSettingsInput, PerformanceReport, PredictionPage, QualityReport, ReferenceInfo } from './monitoring-types.js';

const at = (name: string) => `/api/v1/deployments/${encodeURIComponent(name)}`;

export interface WindowQuery {
  /** ISO time, epoch ms, or a duration ago ("24h", "1h30m", "1.5h"). */
  from?: string | number;
  to?: string | number;
  modelVersion?: string;
}

export interface PredictionQuery extends WindowQuery {
  status?: 'ok' | 'client_error' | 'error';
  route?: 'main' | 'shadow';
  /** Logged requests per page (each answered as its rows). */
  limit?: number;
  pageToken?: string;
}

const windowQuery = (q: WindowQuery): Query => compact({ from: q.from, to: q.to, model_version: q.modelVersion });

export class MonitoringApi {
  constructor(private readonly http: HttpClient) {}

  async settings(name: string): Promise<{ settings: MonitoringSettings; log: MonitoringLogCounts }> {
    return this.http.get(`${at(name)}/monitoring`);
  }

  async updateSettings(name: string, settings: MonitoringSettingsInput): Promise<MonitoringSettings> {
    return (await this.http.put<{ settings: MonitoringSettings }>(`${at(name)}/monitoring`, settings)).settings;
  }

  async predictions(name: string, q: PredictionQuery = {}): Promise<PredictionPage> {
    return this.http.get(`${at(name)}/predictions`, { ...windowQuery(q), ...compact({ status: q.status, route: q.route, limit: q.limit, page_token: q.pageToken }) });
  }

  /** Every matching logged prediction as CSV or JSON Lines text. */
  async exportPredictions(name: string, format: 'csv' | 'jsonl', q: Omit<PredictionQuery, 'pageToken'> = {}): Promise<string> {
    const query = { ...windowQuery(q), ...compact({ status: q.status, route: q.route, limit: q.limit }), format };
    return (await this.http.send('GET', `${at(name)}/predictions`, { query, accept: format === 'csv' ? 'text/csv' : 'application/x-ndjson' })).text;
  }

  async feedback(items: FeedbackItem[]): Promise<FeedbackResult> {
    return this.http.post('/api/v1/feedback', { feedback: items });
  }

  /** Sets the reference from a table (CSV or JSON Lines text) or a past window of the deployment's traffic. */
  async setReference(name: string, from: { csv: string } | { jsonl: string } | { from: string | number; to?: string | number } | { dataset: string } | { trainingData: true }, opts: { predictionColumn?: string } = {}): Promise<ReferenceInfo> {
    const query = compact({ prediction_column: opts.predictionColumn });
    if ('csv' in from || 'jsonl' in from) {
      const csv = 'csv' in from;
      const { text } = await this.http.send('PUT', `${at(name)}/reference`, { query, body: csv ? from.csv : from.jsonl, contentType: csv ? 'text/csv' : 'application/x-ndjson' });
      return (JSON.parse(text) as { reference: ReferenceInfo }).reference;
    }
    if ('dataset' in from) return (await this.http.put<{ reference: ReferenceInfo }>(`${at(name)}/reference`, compact({ dataset: from.dataset, prediction_column: opts.predictionColumn }))).reference;
    if ('trainingData' in from) return (await this.http.put<{ reference: ReferenceInfo }>(`${at(name)}/reference`, compact({ training_data: true, prediction_column: opts.predictionColumn }))).reference;
    return (await this.http.put<{ reference: ReferenceInfo }>(`${at(name)}/reference`, compact({ from: from.from, to: from.to }))).reference;
  }

  async drift(name: string, q: WindowQuery & { driftShare?: number; methods?: Record<string, string> } = {}): Promise<DriftReport> {
    const method = q.methods ? Object.entries(q.methods).map(([f, m]) => `${f}:${m}`).join(',') : undefined;
    return this.http.get(`${at(name)}/drift`, { ...windowQuery(q), ...compact({ drift_share: q.driftShare, method }) });
  }

  /** The same drift test per profile window of the range, for charts over time. */
  async driftWindows(name: string, q: WindowQuery = {}): Promise<DriftWindows> {
    return this.http.get(`${at(name)}/drift/windows`, windowQuery(q));
  }

  /** Live performance from feedback: overall, per model version and per window. */
  async performance(name: string, q: WindowQuery = {}): Promise<PerformanceReport> {
    return this.http.get(`${at(name)}/performance`, windowQuery(q));
  }

  async quality(name: string, q: WindowQuery = {}): Promise<QualityReport> {
    return this.http.get(`${at(name)}/quality`, windowQuery(q));
  }
}
