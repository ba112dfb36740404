/**
 * The small filter language of search-experiments and search-logged-models (and the registry's searches):
 * `<attr> <op> 'value'` and `tags.<key> <op> 'value'` clauses joined by AND, where <attr> is one of a
 * fixed list. Values stay values: the repos bind them as parameters.
 */
import { InvalidParameterError } from '../errors.js';

export type SimpleOp = '=' | '!=' | 'like' | 'ilike' | 'not like';
export interface SimpleClause {
  kind: 'attr' | 'tag';
  key: string;
  op: SimpleOp;
  value: string;
}

const VALUE = String.raw`(?<q>['"])(?<v>(?:\\.|(?!\k<q>).)*)\k<q>`;

function splitAnd(filter: string): string[] {
  const parts: string[] = [];
  let cur = '';
  let quote: string | null = null;
  for (let i = 0; i < filter.length; i++) {
    const ch = filter[i]!;
    if (quote) {
      if (ch === '\\') {
        cur += ch + (filter[++i] ?? '');
        continue;
      }
      if (ch === quote) quote = null;
      cur += ch;
    } else if (ch === "'" || ch === '"' || ch === '`') {
      quote = ch;
      cur += ch;
    } else if (/\s/.test(ch) && /^and\s/i.test(filter.slice(i + 1, i + 5))) {
      parts.push(cur);
      cur = '';
      i += 3;
    } else cur += ch;
  }
  if (quote) throw new InvalidParameterError('filter', `Unterminated quoted string in filter '${filter}'.`);
  parts.push(cur);
  return parts;
}

export function parseSimpleFilter(filter: string | undefined, attrs: readonly string[], field = 'filter'): SimpleClause[] {
  if (!filter || filter.trim() === '') return [];
  if (filter.length > 10000) throw new InvalidParameterError(field, `'${field}' is longer than 10000 characters.`);
  const attrRe = new RegExp(String.raw`^\s*(?:(?:attributes?|attr)\.)?(\w+)\s*(=|!=|NOT\s+LIKE|I?LIKE)\s*` + VALUE + String.raw`\s*$`, 'i');
  const tagRe = new RegExp(String.raw`^\s*tags?\.(?:\x60([^\x60]+)\x60|"([^"]+)"|([\w.\-/:]+))\s*(=|!=|I?LIKE)\s*` + VALUE + String.raw`\s*$`, 'i');
  return splitAnd(filter).map((part) => {
    const t = tagRe.exec(part);
    if (t) return { kind: 'tag', key: t[1] ?? t[2] ?? t[3]!, op: t[4]!.toLowerCase() as SimpleOp, value: unescape(t.groups!['v']!) };
    const m = attrRe.exec(part);
    if (m && attrs.includes(m[1]!.toLowerCase())) {
      return { kind: 'attr', key: m[1]!.toLowerCase(), op: m[2]!.toLowerCase().replace(/\s+/, ' ') as SimpleOp, value: unescape(m.groups!['v']!) };
    }
    throw new InvalidParameterError(
      field,
      `Invalid ${field} clause '${part.trim()}': expected <attribute> <op> 'value' (attributes: ${attrs.join(', ')}) or tags.<key> <op> 'value', joined by AND.`,
    );
  });
}

function unescape(s: string): string {
  return s.replace(/\\(.)/g, '$1');
}

export interface SimpleOrder {
  key: string;
  ascending: boolean;
}

export function parseSimpleOrder(items: string[] | undefined, attrs: readonly string[], field = 'order_by'): SimpleOrder[] {
  return (items ?? []).map((item) => {
    const m = /^\s*(?:(?:attributes?|attr)\.)?(\w+)(?:\s+(ASC|DESC))?\s*$/i.exec(item);
    if (!m || !attrs.includes(m[1]!.toLowerCase())) {
      throw new InvalidParameterError(field, `Invalid ${field} clause '${item}': use one of ${attrs.join(', ')}, optionally followed by ASC or DESC.`);
    }
    return { key: m[1]!.toLowerCase(), ascending: (m[2] ?? 'ASC').toUpperCase() === 'ASC' };
  });
}
