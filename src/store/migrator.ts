/**
 * Versioned migrations, applied at start in one transaction under the dialect's migration lock, so
 * several replicas can start at once against one PostgreSQL: the first applies, the others wait and skip.
 */
import { type Kysely, sql } from 'kysely';
import type { StoreDialect } from './dialect.js';
import type { Database } from './schema.js';
import * as m0001 from './migrations/0001-initial.js';
import * as m0002 from './migrations/0002-deployments.js';
import * as m0003 from './migrations/0003-monitoring.js';
import * as m0004 from './migrations/0004-alerts.js';
import * as m0005 from './migrations/0005-data.js';
import * as m0006 from './migrations/0006-prediction-batches.js';
import * as m0007 from './migrations/0007-validation-window-once.js';
import * as m0008 from './migrations/0008-prediction-request-ids.js';
import * as m0009 from './migrations/0009-jobs.js';
import * as m0010 from './migrations/0010-abtests.js';
import * as m0011 from './migrations/0011-abtest-units-by-unit.js';
import * as m0012 from './migrations/0012-abtest-aggregates.js';
import * as m0013 from './migrations/0013-loops.js';
import * as m0014 from './migrations/0014-cluster.js';
import * as m0015 from './migrations/0015-approvals.js';
import * as m0016 from './migrations/0016-fairness-reports.js';
import * as m0017 from './migrations/0017-model-cards.js';
import * as m0018 from './migrations/0018-explanation-summaries.js';
import * as m0019 from './migrations/0019-model-conversions.js';
import * as m0020 from './migrations/0020-conversion-version-identity.js';
import * as m0021 from './migrations/0021-token-expiry-and-scope.js';
import * as m0022 from './migrations/0022-metric-identity.js';
import * as m0023 from './migrations/0023-data-version-exact-stats.js';
import * as m0024 from './migrations/0024-stream-bindings.js';

export interface Migration {
  version: number;
  name: string;
  up(db: Kysely<any>, dialect: StoreDialect): Promise<void>;
}

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'initial', up: m0001.up },
  { version: 2, name: 'deployments', up: m0002.up },
  { version: 3, name: 'monitoring', up: m0003.up },
  { version: 4, name: 'alerts', up: m0004.up },
  { version: 5, name: 'data', up: m0005.up },
  { version: 6, name: 'prediction-batches', up: m0006.up },
  { version: 7, name: 'validation-window-once', up: m0007.up },
  { version: 8, name: 'prediction-request-ids', up: m0008.up },
  { version: 9, name: 'jobs', up: m0009.up },
  { version: 10, name: 'abtests', up: m0010.up },
  { version: 11, name: 'abtest-units-by-unit', up: m0011.up },
  { version: 12, name: 'abtest-aggregates', up: m0012.up },
  { version: 13, name: 'loops', up: m0013.up },
  { version: 14, name: 'cluster', up: m0014.up },
  { version: 15, name: 'approvals', up: m0015.up },
  { version: 16, name: 'fairness-reports', up: m0016.up },
  { version: 17, name: 'model-cards', up: m0017.up },
  { version: 18, name: 'explanation-summaries', up: m0018.up },
  { version: 19, name: 'model-conversions', up: m0019.up },
  { version: 20, name: 'conversion-version-identity', up: m0020.up },
  { version: 21, name: 'token-expiry-and-scope', up: m0021.up },
  { version: 22, name: 'metric-identity', up: m0022.up },
  { version: 23, name: 'data-version-exact-stats', up: m0023.up },
  { version: 24, name: 'stream-bindings', up: m0024.up },
];

export async function migrate(db: Kysely<Database>, dialect: StoreDialect): Promise<number[]> {
  const applied: number[] = [];
  await dialect.exclusively(db, async (trx) => {
    await sql`create table if not exists ferry_migrations (
      version integer primary key, name text not null, applied_at bigint not null)`.execute(trx);
    const rows = await sql<{ version: number }>`select version from ferry_migrations`.execute(trx);
    const done = new Set(rows.rows.map((r) => Number(r.version)));
    for (const m of MIGRATIONS) {
      if (done.has(m.version)) continue;
      await m.up(trx, dialect);
      await sql`insert into ferry_migrations (version, name, applied_at) values (${m.version}, ${m.name}, ${Date.now()})`.execute(trx);
      applied.push(m.version);
    }
  });
  return applied;
}
