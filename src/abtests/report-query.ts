/**
 * The report's reads: per-arm moments of a metric over the units mature at a time, from the aggregates the
 * aggregator keeps (aggregator.ts). Hours of first exposure whose units are all mature are added whole; the one
 * hour that is mature only in part is read unit by unit. A report therefore reads a few hundred rows whatever
 * the number of units and events.
 */
import type { Kysely } from 'kysely';
import { type ArmMoments, emptyArmMoments } from '../stats/index.js';
import type { Database } from '../store/index.js';
import type { MetricPlan } from './abtest-spec.js';
import * as agg from './aggregates-repo.js';
import { BUCKET_MS, addInto, bucketOf, unitMoments, unitTuple } from './unit-sums.js';

type Db = Kysely<Database>;

/**
 * Per arm, the moments of the units first exposed at or before `last`, with their sums for `plan`'s metric; arms
 * other than `arms` are left out.
 */
async function momentsUpTo(
  db: Db,
  abtestId: string,
  plan: MetricPlan,
  arms: string[],
  last: number,
  units: boolean,
): Promise<Map<string, Required<ArmMoments>>> {
  const out = new Map(arms.map((a) => [a, emptyArmMoments()]));
  const partial = bucketOf(last);
  const whole = last === partial + BUCKET_MS - 1;
  for (const r of await agg.momentRows(db, abtestId, plan.metric, last)) {
    const m = out.get(r.arm);
    if (m && (Number(r.bucket) < partial || whole)) addInto(m, agg.momentsOfRow(r));
  }
  if (!whole)
    for (const s of await agg.sumsExposedBetween(db, abtestId, plan.metric, partial, last)) {
      const m = out.get(s.arm);
      if (!m) continue;
      if (units) m.n += 1;
      else addInto(m, unitMoments(unitTuple(plan, { value: s.value, hits: s.hits, denominator: s.denominator, pre: s.pre, preHits: s.pre_hits }, s.requests)));
    }
  return out;
}

/** Per arm, the moments of the metric over the units mature at `at` (first_ts + delay + window ≤ at). */
export function matureMoments(db: Db, abtestId: string, plan: MetricPlan, arms: string[], at: number): Promise<Map<string, Required<ArmMoments>>> {
  return momentsUpTo(db, abtestId, plan, arms, at - plan.delayMs - plan.windowMs, false);
}

/** Units exposed by `at`, per arm (the sample-ratio check, and mature + pending), counted from any metric's moments. */
export async function exposedByArm(db: Db, abtestId: string, plan: MetricPlan, arms: string[], at: number): Promise<Map<string, number>> {
  const m = await momentsUpTo(db, abtestId, plan, arms, at, true);
  return new Map([...m].map(([arm, x]) => [arm, x.n]));
}
