/**
 * The alert engine: evaluates every enabled rule (value from the AlertMetricSource → state machine), writes
 * states and history, groups what is due per deployment and hands the groups to the dispatcher. Evaluations
 * never overlap (the scheduler and POST /api/v1/alerts/evaluate queue behind each other). The scheduler runs
 * one evaluation every interval (FERRY_ALERT_EVAL_SECONDS, default 30 s) on an unref'd timer.
 */
import { InvalidParameterError } from '../errors.js';
import type { Store } from '../store/index.js';
import * as repo from './alert-repo.js';
import { AlertService, type Clock, fingerprintOf, type RuleView, ruleView } from './alert-service.js';
import { type Resolver, systemResolver } from './destinations.js';
import { type Logger, Dispatcher, type NotificationResult } from './dispatcher.js';
import { durationField, instantField } from '../fields.js';
import { type EvaluatedAlert, type Marker, planNotifications } from './grouping.js';
import type { AlertMetricSource } from './metric-source.js';
import { NotifierService } from './notifier-service.js';
import { listNotifications } from './notify-repo.js';
import { conditionHolds } from './rule-spec.js';
import { SilenceService } from './silence-service.js';
import { type AlertEvent, type AlertStateName, type AlertStateValue, INITIAL_STATE, step } from './state-machine.js';
import { DEFAULT_SEND_OPTIONS, type SendOptions } from './webhook-sender.js';

export interface AlertEngineOptions {
  /** Between evaluations; default from FERRY_ALERT_EVAL_SECONDS, else 30 s. */
  intervalMs?: number;
  /** A firing alert is announced again after this long; default from FERRY_ALERT_REPEAT_INTERVAL, else 4h. */
  repeatIntervalMs?: number;
  send?: Partial<SendOptions>;
  resolve?: Resolver;
  now?: Clock;
  log?: Logger & { error(obj: object, msg: string): void };
  /**
   * Runs a scheduled evaluation only where the cluster says (one replica per cluster evaluates and notifies);
   * absent: always here.
   */
  runOnce?: (task: string, intervalMs: number, fn: () => Promise<void>) => Promise<boolean>;
}

export interface Transition {
  rule: string;
  rule_id: string;
  deployment: string;
  metric: string;
  from: AlertStateName;
  to: AlertStateName;
  event: AlertEvent;
  value: number | null;
  at: number;
}

export interface EvaluationResult {
  evaluated_at: number;
  rules: number;
  transitions: Transition[];
  notifications: NotificationResult[];
}

/** The settings read from the environment (here, not in config.ts, to keep alerting self-contained). */
export function alertSettingsFromEnv(env: Record<string, string | undefined> = process.env): { intervalMs: number; repeatIntervalMs: number } {
  const raw = env['FERRY_ALERT_EVAL_SECONDS'];
  const seconds = raw === undefined || raw === '' ? 30 : Number(raw);
  if (!Number.isFinite(seconds) || seconds < 1 || seconds > 86_400)
    throw new InvalidParameterError(
      'FERRY_ALERT_EVAL_SECONDS',
      `FERRY_ALERT_EVAL_SECONDS must be a number of seconds from 1 to 86400, got ${JSON.stringify(raw)}.`,
    );
  const repeat = env['FERRY_ALERT_REPEAT_INTERVAL'];
  return { intervalMs: Math.round(seconds * 1000), repeatIntervalMs: repeat ? durationField(repeat, 'FERRY_ALERT_REPEAT_INTERVAL') : 4 * 3_600_000 };
}

const stateValue = (s: repo.StateRow | undefined): AlertStateValue =>
  s
    ? {
        state: s.state as AlertStateValue['state'],
        active_since: s.active_since,
        firing_since: s.firing_since,
        keep_firing_since: s.keep_firing_since,
        last_value: s.last_value,
        last_eval_at: s.last_eval_at,
        resolved_at: s.resolved_at,
      }
    : INITIAL_STATE;

export class AlertEngine {
  readonly rules: AlertService;
  readonly silences: SilenceService;
  readonly notifiers: NotifierService;
  readonly intervalMs: number;
  readonly repeatIntervalMs: number;
  private readonly dispatcher: Dispatcher;
  private readonly clock: Clock;
  private queue: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(
    private readonly store: Store,
    private source: AlertMetricSource,
    private readonly opts: AlertEngineOptions = {},
  ) {
    const env = opts.intervalMs === undefined || opts.repeatIntervalMs === undefined ? alertSettingsFromEnv() : undefined;
    this.intervalMs = opts.intervalMs ?? env!.intervalMs;
    this.repeatIntervalMs = opts.repeatIntervalMs ?? env!.repeatIntervalMs;
    this.clock = opts.now ?? Date.now;
    const resolve = opts.resolve ?? systemResolver;
    this.rules = new AlertService(store, this.clock);
    this.silences = new SilenceService(store, this.clock);
    this.notifiers = new NotifierService(store, this.clock, resolve);
    this.dispatcher = new Dispatcher(store, this.notifiers, { ...DEFAULT_SEND_OPTIONS, ...opts.send }, resolve, opts.log);
  }

  /** Replaces where metric values come from (monitoring passes its own). */
  useSource(source: AlertMetricSource): void {
    this.source = source;
  }

  /** One evaluation at `now` (default: the clock); waits for any evaluation in progress first. */
  evaluateNow(now?: number): Promise<EvaluationResult> {
    const run = this.queue.then(() => this.evaluate(now ?? this.clock()));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async valueOf(r: RuleView, now: number): Promise<number | null> {
    try {
      const v = await this.source.value(r.deployment, r.metric, r.window_ms, now);
      return typeof v === 'number' ? v : null;
    } catch (err) {
      // A failing source is no data for this rule: it does not fire, and a firing alert may resolve.
      this.opts.log?.warn({ rule: r.name, metric: r.metric, error: (err as Error).message }, 'alert metric unavailable');
      return null;
    }
  }

  private async evaluate(now: number): Promise<EvaluationResult> {
    const db = this.store.db;
    const rules = (await repo.listRules(db, { enabledOnly: true })).map(ruleView);
    const states = await repo.statesOf(
      db,
      rules.map((r) => r.id),
    );
    const values = await Promise.all(rules.map((r) => this.valueOf(r, now)));
    const evaluated: EvaluatedAlert[] = [];
    const transitions: Transition[] = [];
    const history: repo.NewHistory[] = [];
    rules.forEach((rule, i) => {
      const prev = states.get(rule.id);
      const before = stateValue(prev);
      const value = values[i]!;
      const { next, event } = step(before, rule, conditionHolds(value, rule.comparison, rule.threshold), value, now);
      const fingerprint = fingerprintOf(rule.id, rule.labels);
      evaluated.push({
        rule,
        fingerprint,
        event,
        before,
        after: next,
        last_notified_at: prev?.last_notified_at ?? null,
        notified_status: prev?.notified_status ?? null,
      });
      if (!event) return;
      transitions.push({
        rule: rule.name,
        rule_id: rule.id,
        deployment: rule.deployment,
        metric: rule.metric,
        from: before.state,
        to: next.state,
        event,
        value,
        at: now,
      });
      history.push({
        rule_id: rule.id,
        rule_name: rule.name,
        deployment: rule.deployment,
        metric: rule.metric,
        event,
        value: value !== null && Number.isFinite(value) ? value : null,
        threshold: rule.threshold,
        comparison: rule.comparison,
        severity: rule.severity,
        fingerprint,
        ts: now,
      });
    });
    const notifiers = await this.notifiers.enabledWithSecrets();
    const silences = await this.silences.current(now);
    let { groups, markers } = planNotifications(evaluated, silences, now, this.repeatIntervalMs);
    if (notifiers.length === 0) {
      // Nowhere to send: firing alerts stay unannounced (a notifier added later still hears of them).
      const unsent = new Set(groups.filter((g) => g.status === 'firing').flatMap((g) => g.alerts.map((a) => a.rule_id)));
      markers = markers.filter((m) => !(m.notified_status === 'firing' && unsent.has(m.rule_id)));
      groups = groups.map((g) => ({ ...g, alerts: [] }));
    }
    const marks = new Map<string, Marker>(markers.map((m) => [m.rule_id, m]));
    await db.transaction().execute(async (trx) => {
      for (const a of evaluated) {
        const m = marks.get(a.rule.id);
        await repo.saveState(trx, {
          rule_id: a.rule.id,
          ...a.after,
          fingerprint: a.fingerprint,
          last_value: a.after.last_value !== null && Number.isFinite(a.after.last_value) ? a.after.last_value : null,
          last_notified_at: m ? m.last_notified_at : a.last_notified_at,
          notified_status: m ? m.notified_status : a.notified_status,
        });
      }
      await repo.insertHistory(trx, history);
    });
    const notifications: NotificationResult[] = [];
    for (const g of groups) notifications.push(...(await this.dispatcher.dispatch(g, notifiers, now)));
    return { evaluated_at: now, rules: rules.length, transitions, notifications };
  }

  /** Notifications (sent, failed, silenced), newest first, with the body as sent; `since` as a time bound ("24h" ago, ISO, epoch ms). */
  async notifications(q: { deployment?: string; since?: string; maxResults?: number } = {}) {
    const since = q.since !== undefined ? instantField(q.since, 'since', this.clock()) : undefined;
    const rows = await listNotifications(this.store.db, { deployment: q.deployment, since, limit: q.maxResults ?? 100 });
    return rows.map((r) => ({
      // Written by the dispatcher from its own unions.
      id: r.id,
      group_key: r.group_key,
      deployment: r.deployment,
      alert_status: r.alert_status as NotificationResult['alert_status'],
      notifier: r.notifier_name,
      notifier_id: r.notifier_id,
      status: r.status as NotificationResult['status'],
      attempts: Number(r.attempts),
      last_error: r.last_error,
      created_at: Number(r.created_at),
      sent_at: r.sent_at === null ? null : Number(r.sent_at),
      payload: JSON.parse(r.payload) as unknown,
    }));
  }

  /** Starts evaluating every interval (the first one interval from now). */
  start(): void {
    if (this.running) return;
    this.running = true;
    const tick = () => {
      this.timer = setTimeout(() => {
        const evaluate = async () => {
          await this.evaluateNow();
        };
        (this.opts.runOnce ? this.opts.runOnce('alerts', this.intervalMs, evaluate) : evaluate())
          .catch((err: unknown) => this.opts.log?.error({ err }, 'alert evaluation failed'))
          .finally(() => {
            if (this.running) tick();
          });
      }, this.intervalMs);
      this.timer.unref();
    };
    tick();
  }

  /** Stops the scheduler and waits for an evaluation in progress. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.queue;
  }
}
