/**
 * Keeps each A/B test's unit sums and per-arm moments up to date as exposures and outcome events are written,
 * in the same transaction as those writes, so the report reads moments rather than events. Writers take one
 * named lock (every replica), which makes read-modify-write of the sums safe:
 * - an outcome event changes its unit's sums in each test that exposed the unit, and the arm's moments by the
 *   difference between the unit's new and old contribution;
 * - a unit's first exposure adds it (its sums computed from the events already stored: CUPED's covariate comes
 *   before exposure); an earlier first exposure moves its windows, so its sums are computed anew.
 */
import type { Kysely } from 'kysely';
import type { ArmMoments } from '../stats/index.js';
import type { AbTestUnitSumTable, AbTestUnitTable, Database, OutcomeTable, Store } from '../store/index.js';
import type { AbTestSpec, MetricPlan } from './abtest-spec.js';
import { metricPlans } from './abtest-spec.js';
import * as agg from './aggregates-repo.js';
import * as repo from './abtest-repo.js';
import { type UnitSums, addInto, applyEvent, bucketOf, emptySums, isZero, planEvents, unitMoments, unitTuple } from './unit-sums.js';

type Db = Kysely<Database>;
type Event = Pick<OutcomeTable, 'unit' | 'metric' | 'value' | 'ts'>;

const LOCK = 'ferry.abtest-aggregates';
const REBUILD_PAGE = 2000;

/** Moment deltas being gathered in one transaction, by test, metric, arm and hour. */
class Deltas {
  private readonly map = new Map<string, { key: agg.MomentKey; m: Required<ArmMoments> }>();

  add(abtestId: string, metric: string, arm: string, firstTs: number, m: Required<ArmMoments>): void {
    const bucket = bucketOf(firstTs);
    const k = `${abtestId}\0${metric}\0${arm}\0${bucket}`;
    const cur = this.map.get(k);
    if (cur) addInto(cur.m, m);
    else this.map.set(k, { key: { abtest_id: abtestId, metric, arm, bucket }, m: { ...m } });
  }

  /** In key order (PostgreSQL row locks taken in one order by every writer). */
  list(): { key: agg.MomentKey; m: Required<ArmMoments> }[] {
    return [...this.map.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, v]) => v)
      .filter((v) => !isZero(v.m));
  }
}

const sumsOfRow = (r: AbTestUnitSumTable): UnitSums => ({ value: r.value, hits: r.hits, denominator: r.denominator, pre: r.pre, preHits: r.pre_hits });

function sumRow(abtestId: string, metric: string, u: AbTestUnitTable, s: UnitSums): AbTestUnitSumTable {
  return {
    abtest_id: abtestId,
    metric,
    unit: u.unit,
    arm: u.arm,
    first_ts: u.first_ts,
    requests: u.requests,
    value: s.value,
    hits: s.hits,
    denominator: s.denominator,
    pre: s.pre,
    pre_hits: s.preHits,
  };
}

export class AbTestAggregator {
  /** Plans of tests that keep aggregates (a spec never changes once made). */
  private readonly plans = new Map<string, MetricPlan[]>();

  constructor(private readonly store: Store) {}

  private transaction<T>(fn: (trx: Db) => Promise<T>): Promise<T> {
    return this.store.dialect.serialized(this.store.db, LOCK, fn);
  }

  /** The metric plans of those tests that keep aggregates (tests made before migration 0012 do once rebuilt). */
  private async plansOf(db: Db, ids: string[]): Promise<Map<string, MetricPlan[]>> {
    const out = new Map<string, MetricPlan[]>();
    const unknown = [...new Set(ids)].filter((id) => {
      const p = this.plans.get(id);
      if (p) out.set(id, p);
      return !p;
    });
    for (const t of await agg.aggregatedTests(db, unknown)) {
      const p = metricPlans(JSON.parse(t.spec) as AbTestSpec);
      this.plans.set(t.abtest_id, p);
      out.set(t.abtest_id, p);
    }
    return out;
  }

  /** Writes exposures (abtest_units upserts) and brings the aggregates of their units up to date. */
  async recordExposures(rows: AbTestUnitTable[]): Promise<void> {
    if (rows.length === 0) return;
    const sorted = [...rows].sort((a, b) => (a.abtest_id + '\0' + a.unit < b.abtest_id + '\0' + b.unit ? -1 : 1));
    await this.transaction(async (trx) => {
      await repo.upsertUnits(trx, sorted);
      const plans = await this.plansOf(
        trx,
        sorted.map((r) => r.abtest_id),
      );
      const deltas = new Deltas();
      const writes: AbTestUnitSumTable[] = [];
      const placed: AbTestUnitSumTable[] = [];
      for (const [abtestId, testPlans] of plans) {
        const names = sorted.filter((r) => r.abtest_id === abtestId).map((r) => r.unit);
        const units = await agg.unitsOfTest(trx, abtestId, names);
        const stored = new Map((await agg.sumsOf(trx, abtestId, names)).map((r) => [`${r.metric}\0${r.unit}`, r]));
        const anew: AbTestUnitTable[] = [];
        for (const u of units) {
          const rows = testPlans.map((p) => stored.get(`${p.metric}\0${u.unit}`));
          // New, or first exposed earlier than known (its windows moved), or (never) another arm: computed anew.
          if (rows.some((r) => !r || r.first_ts !== u.first_ts || r.arm !== u.arm)) {
            anew.push(u);
            continue;
          }
          // Same windows: only the request count changed, which is the denominator of `$requests` ratios.
          testPlans.forEach((p, i) => {
            const r = rows[i]!;
            if (r.requests === u.requests) return;
            const s = sumsOfRow(r);
            deltas.add(abtestId, p.metric, u.arm, u.first_ts, unitMoments(unitTuple(p, s, u.requests)));
            deltas.add(abtestId, p.metric, r.arm, r.first_ts, unitMoments(unitTuple(p, s, r.requests), -1));
            placed.push(sumRow(abtestId, p.metric, u, s));
          });
        }
        await this.computeAnew(trx, abtestId, testPlans, anew, stored, deltas, writes);
      }
      await agg.upsertSums(trx, writes);
      await agg.upsertSums(trx, placed, true);
      await agg.addMoments(trx, deltas.list());
    });
  }

  /**
   * Computes these units' sums from their stored events, replacing what was stored (its contribution to the
   * moments taken away first).
   */
  private async computeAnew(
    trx: Db,
    abtestId: string,
    testPlans: MetricPlan[],
    units: AbTestUnitTable[],
    stored: Map<string, AbTestUnitSumTable>,
    deltas: Deltas,
    writes: AbTestUnitSumTable[],
  ): Promise<void> {
    if (units.length === 0) return;
    const names = [...new Set(testPlans.flatMap(planEvents))];
    const byUnit = new Map<string, Event[]>();
    for (const e of await agg.eventsOf(
      trx,
      units.map((u) => u.unit),
      names,
    )) {
      const list = byUnit.get(e.unit);
      if (list) list.push(e);
      else byUnit.set(e.unit, [e]);
    }
    for (const u of units) {
      const events = byUnit.get(u.unit) ?? [];
      for (const p of testPlans) {
        const old = stored.get(`${p.metric}\0${u.unit}`);
        if (old) deltas.add(abtestId, p.metric, old.arm, old.first_ts, unitMoments(unitTuple(p, sumsOfRow(old), old.requests), -1));
        const s = emptySums();
        for (const e of events) applyEvent(p, u.first_ts, e, s, 1);
        deltas.add(abtestId, p.metric, u.arm, u.first_ts, unitMoments(unitTuple(p, s, u.requests)));
        writes.push(sumRow(abtestId, p.metric, u, s));
      }
    }
  }

  /**
   * Runs `write` (which inserts, updates or deletes outcome events and says which) in the aggregates'
   * transaction, then credits the added events and takes the removed ones back.
   */
  async writeOutcomes<T>(write: (trx: Db) => Promise<{ added: Event[]; removed: Event[]; result: T }>): Promise<T> {
    return this.transaction(async (trx) => {
      const { added, removed, result } = await write(trx);
      await this.applyEvents(trx, [...added.map((e) => ({ e, sign: 1 as const })), ...removed.map((e) => ({ e, sign: -1 as const }))]);
      return result;
    });
  }

  private async applyEvents(trx: Db, events: { e: Event; sign: 1 | -1 }[]): Promise<void> {
    if (events.length === 0) return;
    const exposures = await agg.unitsByUnit(trx, [...new Set(events.map((x) => x.e.unit))]);
    if (exposures.length === 0) return;
    const plans = await this.plansOf(
      trx,
      exposures.map((u) => u.abtest_id),
    );
    const byUnit = new Map<string, { e: Event; sign: 1 | -1 }[]>();
    for (const x of events) {
      const list = byUnit.get(x.e.unit);
      if (list) list.push(x);
      else byUnit.set(x.e.unit, [x]);
    }
    const deltas = new Deltas();
    const writes: AbTestUnitSumTable[] = [];
    const placed: AbTestUnitSumTable[] = [];
    for (const [abtestId, testPlans] of plans) {
      const names = new Set(testPlans.flatMap(planEvents));
      const units = exposures.filter((u) => u.abtest_id === abtestId && byUnit.get(u.unit)!.some((x) => names.has(x.e.metric)));
      if (units.length === 0) continue;
      const stored = new Map(
        (
          await agg.sumsOf(
            trx,
            abtestId,
            units.map((u) => u.unit),
          )
        ).map((r) => [`${r.metric}\0${r.unit}`, r]),
      );
      const anew: AbTestUnitTable[] = [];
      for (const u of units) {
        const rows = testPlans.map((p) => stored.get(`${p.metric}\0${u.unit}`));
        if (rows.some((r) => !r || r.first_ts !== u.first_ts || r.arm !== u.arm || r.requests !== u.requests)) {
          // Out of step with its exposure (never, unless a write failed half-way): computed anew from its events.
          anew.push(u);
          continue;
        }
        testPlans.forEach((p, i) => {
          const r = rows[i]!;
          const s = sumsOfRow(r);
          let changed = false;
          for (const x of byUnit.get(u.unit)!) changed = applyEvent(p, u.first_ts, x.e, s, x.sign) || changed;
          if (!changed) return;
          deltas.add(abtestId, p.metric, u.arm, u.first_ts, unitMoments(unitTuple(p, s, u.requests)));
          deltas.add(abtestId, p.metric, u.arm, u.first_ts, unitMoments(unitTuple(p, sumsOfRow(r), u.requests), -1));
          placed.push(sumRow(abtestId, p.metric, u, s));
        });
      }
      await this.computeAnew(trx, abtestId, testPlans, anew, stored, deltas, writes);
    }
    await agg.upsertSums(trx, writes);
    await agg.upsertSums(trx, placed, true);
    await agg.addMoments(trx, deltas.list());
  }

  /**
   * Builds a test's aggregates from its exposures and the stored events (a test made before migration 0012, at its
   * first report), page by page in one transaction, and marks it as keeping them from then on.
   */
  async build(abtestId: string, spec: AbTestSpec): Promise<void> {
    await this.transaction(async (trx) => {
      if (await agg.isAggregated(trx, abtestId)) return;
      await agg.clearAggregates(trx, abtestId);
      const testPlans = metricPlans(spec);
      let after = '';
      for (;;) {
        const units = await agg.unitPage(trx, abtestId, after, REBUILD_PAGE);
        if (units.length === 0) break;
        const deltas = new Deltas();
        const writes: AbTestUnitSumTable[] = [];
        await this.computeAnew(trx, abtestId, testPlans, units, new Map(), deltas, writes);
        await agg.upsertSums(trx, writes);
        await agg.addMoments(trx, deltas.list());
        if (units.length < REBUILD_PAGE) break;
        after = units[units.length - 1]!.unit;
      }
      await agg.markAggregated(trx, abtestId);
    });
  }
}
