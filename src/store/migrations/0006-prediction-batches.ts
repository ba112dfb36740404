import type { Kysely } from 'kysely';
import type { StoreDialect } from '../dialect.js';

/** Rows of the old table read per step when converting them. */
const STEP = 2_000;

interface OldRow {
  request_id: string;
  rows: number;
  deployment: string;
  revision: number;
  model: string;
  model_version: string;
  route: string;
  ts: number;
  inputs: string;
  outputs: string;
  latency_us: number;
  status: string;
  error: string | null;
}

/**
 * The prediction log stored in batches of requests (see PredictionBatchTable) rather than a row per request;
 * logged requests are carried over, each as a batch of one.
 */
export async function up(db: Kysely<any>, _d: StoreDialect): Promise<void> {
  const s = db.schema;
  await s
    .createTable('prediction_batches')
    .addColumn('batch_id', 'text', (c) => c.primaryKey())
    .addColumn('deployment', 'text', (c) => c.notNull())
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('model_version', 'text', (c) => c.notNull())
    .addColumn('route', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('ts_min', 'bigint', (c) => c.notNull())
    .addColumn('ts_max', 'bigint', (c) => c.notNull())
    .addColumn('request_count', 'integer', (c) => c.notNull())
    .addColumn('row_count', 'integer', (c) => c.notNull())
    .addColumn('requests', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .execute();
  // A deployment's log newest first (queries, export, retention); and by time alone (a request found by its id's time).
  await s.createIndex('prediction_batches_deployment_ts').on('prediction_batches').columns(['deployment', 'ts_max']).execute();
  await s.createIndex('prediction_batches_ts').on('prediction_batches').columns(['ts_min']).execute();

  let after: { request_id: string; route: string; model_version: string } | null = null;
  for (;;) {
    let q = db.selectFrom('predictions').selectAll();
    if (after) {
      const a = after;
      q = q.where((eb) =>
        eb.or([
          eb('request_id', '>', a.request_id),
          eb.and([eb('request_id', '=', a.request_id), eb('route', '>', a.route)]),
          eb.and([eb('request_id', '=', a.request_id), eb('route', '=', a.route), eb('model_version', '>', a.model_version)]),
        ]),
      );
    }
    const rows = (await q.orderBy('request_id').orderBy('route').orderBy('model_version').limit(STEP).execute()) as OldRow[];
    if (rows.length === 0) break;
    await db.insertInto('prediction_batches').values(rows.map(batchOfOne)).execute();
    const last = rows[rows.length - 1]!;
    after = { request_id: last.request_id, route: last.route, model_version: last.model_version };
  }
  await s.dropTable('predictions').execute();
}

function batchOfOne(r: OldRow) {
  const ts = Number(r.ts);
  const inputs = JSON.parse(r.inputs) as { names: string[]; values: unknown[] };
  const outputs = JSON.parse(r.outputs) as { names: string[]; widths: number[]; values: unknown[] };
  const requests = {
    ids: [r.request_id],
    ts: [ts],
    rows: [Number(r.rows)],
    latency_us: [Number(r.latency_us)],
    ...(r.error !== null ? { errors: [r.error] } : {}),
  };
  const payload = {
    inputs: { names: [inputs.names], of: [0], values: [inputs.values] },
    outputs: { names: [outputs.names], widths: [outputs.widths], of: [0], values: [outputs.values] },
  };
  return {
    batch_id: `${r.route}:${r.request_id}:${r.model_version}`,
    deployment: r.deployment,
    revision: Number(r.revision),
    model: r.model,
    model_version: r.model_version,
    route: r.route,
    status: r.status,
    ts_min: ts,
    ts_max: ts,
    request_count: 1,
    row_count: Number(r.rows),
    requests: JSON.stringify(requests),
    payload: JSON.stringify(payload),
  };
}
