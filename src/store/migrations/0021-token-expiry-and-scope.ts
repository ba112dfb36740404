import type { Kysely } from 'kysely';
import type { StoreDialect } from '../dialect.js';

/**
 * tokens.expires_at: when a token stops being accepted (epoch ms); null never (every token made before this
 * migration, so existing tokens keep working). tokens.deployment: the one deployment a prediction-only token may
 * call (its prediction routes, docs/security.md); null for an ordinary token whose role alone says what it may do.
 * One column per statement: SQLite's ALTER TABLE adds one column at a time.
 */
export async function up(db: Kysely<any>, _d: StoreDialect): Promise<void> {
  await db.schema.alterTable('tokens').addColumn('expires_at', 'bigint').execute();
  await db.schema.alterTable('tokens').addColumn('deployment', 'text').execute();
}
