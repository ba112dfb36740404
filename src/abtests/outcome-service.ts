/**
 * Outcome events (conversions, revenue, defaults, clicks) by unit or by request. Stored keyed like the units
 * (HMAC with the installation's PII key), whenever they arrive: the report credits each to its unit's
 * attribution window by its timestamp. Per item, units no A/B test has seen are reported (and stored all the
 * same: an event before first exposure is CUPED's covariate); requests that are unknown, or were served outside
 * any A/B test, are reported and not stored. Nothing stored at all: 404, as feedback answers.
 */
import { randomUUID } from 'node:crypto';
import { FerryError } from '../errors.js';
import type { Store } from '../store/index.js';
import * as repo from './abtest-repo.js';
import type { AbTestAggregator } from './aggregator.js';
import { type OutcomeInput, parseOutcomes } from './outcomes.js';

/** The prediction log's look-up of logged requests (their units as stored there: keyed, or as sent); ids not found are absent. */
export type RequestUnitLookup = (
  requestIds: string[],
) => Promise<Map<string, { deployment: string; unit: string | null; abtest: string | null; modelVersion: string; ts: number }>>;

export interface OutcomeResult {
  accepted: number;
  unknown: { index: number; unit?: string; request_id?: string; reason: string }[];
}

const KEYED = /^h:[0-9a-f]{32}$/;

export class OutcomeService {
  constructor(
    private readonly store: Store,
    private readonly aggregator: AbTestAggregator,
    private readonly unitKey: (raw: string) => string,
    private readonly requestUnits: RequestUnitLookup,
    /** Writes buffered exposures first, so a request served a moment ago finds its unit. */
    private readonly flushExposures: () => Promise<void>,
    private readonly clock: () => number = Date.now,
  ) {}

  async submit(input: OutcomeInput[]): Promise<OutcomeResult> {
    const now = this.clock();
    const events = parseOutcomes(input, now);
    await this.flushExposures();
    const unknown: OutcomeResult['unknown'] = [];
    const rows: { outcome_id: string; unit: string; metric: string; value: number; ts: number; request_id: string | null; received_at: number }[] = [];
    const byRequest = await this.resolveRequests(events.flatMap((e) => (e.request_id !== undefined ? [e.request_id] : [])));
    const keyedUnits = events.map((e) => (e.unit !== undefined ? this.unitKey(e.unit) : null));
    const exposed = await repo.exposedUnits(
      this.store.db,
      keyedUnits.filter((u): u is string => u !== null),
    );
    events.forEach((e, i) => {
      const row = { outcome_id: randomUUID(), metric: e.metric, value: e.value, ts: e.ts, received_at: now };
      if (e.unit !== undefined) {
        const unit = keyedUnits[i]!;
        if (!exposed.has(unit)) unknown.push({ index: e.index, unit: e.unit, reason: 'no A/B test has exposed this unit (yet); stored all the same' });
        rows.push({ ...row, unit, request_id: null });
        return;
      }
      const r = byRequest.get(e.request_id!)!;
      if ('reason' in r) unknown.push({ index: e.index, request_id: e.request_id!, reason: r.reason });
      else rows.push({ ...row, unit: r.unit, request_id: e.request_id! });
    });
    if (rows.length === 0)
      throw new FerryError(
        'RESOURCE_DOES_NOT_EXIST',
        `None of the ${events.length} outcome events could be credited to a unit (unknown requests, or requests served outside any A/B test; sampled-out and expired predictions are not in the log).`,
        unknown.slice(0, 100).map((u) => ({ field: `outcomes[${u.index}].request_id`, message: u.reason })),
      );
    // In the aggregates' transaction: each event is credited to its units' sums as it is stored.
    await this.aggregator.writeOutcomes(async (trx) => {
      await repo.insertOutcomes(trx, rows);
      return { added: rows, removed: [], result: undefined };
    });
    return { accepted: rows.length, unknown };
  }

  /** Each request id's unit as abtest_units keys it, or why it has none (model-quality events are credited so too). */
  async resolveRequests(ids: string[]): Promise<Map<string, { unit: string } | { reason: string }>> {
    const out = new Map<string, { unit: string } | { reason: string }>();
    const found = new Map<string, string>();
    const units = await this.requestUnits([...new Set(ids)]);
    for (const id of new Set(ids)) {
      const r = units.get(id);
      if (!r) out.set(id, { reason: 'no logged prediction has this request id (unknown, sampled out or expired)' });
      else if (r.unit === null || r.abtest === null) out.set(id, { reason: 'the request was served outside any A/B test' });
      else found.set(id, r.unit);
    }
    // The log keeps a unit keyed when PII rules cover its field, else as sent; abtest_units always keyed.
    const candidates = [...found.values()].flatMap((u) => [u, this.unitKey(u)]);
    const exposed = await repo.exposedUnits(this.store.db, candidates);
    for (const [id, u] of found) {
      const keyed = this.unitKey(u);
      const unit = exposed.has(keyed) ? keyed : exposed.has(u) || KEYED.test(u) ? u : keyed;
      out.set(id, { unit });
    }
    return out;
  }
}
