/**
 * Feedback → model-quality outcome events (quality-metrics.ts), for requests served under an A/B test: a
 * listener on monitoring's feedback. Each feedback row's request is credited to its unit as outcomes by request
 * id are; the logged outputs are read for those requests only, so feedback outside A/B tests costs one look-up.
 *
 * Replacing: feedback replaces by (request_id, row), and so do its events — their ids are derived from request
 * id, row and metric, and a row's earlier events are deleted before its new ones are written (a label replaced
 * by an outcome leaves none), in one transaction.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { RequestOutputs, StoredFeedback } from '../prediction-log/index.js';
import type { Database, OutcomeTable } from '../store/index.js';
import type { AbTestAggregator } from './aggregator.js';
import { DERIVED_METRICS, qualityValues } from './quality-metrics.js';

/** Rows per statement: well under SQLite's and PostgreSQL's bound-parameter limits. */
const CHUNK = 500;

export interface QualityRecorderDeps {
  db: Kysely<Database>;
  /** Writes the events in its transaction and credits them (and takes replaced ones back) in the tests' aggregates. */
  aggregator: AbTestAggregator;
  /** Each request id's unit as abtest_units keys it, or why it has none (OutcomeService.resolveRequests). */
  resolveUnits: (requestIds: string[]) => Promise<Map<string, { unit: string } | { reason: string }>>;
  /** The prediction log's outputs of these requests (ids not found, or failed, absent). */
  requestOutputs: (requestIds: string[]) => Promise<Map<string, RequestOutputs>>;
  clock?: () => number;
}

/** The id of one feedback row's event of one metric: the same each time the row's feedback is sent. */
export function derivedOutcomeId(requestId: string, row: number, metric: string): string {
  return `fb-${createHash('sha256').update(`${requestId}\0${row}\0${metric}`).digest('hex').slice(0, 32)}`;
}

export class QualityRecorder {
  /** Once an A/B test exists (tests are never deleted), feedback is looked up; before, it cannot be in one. */
  private anyTest = false;

  constructor(private readonly d: QualityRecorderDeps) {}

  /** What monitoring calls after feedback is stored. */
  readonly listener = (items: StoredFeedback[]): Promise<void> => this.record(items);

  async record(items: StoredFeedback[]): Promise<void> {
    // Feedback is common and A/B tests rare: skip the request lookups while there has never been a test.
    this.anyTest ||= (await this.d.db.selectFrom('abtests').select('abtest_id').limit(1).executeTakeFirst()) !== undefined;
    if (!this.anyTest) return;
    const units = await this.d.resolveUnits([...new Set(items.map((i) => i.request_id))]);
    const inTest = items.filter((i) => {
      const u = units.get(i.request_id);
      return u !== undefined && 'unit' in u;
    });
    if (inTest.length === 0) return;
    const outputs = await this.d.requestOutputs([...new Set(inTest.map((i) => i.request_id))]);
    const now = (this.d.clock ?? Date.now)();
    const stale: string[] = [];
    const rows: OutcomeTable[] = [];
    for (const it of inTest) {
      for (const m of DERIVED_METRICS) stale.push(derivedOutcomeId(it.request_id, it.row, m));
      const logged = outputs.get(it.request_id);
      const out = logged?.outputs[it.row];
      if (!out) continue;
      // The model's first output is its prediction (what monitoring compares feedback with).
      const prediction = Object.keys(out)[0] ?? null;
      const unit = (units.get(it.request_id) as { unit: string }).unit;
      for (const v of qualityValues(it.kind, it.value, out, prediction))
        rows.push({
          outcome_id: derivedOutcomeId(it.request_id, it.row, v.metric),
          unit,
          metric: v.metric,
          value: v.value,
          ts: it.ts,
          request_id: it.request_id,
          received_at: now,
        });
    }
    await replaceOutcomes(this.d.aggregator, stale, rows);
  }
}

/**
 * Deletes `stale` ids and writes `rows`, in the aggregates' transaction (which also serializes two deliveries of
 * the same feedback): the events replaced are taken back from the tests' sums, the new ones credited.
 */
async function replaceOutcomes(aggregator: AbTestAggregator, stale: string[], rows: OutcomeTable[]): Promise<void> {
  await aggregator.writeOutcomes(async (trx) => {
    const ids = [...new Set([...stale, ...rows.map((r) => r.outcome_id)])];
    const removed: OutcomeTable[] = [];
    for (let i = 0; i < ids.length; i += CHUNK) {
      const chunk = ids.slice(i, i + CHUNK);
      removed.push(...(await trx.selectFrom('outcomes').selectAll().where('outcome_id', 'in', chunk).execute()));
      await trx.deleteFrom('outcomes').where('outcome_id', 'in', chunk).execute();
    }
    for (let i = 0; i < rows.length; i += CHUNK)
      await trx
        .insertInto('outcomes')
        .values(rows.slice(i, i + CHUNK))
        .execute();
    return { added: rows, removed: removed.map((r) => ({ ...r, value: Number(r.value), ts: Number(r.ts) })), result: undefined };
  });
}
