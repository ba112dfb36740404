/**
 * Building run filters from UI controls, in the API's own filter language (what runs/search takes):
 * `metrics.auc > 0.8 and params.max_depth = '4'`. Pure, so it is unit tested against the grammar's rules.
 */

export type Entity = 'metrics' | 'params' | 'tags' | 'attributes';
export type Op = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'LIKE' | 'ILIKE' | 'IS NULL' | 'IS NOT NULL';

const NUMERIC_OPS: readonly Op[] = ['>', '>=', '<', '<=', '=', '!='];
const STRING_OPS: readonly Op[] = ['=', '!=', 'LIKE', 'ILIKE'];
const NULL_OPS: readonly Op[] = ['IS NULL', 'IS NOT NULL'];

/** Attributes the search language filters on. */
export const ATTRIBUTE_KEYS = ['run_name', 'status', 'user_id', 'run_id', 'start_time', 'end_time'] as const;
const NUMERIC_ATTRIBUTES = new Set(['start_time', 'end_time']);

/** The operators the API accepts for this entity and key, in the order a menu shows them. */
export function opsFor(entity: Entity, key: string): readonly Op[] {
  if (entity === 'metrics') return NUMERIC_OPS;
  if (entity === 'attributes') return NUMERIC_ATTRIBUTES.has(key) ? NUMERIC_OPS : STRING_OPS;
  return [...STRING_OPS, ...NULL_OPS];
}

/** A key as the grammar reads it: bare when it is a plain word, else in backticks (a backtick doubled). */
export function quoteKey(key: string): string {
  return /^[\p{L}_][\p{L}\p{N}_\-./]*$/u.test(key) ? key : `\`${key.replace(/`/g, '``')}\``;
}

/** A string literal: single quotes, with backslash and quote escaped. */
export function quoteString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** `metrics.auc`, `params.\`learning rate\``: the column id used for filters, order_by and table columns. */
export function fieldRef(entity: Entity, key: string): string {
  return `${entity}.${quoteKey(key)}`;
}

export interface ClauseInput {
  entity: Entity;
  key: string;
  op: Op;
  value: string;
}

/** One clause from the builder's controls, or the reason it cannot be built (shown next to the controls). */
export function buildClause(c: ClauseInput): { clause: string } | { error: string } {
  const key = c.key.trim();
  if (key === '') return { error: 'Choose a key.' };
  if (!opsFor(c.entity, key).includes(c.op)) return { error: `'${c.op}' does not apply to ${c.entity}.${key}.` };
  const ref = fieldRef(c.entity, key);
  if (c.op === 'IS NULL' || c.op === 'IS NOT NULL') return { clause: `${ref} ${c.op}` };
  const numeric = c.entity === 'metrics' || (c.entity === 'attributes' && NUMERIC_ATTRIBUTES.has(key));
  if (numeric) {
    const text = c.value.trim();
    const n = Number(text);
    if (text === '' || !Number.isFinite(n)) return { error: `${c.entity}.${key} compares with a number; '${c.value}' is not one.` };
    return { clause: `${ref} ${c.op} ${String(n)}` };
  }
  return { clause: `${ref} ${c.op} ${quoteString(c.value)}` };
}

/** Adds a clause to a filter with `and` (the language has no `or`). */
export function andFilter(filter: string, clause: string): string {
  const f = filter.trim();
  return f === '' ? clause : `${f} and ${clause}`;
}

export interface SortSpec {
  column: string;
  dir: 'asc' | 'desc';
}

/** runs/search's order_by for a table sort (the column id is a field reference). */
export function orderByFor(sort: SortSpec | null): string[] | undefined {
  return sort ? [`${sort.column} ${sort.dir === 'asc' ? 'ASC' : 'DESC'}`] : undefined;
}

/** `metrics.auc DESC` from the URL back into a table sort; anything else is no sort. */
export function parseOrder(text: string | null): SortSpec | null {
  const m = /^(.+)\s+(ASC|DESC)$/i.exec((text ?? '').trim());
  return m ? { column: m[1]!, dir: m[2]!.toUpperCase() === 'ASC' ? 'asc' : 'desc' } : null;
}
