/** Alert rules (CRUD), current alert states and the history of alert events. No HTTP here. */
import { createHash, randomUUID } from 'node:crypto';
import { AlreadyExistsError, InvalidParameterError, NotFoundError } from '../errors.js';
import { isUniqueViolation, type Store } from '../store/index.js';
import * as repo from './alert-repo.js';
import { formatDuration } from '../contract/duration.js';
import { instantField } from '../fields.js';
import type { RuleFacts } from './grouping.js';
import { type Comparison, parseRuleSpec, type RuleInput, type RuleSpec, type Severity } from './rule-spec.js';
import type { AlertEvent, AlertStateName } from './state-machine.js';

export type Clock = () => number;

export interface RuleView extends RuleFacts {
  window: string;
  window_ms: number;
  for: string;
  for_ms: number;
  keep_firing_for: string;
  keep_firing_for_ms: number;
  enabled: boolean;
  created_at: number;
  created_by: string;
  updated_at: number;
}

export function ruleView(r: repo.RuleRow): RuleView {
  return {
    id: r.id,
    name: r.name,
    deployment: r.deployment,
    metric: r.metric,
    comparison: r.comparison as Comparison,
    threshold: Number(r.threshold),
    window: formatDuration(Number(r.window_ms)),
    window_ms: Number(r.window_ms),
    for: formatDuration(Number(r.for_ms)),
    for_ms: Number(r.for_ms),
    keep_firing_for: formatDuration(Number(r.keep_firing_for_ms)),
    keep_firing_for_ms: Number(r.keep_firing_for_ms),
    severity: r.severity as Severity,
    labels: JSON.parse(r.labels) as Record<string, string>,
    enabled: Boolean(r.enabled),
    created_at: Number(r.created_at),
    created_by: r.created_by,
    updated_at: Number(r.updated_at),
  };
}

/** One alert's identity: the rule id and its labels (label order does not matter). */
export function fingerprintOf(ruleId: string, labels: Record<string, string>): string {
  const sorted = Object.keys(labels)
    .sort()
    .map((k) => [k, labels[k]]);
  return createHash('sha256').update(ruleId).update('\0').update(JSON.stringify(sorted)).digest('hex').slice(0, 16);
}

/** The rule's fields as a request body (for updates that change some fields only). */
function asInput(v: RuleView): RuleInput {
  return {
    name: v.name,
    deployment: v.deployment,
    metric: v.metric,
    comparison: v.comparison,
    threshold: v.threshold,
    window: v.window,
    for: v.for,
    keep_firing_for: v.keep_firing_for,
    severity: v.severity,
    labels: v.labels,
    enabled: v.enabled,
  };
}

function rowOf(spec: RuleSpec): Omit<repo.RuleRow, 'id' | 'created_at' | 'created_by' | 'updated_at'> {
  return { ...spec, labels: JSON.stringify(spec.labels), enabled: spec.enabled ? 1 : 0 };
}

export type AlertStateFilter = 'pending' | 'firing' | 'inactive' | 'active' | 'all';

export interface HistoryQuery {
  deployment?: string;
  /** A rule id or name. */
  rule?: string;
  /** ISO 8601, epoch ms, or a duration ago. */
  since?: string;
  until?: string;
  /** Default 100. */
  maxResults?: number;
  /** The next_page_token of an earlier page (an event id). */
  pageToken?: string;
}

export class AlertService {
  constructor(
    private readonly store: Store,
    private readonly now: Clock = Date.now,
  ) {}

  async createRule(input: RuleInput, by: string): Promise<RuleView> {
    const spec = parseRuleSpec(input);
    const now = this.now();
    const row: repo.RuleRow = { id: randomUUID(), ...rowOf(spec), created_at: now, created_by: by, updated_at: now };
    if (await repo.findRule(this.store.db, spec.name)) throw new AlreadyExistsError(`Alert rule '${spec.name}' already exists.`);
    await repo.insertRule(this.store.db, row).catch((err: unknown) => {
      throw isUniqueViolation(err) ? new AlreadyExistsError(`Alert rule '${spec.name}' already exists.`) : err;
    });
    return ruleView(row);
  }

  async getRule(ref: string): Promise<RuleView> {
    const r = await repo.findRule(this.store.db, ref);
    if (!r) throw new NotFoundError(`Alert rule '${ref}' does not exist.`);
    return ruleView(r);
  }

  async listRules(deployment?: string): Promise<RuleView[]> {
    return (await repo.listRules(this.store.db, { deployment })).map(ruleView);
  }

  /** Changes the fields given; the others keep their values. A disabled rule's alert state is cleared. */
  async updateRule(ref: string, patch: Partial<RuleInput>): Promise<RuleView> {
    const current = await this.getRule(ref);
    const spec = parseRuleSpec({ ...asInput(current), ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) });
    if (spec.name !== current.name && (await repo.findRule(this.store.db, spec.name)))
      throw new AlreadyExistsError(`Alert rule '${spec.name}' already exists.`);
    await this.store.db
      .transaction()
      .execute(async (trx) => {
        await repo.updateRule(trx, current.id, { ...rowOf(spec), updated_at: this.now() });
        if (!spec.enabled) await repo.deleteState(trx, current.id);
      })
      .catch((err: unknown) => {
        throw isUniqueViolation(err) ? new AlreadyExistsError(`Alert rule '${spec.name}' already exists.`) : err;
      });
    return this.getRule(current.id);
  }

  /** Deletes the rule and its current state; its history stays. */
  async deleteRule(ref: string): Promise<void> {
    const r = await this.getRule(ref);
    await repo.deleteRule(this.store.db, r.id);
  }

  /** Alerts with their state: by default those pending or firing ('active'); `state` narrows or widens it. */
  async currentAlerts(q: { deployment?: string; state?: AlertStateFilter } = {}) {
    const { deployment } = q;
    const state = q.state ?? 'active';
    const rules = (await repo.listRules(this.store.db, { deployment })).map(ruleView);
    const states = await repo.statesOf(
      this.store.db,
      rules.map((r) => r.id),
    );
    const out = rules.map((r) => {
      const s = states.get(r.id);
      return {
        rule: r.name,
        rule_id: r.id,
        deployment: r.deployment,
        metric: r.metric,
        comparison: r.comparison,
        threshold: r.threshold,
        severity: r.severity,
        labels: r.labels,
        enabled: r.enabled,
        state: (s?.state ?? 'inactive') as AlertStateName,
        value: s?.last_value ?? null,
        active_since: s?.active_since ?? null,
        firing_since: s?.firing_since ?? null,
        keep_firing_since: s?.keep_firing_since ?? null,
        resolved_at: s?.resolved_at ?? null,
        last_eval_at: s?.last_eval_at ?? null,
        fingerprint: s?.fingerprint ?? fingerprintOf(r.id, r.labels),
      };
    });
    if (state === 'all') return out;
    if (state === 'active') return out.filter((a) => a.state !== 'inactive');
    return out.filter((a) => a.state === state);
  }

  /** Alert events, newest first, filtered by deployment, rule (id or name) and time; paginated by page_token. */
  async history(q: HistoryQuery = {}) {
    const now = this.now();
    const limit = q.maxResults ?? 100;
    const token = q.pageToken;
    if (token !== undefined && !/^\d{1,15}$/.test(token))
      throw new InvalidParameterError('page_token', "Invalid 'page_token': pass the next_page_token of an earlier answer.");
    const since = q.since !== undefined ? instantField(q.since, 'since', now) : undefined;
    const until = q.until !== undefined ? instantField(q.until, 'until', now) : undefined;
    if (since !== undefined && until !== undefined && until < since) throw new InvalidParameterError('until', "'until' is before 'since'.");
    const rows = await repo.listHistory(this.store.db, {
      deployment: q.deployment,
      rule: q.rule,
      since,
      until,
      before: token ? Number(token) : undefined,
      limit,
    });
    const page = rows.slice(0, limit);
    return {
      // Stored by the engine from the rule's own (validated) fields.
      events: page.map((h) => ({
        id: Number(h.id),
        rule: h.rule_name,
        rule_id: h.rule_id,
        deployment: h.deployment,
        metric: h.metric,
        event: h.event as AlertEvent,
        value: h.value === null ? null : Number(h.value),
        threshold: Number(h.threshold),
        comparison: h.comparison as Comparison,
        severity: h.severity as Severity,
        fingerprint: h.fingerprint,
        ts: Number(h.ts),
      })),
      ...(rows.length > limit ? { next_page_token: String(page[page.length - 1]!.id) } : {}),
    };
  }
}
