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
import { DERIVED_METRICS, qualityValues } from './quality-metrics.js';

/** Rows per statement: well under SQLite's and PostgreSQL's bound-parameter limits. */
const CHUNK = 500;

export interface QualityRecorderDeps {
  db: Kysely<Database>;
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
    await replaceOutcomes(this.d.db, stale, rows);
  }
}

/** Deletes `stale` ids and writes `rows`; an id written meanwhile (the same feedback sent twice at once) is updated. */
async function replaceOutcomes(db: Kysely<Database>, stale: string[], rows: OutcomeTable[]): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < stale.length; i += CHUNK)
      await trx
        .deleteFrom('outcomes')
        .where('outcome_id', 'in', stale.slice(i, i + CHUNK))
        .execute();
    for (let i = 0; i < rows.length; i += CHUNK)
      await trx
        .insertInto('outcomes')
        .values(rows.slice(i, i + CHUNK))
        .onConflict((oc) =>
          oc.column('outcome_id').doUpdateSet((eb) => ({
            unit: eb.ref('excluded.unit'),
            metric: eb.ref('excluded.metric'),
            value: eb.ref('excluded.value'),
            ts: eb.ref('excluded.ts'),
            request_id: eb.ref('excluded.request_id'),
            received_at: eb.ref('excluded.received_at'),
          })),
        )
        .execute();
  });
}
