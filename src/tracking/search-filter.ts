/**
 * Parser for MLflow's run search language (the `filter` and `order_by` arguments of
 * runs/search). Pure: it only turns text into clauses; stores bind the values as SQL
 * parameters. Semantics follow MLflow's SearchUtils, but the grammar is deliberately
 * strict (AND-joined `<entity>.<key> <op> <value>` clauses only) so nothing SQL-like
 * can ever pass through.
 */

export type FilterEntity = 'metric' | 'param' | 'tag' | 'attribute' | 'dataset';
export type FilterOp = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'LIKE' | 'ILIKE' | 'IN' | 'NOT IN' | 'IS NULL' | 'IS NOT NULL';

/** `value`: number for metrics/timestamps, string[] for IN / NOT IN, null for IS [NOT] NULL. */
export interface FilterClause {
  entity: FilterEntity;
  key: string;
  op: FilterOp;
  value: string | number | string[] | null;
}
export interface OrderClause {
  entity: FilterEntity;
  key: string;
  ascending: boolean;
}

export class FilterSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FilterSyntaxError';
  }
}

/** Longest filter (or order_by item) accepted; bounds parser work per request. */
export const MAX_FILTER_LENGTH = 10_000;

const ENTITY_PREFIXES = new Map<string, FilterEntity>([
  ['metric', 'metric'],
  ['metrics', 'metric'],
  ['param', 'param'],
  ['params', 'param'],
  ['parameter', 'param'],
  ['parameters', 'param'],
  ['tag', 'tag'],
  ['tags', 'tag'],
  ['attribute', 'attribute'],
  ['attributes', 'attribute'],
  ['attr', 'attribute'],
  ['run', 'attribute'],
  ['dataset', 'dataset'],
  ['datasets', 'dataset'],
]);

// Attribute key → canonical column name; aliases are those MLflow accepts.
const ORDER_ATTRIBUTES = new Map<string, string>([
  ['start_time', 'start_time'],
  ['end_time', 'end_time'],
  ['run_name', 'run_name'],
  ['status', 'status'],
  ['run_id', 'run_id'],
  ['artifact_uri', 'artifact_uri'],
  ['user_id', 'user_id'],
  ['created', 'start_time'],
  ['Created', 'start_time'],
  ['run_uuid', 'run_id'],
  ['run name', 'run_name'],
  ['Run name', 'run_name'],
  ['Run Name', 'run_name'],
]);
const FILTER_ATTRIBUTES = new Map([...ORDER_ATTRIBUTES, ['lifecycle_stage', 'lifecycle_stage']]);
const NUMERIC_ATTRIBUTES = new Set(['start_time', 'end_time']);
const DATASET_KEYS = new Set(['name', 'digest', 'context']);

const NUMERIC_OPS: FilterOp[] = ['=', '!=', '<', '<=', '>', '>='];
const STRING_OPS: FilterOp[] = ['=', '!=', 'LIKE', 'ILIKE'];
const LIST_OPS: FilterOp[] = ['IN', 'NOT IN'];
const NULL_OPS: FilterOp[] = ['IS NULL', 'IS NOT NULL'];

function allowedOps(entity: FilterEntity, key: string): FilterOp[] {
  switch (entity) {
    case 'metric':
      return NUMERIC_OPS;
    case 'param':
    case 'tag':
      return [...STRING_OPS, ...NULL_OPS];
    case 'dataset':
      return [...STRING_OPS, ...LIST_OPS];
    case 'attribute':
      if (NUMERIC_ATTRIBUTES.has(key)) return NUMERIC_OPS;
      return key === 'run_id' ? [...STRING_OPS, ...LIST_OPS] : STRING_OPS;
  }
}

type TokenKind = 'word' | 'string' | 'number' | 'op' | '(' | ')' | ',' | 'eof';
interface Token {
  kind: TokenKind;
  text: string; // source text, for error messages
  pos: number; // 0-based offset into the input
  bare?: string; // word: the unquoted part (e.g. `tags.` of `tags."a b"`)
  quotedKey?: string; // word: key given in backticks / double quotes
  str?: string; // string: unescaped value
  num?: number; // number: parsed value
}

const WORD_START = /[\p{L}_]/u;
const WORD_CHAR = /[\p{L}\p{N}_\-./]/u;
const NUMBER_AT = /-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;
const OPERATORS = ['!=', '<=', '>=', '=', '<', '>']; // two-char first so `<=` isn't read as `<`

/** Reads a quoted run starting at `start`; returns the unescaped text and the index after it. */
function readQuoted(src: string, start: number, quote: string): [string, number] {
  let out = '';
  let i = start + 1;
  while (i < src.length) {
    const ch = src.charAt(i);
    const next = src.charAt(i + 1);
    // Backslash escapes only the quote and itself; other sequences (e.g. LIKE's `\_`) stay verbatim.
    if (ch === '\\' && quote !== '`' && (next === quote || next === '\\')) {
      out += next;
      i += 2;
    } else if (ch === quote) {
      if (next !== quote) return [out, i + 1];
      out += quote; // doubled quote is an escaped quote
      i += 2;
    } else {
      out += ch;
      i += 1;
    }
  }
  throw new FilterSyntaxError(`Unterminated ${quote} quote starting at position ${start}`);
}

/** Produces tokens on demand, so the first problem in reading order is the one reported. */
function lexer(src: string): () => Token {
  let i = 0;
  return function nextToken(): Token {
    while (i < src.length && ' \t\n\r'.includes(src.charAt(i))) i++;
    const start = i;
    const c = src.charAt(i);
    if (i >= src.length) return { kind: 'eof', text: '', pos: start };
    if (WORD_START.test(c)) {
      while (i < src.length && WORD_CHAR.test(src.charAt(i))) i++;
      const bare = src.slice(start, i);
      const tok: Token = { kind: 'word', text: bare, pos: start, bare };
      const q = src.charAt(i);
      // `entity.` immediately followed by a quote introduces a quoted key.
      if (bare.endsWith('.') && (q === '`' || q === '"')) {
        [tok.quotedKey, i] = readQuoted(src, i, q);
        tok.text = src.slice(start, i);
        if (i < src.length && WORD_CHAR.test(src.charAt(i))) {
          throw new FilterSyntaxError(`Unexpected '${src.charAt(i)}' after quoted key at position ${i}`);
        }
      }
      return tok;
    }
    if (c === "'" || c === '"') {
      let str: string;
      [str, i] = readQuoted(src, i, c);
      return { kind: 'string', text: src.slice(start, i), pos: start, str };
    }
    if (c === '(' || c === ')' || c === ',') return { kind: c, text: c, pos: i++ };
    NUMBER_AT.lastIndex = i;
    const num = /[0-9.-]/.test(c) ? NUMBER_AT.exec(src) : null;
    if (num) {
      i += num[0].length;
      if (i < src.length && WORD_CHAR.test(src.charAt(i))) {
        throw new FilterSyntaxError(`Invalid number '${src.slice(start, i + 1)}' at position ${start}`);
      }
      return { kind: 'number', text: num[0], pos: start, num: Number(num[0]) };
    }
    const op = OPERATORS.find((o) => src.startsWith(o, i));
    if (!op) {
      const shown = c < ' ' ? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}` : c; // keep messages printable
      throw new FilterSyntaxError(`Unexpected character '${shown}' at position ${i}`);
    }
    i += op.length;
    return { kind: 'op', text: op, pos: start };
  };
}

// Error messages echo user input, so keep what they quote short.
const clip = (text: string, max = 40): string => (text.length > max ? `${text.slice(0, max)}…` : text);
const describe = (t: Token): string => (t.kind === 'eof' ? 'end of input' : `'${clip(t.text)}' at position ${t.pos}`);

/** True if `t` is the (case-insensitive) keyword `kw`; quoted keys never count. */
const isKeyword = (t: Token, kw: string): boolean => t.kind === 'word' && t.quotedKey === undefined && t.text.toUpperCase() === kw;

class Parser {
  private lookahead: Token | undefined;
  private readonly nextToken: () => Token;
  constructor(src: string) {
    this.nextToken = lexer(src);
  }

  peek(): Token {
    return (this.lookahead ??= this.nextToken());
  }

  next(): Token {
    const t = this.peek();
    this.lookahead = undefined;
    return t;
  }

  identifier(attributes: Map<string, string>, forOrderBy: boolean): { entity: FilterEntity; key: string } {
    const t = this.next();
    if (t.kind !== 'word') {
      throw new FilterSyntaxError(`Expected an identifier such as metrics.<key>, found ${describe(t)}`);
    }
    const bare = t.bare as string;
    const dot = bare.indexOf('.');
    if (dot < 0) {
      throw new FilterSyntaxError(
        `Identifier '${bare}' at position ${t.pos} has no entity prefix; ` + 'use metrics.<key>, params.<key>, tags.<key>, attributes.<key> or datasets.<key>',
      );
    }
    const prefix = bare.slice(0, dot);
    const entity = ENTITY_PREFIXES.get(prefix.toLowerCase());
    if (!entity) {
      throw new FilterSyntaxError(`Invalid entity type '${prefix}' at position ${t.pos}; expected one of metric, param, tag, attribute, dataset`);
    }
    if (t.quotedKey !== undefined && dot !== bare.length - 1) {
      throw new FilterSyntaxError(`Key at position ${t.pos} mixes bare and quoted parts: ${describe(t)}`);
    }
    let key = t.quotedKey ?? bare.slice(dot + 1);
    if (key === '') throw new FilterSyntaxError(`Missing key after '${prefix}.' at position ${t.pos}`);
    if (entity === 'attribute') {
      const canonical = attributes.get(key);
      if (!canonical) {
        const valid = [...new Set(attributes.values())].join(', ');
        throw new FilterSyntaxError(`Invalid attribute key '${key}'; valid keys are ${valid}`);
      }
      key = canonical;
    } else if (entity === 'dataset') {
      if (forOrderBy) throw new FilterSyntaxError(`Cannot order by dataset field '${key}'`);
      if (!DATASET_KEYS.has(key)) {
        throw new FilterSyntaxError(`Invalid dataset key '${key}'; valid keys are name, digest, context`);
      }
    }
    return { entity, key };
  }

  comparator(after: string): FilterOp {
    const t = this.next();
    if (t.kind === 'op') return t.text as FilterOp;
    for (const kw of ['LIKE', 'ILIKE', 'IN'] as const) if (isKeyword(t, kw)) return kw;
    if (isKeyword(t, 'NOT')) {
      const n = this.next();
      if (isKeyword(n, 'IN')) return 'NOT IN';
      throw new FilterSyntaxError(`Expected IN after NOT, found ${describe(n)}`);
    }
    if (isKeyword(t, 'IS')) {
      let n = this.next();
      if (isKeyword(n, 'NULL')) return 'IS NULL';
      if (isKeyword(n, 'NOT')) {
        n = this.next();
        if (isKeyword(n, 'NULL')) return 'IS NOT NULL';
      }
      throw new FilterSyntaxError(`Expected NULL or NOT NULL after IS, found ${describe(n)}`);
    }
    throw new FilterSyntaxError(
      `Expected a comparator (=, !=, <, <=, >, >=, LIKE, ILIKE, IN, NOT IN, IS NULL, IS NOT NULL) after '${clip(after)}', found ${describe(t)}`,
    );
  }

  list(): string[] {
    const open = this.next();
    if (open.kind !== '(') throw new FilterSyntaxError(`Expected '(' to start a list, found ${describe(open)}`);
    const items: string[] = [];
    for (;;) {
      const t = this.next();
      if (t.kind !== 'string') throw new FilterSyntaxError(`Expected a quoted string in list, found ${describe(t)}`);
      items.push(t.str as string);
      const sep = this.next();
      if (sep.kind === ')') return items;
      if (sep.kind !== ',') throw new FilterSyntaxError(`Expected ',' or ')' in list, found ${describe(sep)}`);
    }
  }

  clause(): FilterClause {
    const idTok = this.peek();
    const { entity, key } = this.identifier(FILTER_ATTRIBUTES, false);
    const op = this.comparator(idTok.text);
    const allowed = allowedOps(entity, key);
    if (!allowed.includes(op)) {
      throw new FilterSyntaxError(`Invalid comparator '${op}' for ${entity} '${key}'; expected one of ${allowed.join(', ')}`);
    }
    if (NULL_OPS.includes(op)) return { entity, key, op, value: null };
    if (LIST_OPS.includes(op)) return { entity, key, op, value: this.list() };
    const valTok = this.next();
    if (valTok.kind === '(') throw new FilterSyntaxError(`A list at position ${valTok.pos} is only allowed with IN / NOT IN`);
    if (valTok.kind !== 'string' && valTok.kind !== 'number') {
      throw new FilterSyntaxError(`Expected a quoted string or number, found ${describe(valTok)}`);
    }
    const value = valTok.kind === 'string' ? (valTok.str as string) : (valTok.num as number);
    const numeric = entity === 'metric' || (entity === 'attribute' && NUMERIC_ATTRIBUTES.has(key));
    if (numeric && typeof value !== 'number') {
      throw new FilterSyntaxError(`Expected a numeric value for ${entity} '${key}', found ${describe(valTok)}`);
    }
    if (!numeric && typeof value !== 'string') {
      throw new FilterSyntaxError(`Expected a quoted string value for ${entity} '${key}', found ${describe(valTok)}`);
    }
    // Timestamps are integer milliseconds; MLflow's int() would reject anything else too.
    if (numeric && entity === 'attribute' && !Number.isSafeInteger(value)) {
      throw new FilterSyntaxError(`Expected an integer timestamp for attribute '${key}', found ${describe(valTok)}`);
    }
    return { entity, key, op, value };
  }
}

function checkLength(text: string, what: string): void {
  if (text.length > MAX_FILTER_LENGTH) {
    throw new FilterSyntaxError(`${what} is ${text.length} characters long; the limit is ${MAX_FILTER_LENGTH}`);
  }
}

/** Parses a search_runs filter into AND-ed clauses; '' or undefined means no filter. */
export function parseRunFilter(filter: string | undefined): FilterClause[] {
  if (!filter) return [];
  checkLength(filter, 'Filter');
  const p = new Parser(filter);
  if (p.peek().kind === 'eof') return [];
  const clauses = [p.clause()];
  for (let t = p.next(); t.kind !== 'eof'; t = p.next()) {
    if (isKeyword(t, 'OR')) {
      throw new FilterSyntaxError(`OR at position ${t.pos} is not supported; clauses can only be joined with AND`);
    }
    if (!isKeyword(t, 'AND')) throw new FilterSyntaxError(`Expected AND or end of filter, found ${describe(t)}`);
    clauses.push(p.clause());
  }
  return clauses;
}

function parseOrderItem(item: string): OrderClause {
  checkLength(item, 'order_by clause');
  const p = new Parser(item);
  if (p.peek().kind === 'eof') throw new FilterSyntaxError('Empty order_by clause');
  const { entity, key } = p.identifier(ORDER_ATTRIBUTES, true);
  let t = p.next();
  let ascending = true;
  if (isKeyword(t, 'ASC') || isKeyword(t, 'DESC')) {
    ascending = isKeyword(t, 'ASC');
    t = p.next();
  } else if (t.kind !== 'eof') {
    throw new FilterSyntaxError(`Invalid ordering ${describe(t)}; expected ASC or DESC`);
  }
  if (t.kind !== 'eof') throw new FilterSyntaxError(`Unexpected ${describe(t)}`);
  return { entity, key, ascending };
}

/** Parses order_by items such as `metrics.rmse DESC`; omitted direction means ascending. */
export function parseOrderBy(items: string[] | undefined): OrderClause[] {
  if (!items) return [];
  return items.map((item) => {
    try {
      return parseOrderItem(item);
    } catch (e) {
      // Positions are relative to the item, so name the item too.
      if (e instanceof FilterSyntaxError) {
        throw new FilterSyntaxError(`Invalid order_by clause '${clip(item, 60)}': ${e.message}`);
      }
      throw e;
    }
  });
}
