/**
 * Serving numbers of a deployment per model version and route over a window: requests, errors, error rate and
 * exact latency quantiles — what the loop's judge compares a candidate with its champion on. Reads only the
 * batches' request lists (ids, times, latencies), never their payloads.
 */
import type { Kysely } from 'kysely';
import { InvalidParameterError } from '../errors.js';
import type { Database } from '../store/index.js';
import { quantileSorted } from '../stats/index.js';
import { batchRequests } from './prediction-batch.js';

type Db = Kysely<Database>;

export interface ServingStats {
  modelVersion: string;
  /** 'main' (answered) or 'shadow' (mirrored, never returned). */
  route: string;
  requests: number;
  /** Requests whose status is not 'ok' (errors and client errors alike: the caller got no answer). */
  errors: number;
  /** errors / requests (a group is listed only when it has requests). */
  errorRate: number;
  /** Exact quantiles of the logged latencies in milliseconds, numpy's default ('linear', Hyndman & Fan type 7). */
  latencyP50Ms: number;
  latencyP99Ms: number;
}

/** Batches read per query while paging through the window. */
const PAGE = 200;

/**
 * Per model version and route, the requests of `deployment` logged in [from, to), ordered by version then route.
 * Holds every latency of the window in memory (8 bytes a request) to give exact quantiles.
 */
export async function servingStats(db: Db, deployment: string, from: number, to: number): Promise<ServingStats[]> {
  if (!(Number.isFinite(from) && Number.isFinite(to) && from < to)) throw new InvalidParameterError('from', 'The window needs from < to (epoch ms).');
  const groups = new Map<string, { modelVersion: string; route: string; errors: number; latencies: number[] }>();
  let after: string | null = null;
  for (;;) {
    let q = db
      .selectFrom('prediction_batches')
      .select(['batch_id', 'model_version', 'route', 'status', 'requests'])
      .where('deployment', '=', deployment)
      .where('ts_max', '>=', from)
      .where('ts_min', '<', to);
    if (after !== null) q = q.where('batch_id', '>', after);
    const page = await q.orderBy('batch_id').limit(PAGE).execute();
    for (const b of page) {
      const key = `${b.model_version}\0${b.route}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { modelVersion: b.model_version, route: b.route, errors: 0, latencies: [] }));
      const reqs = batchRequests(b);
      for (let i = 0; i < reqs.ids.length; i++) {
        const ts = Number(reqs.ts[i]);
        if (ts < from || ts >= to) continue;
        g.latencies.push(Number(reqs.latency_us[i]) / 1000);
        if (b.status !== 'ok') g.errors++;
      }
    }
    if (page.length < PAGE) break;
    after = page[page.length - 1]!.batch_id;
  }
  const out: ServingStats[] = [];
  for (const g of groups.values()) {
    const n = g.latencies.length;
    if (n === 0) continue;
    const sorted = Float64Array.from(g.latencies).sort();
    out.push({
      modelVersion: g.modelVersion,
      route: g.route,
      requests: n,
      errors: g.errors,
      errorRate: g.errors / n,
      latencyP50Ms: quantileSorted(sorted, 0.5),
      latencyP99Ms: quantileSorted(sorted, 0.99),
    });
  }
  return out.sort((a, b) => a.modelVersion.localeCompare(b.modelVersion, undefined, { numeric: true }) || (a.route < b.route ? -1 : a.route > b.route ? 1 : 0));
}
