/**
 * Monitoring's operations behind the HTTP API: settings, prediction-log queries and exports, feedback,
 * retention. Deployments are checked through a function from the server (monitoring does not own them).
 */
import { FerryError, InvalidParameterError, NotFoundError } from '../errors.js';
import type { Store } from '../store/index.js';
import { instantField } from '../fields.js';
import { type FeedbackInput, type FeedbackItem, parseFeedback } from './feedback.js';
import * as repo from './monitoring-repo.js';
import { type MonitoringSettings, type MonitoringSettingsInput, parseSettings } from './monitoring-settings.js';
import type { MonitoringState } from './monitoring-state.js';
import { type PredictionOut, predictionsOut } from './prediction-export.js';
import type { LogOutcome, PredictionLog } from './prediction-log.js';
import * as preds from './prediction-repo.js';

export type DeploymentExists = (name: string) => Promise<boolean>;

/** A feedback item as stored: its value parsed, its time resolved (the item's timestamp, else its arrival). */
export interface StoredFeedback {
  request_id: string;
  row: number;
  kind: FeedbackItem['kind'];
  value: unknown;
  ts: number;
}

/** Told of each batch of feedback once it is stored (A/B tests derive model-quality events from it). */
export type FeedbackListener = (items: StoredFeedback[]) => Promise<void>;

/** Which logged predictions: a time range (ISO 8601, epoch ms or a duration ago) and facts of the request. */
export interface PredictionQuery {
  from?: string;
  to?: string;
  modelVersion?: string;
  status?: 'ok' | 'client_error' | 'error';
  route?: 'main' | 'shadow';
  /** Requests per page (default 100, at most 1000), or rows exported (default and at most 1,000,000). */
  limit?: number;
  /** A page's next_page_token (pages only). */
  pageToken?: string;
}

export const MAX_PAGE = 1000;
export const MAX_EXPORT_ROWS = 1_000_000;

function encodeToken(c: preds.Cursor): string {
  return Buffer.from(JSON.stringify([c.ts, c.request_id, c.route, c.model_version])).toString('base64url');
}

function decodeToken(t: string): preds.Cursor {
  try {
    const [ts, request_id, route, model_version] = JSON.parse(Buffer.from(t, 'base64url').toString('utf8')) as unknown[];
    if (typeof ts === 'number' && typeof request_id === 'string' && typeof route === 'string' && typeof model_version === 'string')
      return { ts, request_id, route, model_version };
  } catch {
    // fall through to the error below
  }
  throw new InvalidParameterError('page_token', 'Invalid page_token: pass the next_page_token of an earlier answer unchanged.');
}

const cursorOf = (r: { ts: number; request_id: string; route: string; model_version: string }): preds.Cursor => ({
  ts: Number(r.ts),
  request_id: r.request_id,
  route: r.route,
  model_version: r.model_version,
});

export class MonitoringService {
  constructor(
    private readonly store: Store,
    private readonly state: MonitoringState,
    private readonly log: PredictionLog,
    private readonly exists: DeploymentExists,
    private readonly clock: () => number = Date.now,
  ) {}

  private readonly feedbackListeners: FeedbackListener[] = [];

  /**
   * Calls `listener` after each batch of feedback is stored, with the stored items, and waits for it: a listener
   * that fails makes the request fail, the feedback stored all the same — sending it again is safe (feedback
   * replaces by request id and row). Monitoring does not know who listens (A/B tests do; they import this).
   */
  onFeedback(listener: FeedbackListener): void {
    this.feedbackListeners.push(listener);
  }

  private async known(name: string): Promise<void> {
    if (!(await this.exists(name))) throw new NotFoundError(`Deployment '${name}' does not exist.`);
  }

  async settings(name: string): Promise<{ settings: MonitoringSettings; log: Record<LogOutcome, number> }> {
    await this.known(name);
    return { settings: this.state.settingsFor(name), log: { ...(this.log.stats.get(name) ?? { stored: 0, sampled_out: 0, dropped: 0, write_failed: 0 }) } };
  }

  async putSettings(name: string, input: MonitoringSettingsInput, by: string): Promise<MonitoringSettings> {
    await this.known(name);
    const next = parseSettings(input, this.state.settingsFor(name));
    await repo.putSettings(this.store.db, name, JSON.stringify(next), by, this.clock());
    this.state.setSettings(name, next);
    return next;
  }

  private filter(name: string, q: PredictionQuery): preds.PredictionFilter {
    const now = this.clock();
    const out: preds.PredictionFilter = { deployment: name };
    if (q.from !== undefined) out.from = instantField(q.from, 'from', now);
    if (q.to !== undefined) out.to = instantField(q.to, 'to', now);
    if (out.from !== undefined && out.to !== undefined && out.from >= out.to) throw new InvalidParameterError('from', "'from' must be before 'to'.");
    if (q.modelVersion !== undefined) out.modelVersion = q.modelVersion;
    if (q.status !== undefined) out.status = q.status;
    if (q.route !== undefined) out.route = q.route;
    return out;
  }

  private limit(q: PredictionQuery, max: number, dflt: number): number {
    if (q.limit === undefined) return dflt;
    if (!Number.isInteger(q.limit) || q.limit < 1 || q.limit > max)
      throw new InvalidParameterError('limit', `'limit' must be a whole number from 1 to ${max}.`);
    return q.limit;
  }

  /**
   * One page of logged requests, newest first, as their predictions (one per row; `limit` counts requests).
   * Rows still in the log's queue are written first, so a caller sees its own requests.
   */
  async predictions(name: string, q: PredictionQuery = {}): Promise<{ predictions: PredictionOut[]; next_page_token?: string }> {
    await this.known(name);
    const filter = this.filter(name, q);
    const limit = this.limit(q, MAX_PAGE, 100);
    const after = q.pageToken ? decodeToken(q.pageToken) : undefined;
    await this.log.flush();
    const rows = await preds.queryPredictions(this.store.db, filter, limit, after);
    const last = rows[rows.length - 1];
    return { predictions: rows.flatMap(predictionsOut), ...(rows.length === limit && last ? { next_page_token: encodeToken(cursorOf(last)) } : {}) };
  }

  /** Every matching prediction (up to `limit` rows, default and most 1,000,000), page by page, for exports. */
  async exportPages(name: string, q: Omit<PredictionQuery, 'pageToken'> = {}): Promise<AsyncIterable<PredictionOut[]>> {
    await this.known(name);
    const filter = this.filter(name, q);
    const total = this.limit(q, MAX_EXPORT_ROWS, MAX_EXPORT_ROWS);
    await this.log.flush();
    const db = this.store.db;
    return (async function* pages() {
      let after: preds.Cursor | undefined;
      let sent = 0;
      while (sent < total) {
        const rows = await preds.queryPredictions(db, filter, Math.min(MAX_PAGE, total - sent), after);
        if (rows.length === 0) return;
        const page = rows.flatMap(predictionsOut);
        yield page;
        sent += page.length;
        after = cursorOf(rows[rows.length - 1]!);
      }
    })();
  }

  /** Stores ground truth for known predictions; unknown ids are reported per item (all unknown: 404). */
  async feedback(input: FeedbackInput[]): Promise<{ accepted: number; unknown: { index: number; request_id: string; row: number }[] }> {
    const now = this.clock();
    const items = parseFeedback(input, now);
    await this.log.flush();
    const found = new Set<string>();
    const ids = [...new Set(items.map((i) => i.request_id))];
    for (let i = 0; i < ids.length; i += 500) {
      for (const r of await preds.findAnswered(this.store.db, ids.slice(i, i + 500)))
        for (let row = 0; row < Math.max(1, Number(r.rows)); row++) found.add(`${r.request_id}\0${row}`);
    }
    const good: FeedbackItem[] = [];
    const unknown: { index: number; request_id: string; row: number }[] = [];
    items.forEach((it, index) => (found.has(`${it.request_id}\0${it.row}`) ? good.push(it) : unknown.push({ index, request_id: it.request_id, row: it.row })));
    if (good.length === 0) {
      const problems = unknown
        .slice(0, 100)
        .map((u) => ({ field: `feedback[${u.index}].request_id`, message: `No logged prediction ${u.request_id} row ${u.row}.` }));
      throw new FerryError(
        'RESOURCE_DOES_NOT_EXIST',
        `None of the ${items.length} feedback items matches a logged prediction (unknown request id or row; sampled-out and expired predictions are not in the log).`,
        problems,
      );
    }
    const stored: StoredFeedback[] = good.map((g) => ({ request_id: g.request_id, row: g.row, kind: g.kind, value: g.value, ts: g.ts ?? now }));
    await preds.upsertFeedback(
      this.store.db,
      stored.map((g) => ({ ...g, value: JSON.stringify(g.value), received_at: now })),
    );
    for (const listener of this.feedbackListeners) await listener(stored);
    return { accepted: good.length, unknown };
  }

  /**
   * Which of these request ids the log holds for the deployment (answered, main route): a stream consumer asks it of
   * a message delivered again, so that its prediction is logged once. What is queued is written first.
   */
  async loggedIds(deployment: string, requestIds: string[]): Promise<Set<string>> {
    await this.log.flush();
    const ids = [...new Set(requestIds)];
    const out = new Set<string>();
    for (let i = 0; i < ids.length; i += 500) for (const r of await preds.findAnswered(this.store.db, ids.slice(i, i + 500), deployment)) out.add(r.request_id);
    return out;
  }

  /**
   * The installation's key for PII hashes: an A/B test keys units with it (hashValue) so that they join with
   * what the log stored for a field its PII rules cover, and raw ids are never stored.
   */
  piiKey(): Buffer {
    return this.state.piiKey;
  }

  /**
   * Where and under which A/B test unit a logged answered request was served (null: not in the log — unknown,
   * sampled out or expired). Rows still in the log's queue are written first, as for feedback.
   */
  async requestUnit(requestId: string): Promise<preds.RequestUnit | null> {
    return (await this.requestUnits([requestId])).get(requestId) ?? null;
  }

  /** requestUnit for many ids at once (what an outcome batch given by request ids needs); ids not found are absent. */
  async requestUnits(requestIds: string[]): Promise<Map<string, preds.RequestUnit>> {
    await this.log.flush();
    const ids = [...new Set(requestIds)];
    const out = new Map<string, preds.RequestUnit>();
    for (let i = 0; i < ids.length; i += 500) for (const [id, u] of await preds.findRequestUnits(this.store.db, ids.slice(i, i + 500))) out.set(id, u);
    return out;
  }

  /** Logged answered requests that succeeded, with their outputs per row and their A/B test units; ids not found are absent. */
  async requestOutputs(requestIds: string[]): Promise<Map<string, preds.RequestOutputs>> {
    await this.log.flush();
    const ids = [...new Set(requestIds)];
    const out = new Map<string, preds.RequestOutputs>();
    for (let i = 0; i < ids.length; i += 500) for (const [id, o] of await preds.findRequestOutputs(this.store.db, ids.slice(i, i + 500))) out.set(id, o);
    return out;
  }

  /** Deletes prediction rows past each deployment's retention. */
  async applyRetention(deployments: string[]): Promise<number> {
    let deleted = 0;
    const now = this.clock();
    for (const d of deployments) deleted += await preds.deletePredictionsBefore(this.store.db, d, now - this.state.settingsFor(d).retention_days * 86_400_000);
    return deleted;
  }
}
