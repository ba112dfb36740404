/** A parsed simple-filter clause as a Kysely condition on a column (attributes) or a tag subquery. */
import type { Expression, SqlBool } from 'kysely';
import type { TextMatch } from '../store/index.js';
import type { SimpleClause } from './simple-filter.js';

export function compareText(eb: any, column: string, c: Pick<SimpleClause, 'op' | 'value'>, match: TextMatch): Expression<SqlBool> {
  if (c.op === 'like' || c.op === 'ilike' || c.op === 'not like') return match(column, c.op, c.value);
  return eb(column, c.op, c.value);
}
