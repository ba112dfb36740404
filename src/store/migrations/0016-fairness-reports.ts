import type { Kysely } from 'kysely';
import type { StoreDialect } from '../dialect.js';

/** (issue 19, being written) */
export async function up(_db: Kysely<any>, _d: StoreDialect): Promise<void> {}
