// The benchmark's data, seeded: one A/B test (two arms, 50/50) whose units were first exposed over 14 days, and
// outcome events of three metrics (two the test reads, one it does not), some before exposure (CUPED's
// covariate), most in the unit's window, some after it. Loaded into a fresh SQLite store through Ferry's own
// write path: the test made by AbTestService (its spec is exactly what `POST /api/v1/abtests` stores), the
// exposures and the events written by AbTestAggregator, which keeps the test's unit sums and per-arm moments up
// to date as they are written — what the exposure recorder and `POST /api/v1/outcomes` do on a server.
import { sql } from 'kysely';
import { openStore } from 'ferry/store';
import { AbTestAggregator, AbTestService } from '../../dist/abtests/index.js';

const DAY = 86_400_000;
export const T0 = Date.UTC(2026, 10, 1); // first exposures from here, over EXPOSURE_DAYS
export const EXPOSURE_DAYS = 14;
export const WINDOW_DAYS = 7;
export const LOOKBACK_DAYS = 14;
/** The report's `at`: every unit's window has closed by then (all units mature). */
export const REPORT_AT = T0 + (EXPOSURE_DAYS + WINDOW_DAYS + 1) * DAY;
export const ABTEST = 'bench-ab';
export const ARMS = ['v1', 'v2'];

/** What the test measures: a proportion (primary) and a mean with CUPED (guardrail). */
export const CREATE = {
  name: ABTEST,
  deployment: 'bench-deployment',
  description: 'bench/abtest',
  primary_metric: { metric: 'conversion', kind: 'proportion', window: `${WINDOW_DAYS}d` },
  guardrails: [{ metric: 'revenue', kind: 'mean', window: `${WINDOW_DAYS}d`, cuped_lookback: `${LOOKBACK_DAYS}d` }],
};

/** mulberry32: a small seeded generator (uniform in [0, 1)). */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hex8 = (x) => (x >>> 0).toString(16).padStart(8, '0');

/** Units: keyed as Ferry keys them ('h:' and 32 hex; random prefix so key order is not index order), arm, first exposure, a revenue propensity. */
function makeUnits(n, rand) {
  const keys = new Array(n);
  const arm = new Uint8Array(n);
  const first = new Float64Array(n);
  const propensity = new Float64Array(n);
  const requests = new Uint16Array(n);
  for (let i = 0; i < n; i++) {
    const r = () => Math.floor(rand() * 4294967296);
    keys[i] = `h:${hex8(r())}${hex8(r())}${hex8(r())}${hex8(i)}`;
    arm[i] = rand() < 0.5 ? 0 : 1;
    first[i] = T0 + Math.floor(rand() * EXPOSURE_DAYS * DAY);
    // Log-normal (Box–Muller): some units spend far more than others, before and after exposure alike.
    const g = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
    propensity[i] = Math.exp(0.6 * g);
    requests[i] = 1 + Math.floor(rand() * 20);
  }
  return { n, keys, arm, first, propensity, requests };
}

/**
 * Events: each picks a unit uniformly; 6% conversions (6.6% in the treatment arm), 84% revenue (2% more in the
 * treatment), 10% another metric; 15% of them before exposure (up to 21 days: some beyond the lookback), 70% in
 * the window, 15% after it. Returned bucketed by hour so they load in about the order they would arrive.
 */
function makeEvents(n, units, rand) {
  const unit = new Int32Array(n);
  const metric = new Uint8Array(n); // 0 conversion, 1 revenue, 2 other
  const value = new Float64Array(n);
  const ts = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = Math.floor(rand() * units.n);
    const treat = units.arm[u] === 1;
    const m = rand();
    const when = rand();
    const t =
      when < 0.15
        ? units.first[u] - 1 - Math.floor(rand() * 21 * DAY)
        : when < 0.85
          ? units.first[u] + Math.floor(rand() * WINDOW_DAYS * DAY)
          : units.first[u] + WINDOW_DAYS * DAY + Math.floor(rand() * 7 * DAY);
    unit[i] = u;
    ts[i] = t;
    if (m < (treat && when >= 0.15 ? 0.066 : 0.06)) {
      metric[i] = 0;
      value[i] = 1;
    } else if (m < 0.9) {
      metric[i] = 1;
      // A tenth are zero-value (a refund's net); else exponential, mean 20 × the unit's propensity (× 1.02 in treatment).
      const x = rand();
      value[i] = x < 0.1 ? 0 : Math.round(-Math.log(1 - rand()) * 2000 * units.propensity[u] * (treat && when >= 0.15 ? 1.02 : 1)) / 100;
    } else {
      metric[i] = 2;
      value[i] = 1;
    }
  }
  // Counting sort by hour: arrival order, give or take an hour.
  const lo = T0 - 22 * DAY;
  const hours = Math.ceil((EXPOSURE_DAYS + 2 * WINDOW_DAYS + 23) * 24);
  const count = new Uint32Array(hours + 1);
  const bucket = (i) => Math.min(hours, Math.max(0, Math.floor((ts[i] - lo) / 3_600_000)));
  for (let i = 0; i < n; i++) count[bucket(i) + 1]++;
  for (let h = 1; h <= hours; h++) count[h] += count[h - 1];
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[count[bucket(i)]++] = i;
  return { n, unit, metric, value, ts, order };
}

const METRICS = ['conversion', 'revenue', 'other'];

/** Rows per write: one transaction of the aggregator each (the server writes exposures every 500 ms, events per request). */
const BATCH = 5000;

async function writeAll(total, rowAt, write, progress) {
  for (let start = 0; start < total; start += BATCH) {
    const end = Math.min(total, start + BATCH);
    const rows = [];
    for (let j = start; j < end; j++) rows.push(rowAt(j));
    await write(rows);
    if (end % 500_000 < BATCH || end === total) progress?.(end);
  }
}

/** A ServingPort for creating the test in-process: the deployment serves v1 and v2, 50/50, sticky on user_id. */
const serving = {
  deployment: async (name) => ({
    name,
    spec: {
      routes: ARMS.map((v) => ({ model: 'bench-model', version: v, weight: 50 })),
      sticky_key: 'user_id',
    },
  }),
  liveRoutes: () => [],
  setAssignment: () => {},
};

/**
 * Generates and loads the data into `url` (a fresh SQLite store). Answers the counts and the load's seconds.
 * The test is created and started at T0 and stopped after the last exposure (the report of a finished test).
 */
export async function load({ url, units: nUnits, events: nEvents, seed, log }) {
  const rand = rng(seed);
  const t0 = performance.now();
  const units = makeUnits(nUnits, rand);
  const events = makeEvents(nEvents, units, rand);
  const genS = (performance.now() - t0) / 1000;
  const store = await openStore(url);
  try {
    const db = store.db;
    // A bigger page cache for this connection only (the file is unchanged): the outcomes' unit index grows in random key order.
    await sql`pragma cache_size = -1000000`.execute(db);
    let clock = T0 - DAY;
    const aggregator = new AbTestAggregator(store);
    const svc = new AbTestService({ store, serving, flushExposures: async () => {}, aggregator, clock: () => clock });
    await svc.create(CREATE, 'bench');
    const id = (await db.selectFrom('abtests').select('abtest_id').where('name', '=', ABTEST).executeTakeFirstOrThrow()).abtest_id;
    const t1 = performance.now();
    await writeAll(
      nUnits,
      (i) => ({
        abtest_id: id,
        unit: units.keys[i],
        arm: ARMS[units.arm[i]],
        first_ts: units.first[i],
        last_ts: units.first[i] + units.requests[i] * 60_000,
        requests: units.requests[i],
      }),
      (rows) => aggregator.recordExposures(rows),
      (done) => log?.(`exposed ${done.toLocaleString('en-US')} of ${nUnits.toLocaleString('en-US')} units`),
    );
    const unitsS = (performance.now() - t1) / 1000;
    const t2 = performance.now();
    const pad = String(nEvents).length;
    await writeAll(
      nEvents,
      (k) => {
        const i = events.order[k];
        const ts = events.ts[i];
        return {
          outcome_id: `o${String(k).padStart(pad, '0')}`,
          unit: units.keys[events.unit[i]],
          metric: METRICS[events.metric[i]],
          value: events.value[i],
          ts,
          request_id: null,
          received_at: ts + 1000,
        };
      },
      (rows) =>
        aggregator.writeOutcomes(async (trx) => {
          for (let i = 0; i < rows.length; i += 1000)
            await trx
              .insertInto('outcomes')
              .values(rows.slice(i, i + 1000))
              .execute();
          return { added: rows, removed: [], result: undefined };
        }),
      (done) => log?.(`loaded ${done.toLocaleString('en-US')} of ${nEvents.toLocaleString('en-US')} events`),
    );
    const eventsS = (performance.now() - t2) / 1000;
    clock = T0 + (EXPOSURE_DAYS + 1) * DAY;
    await svc.stop(ABTEST, 'bench', 'bench data loaded');
    await sql`pragma wal_checkpoint(truncate)`.execute(db);
    return { genS, unitsS, eventsS, abtestId: id };
  } finally {
    await store.close();
  }
}
