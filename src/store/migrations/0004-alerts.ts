import type { Kysely } from 'kysely';
import type { StoreDialect } from '../dialect.js';

/** Alerting tables (filled in by the alerts work). */
export async function up(_db: Kysely<any>, _d: StoreDialect): Promise<void> {}
